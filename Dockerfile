# quizbot — multi-stage image: compiled JavaScript, production dependencies only, non-root user.
FROM node:24-bookworm-slim AS build
WORKDIR /app
COPY package.json package-lock.json ./
RUN npm ci
COPY tsconfig.json tsconfig.build.json ./
COPY src ./src
COPY scripts/copy-assets.mjs ./scripts/copy-assets.mjs
RUN npm run build

FROM node:24-bookworm-slim AS deps
WORKDIR /app
COPY package.json package-lock.json ./
RUN npm ci --omit=dev && npm cache clean --force

FROM node:24-bookworm-slim AS runtime
ENV NODE_ENV=production
WORKDIR /app
COPY --from=deps /app/node_modules ./node_modules
COPY --from=build /app/dist ./dist
COPY package.json slack-app-manifest.yaml ./
COPY content ./content
USER node
# REDIS_URL is required in a container (the embedded redis-server is for local use).
# /healthz, /readyz and /metrics on QUIZBOT_HTTP_PORT (9090 by default in the image).
ENV QUIZBOT_HTTP_PORT=9090
EXPOSE 9090
HEALTHCHECK --interval=15s --timeout=3s --start-period=20s --retries=3 \
  CMD ["node", "-e", "fetch('http://127.0.0.1:'+(process.env.QUIZBOT_HTTP_PORT||9090)+'/healthz').then(r=>process.exit(r.ok?0:1),()=>process.exit(1))"]
# node is PID 1's only process: it receives SIGTERM from `docker stop` and shuts down gracefully.
CMD ["node", "dist/main.js"]
