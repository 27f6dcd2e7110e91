# quizbot — multi-stage image, runs as the unprivileged `node` user.
# Not built in this project's CI (no Docker engine there); kept deliberately simple.
FROM node:24-bookworm-slim AS deps
WORKDIR /app
COPY package.json package-lock.json ./
RUN npm ci --omit=dev && npm cache clean --force

FROM node:24-bookworm-slim AS runtime
ENV NODE_ENV=production
WORKDIR /app
COPY --from=deps /app/node_modules ./node_modules
COPY package.json tsconfig.json ./
COPY src ./src
COPY content ./content
COPY scripts ./scripts
USER node
# REDIS_URL is required in a container (the embedded redis-server is for local use).
CMD ["node", "--import", "tsx", "src/main.ts"]
