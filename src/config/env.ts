/**
 * The one place that reads the environment. Parsed once at start-up with zod; a bad value stops
 * start-up with one readable message per variable. Secrets are never printed: errors name the
 * variable and what is expected, not the value.
 */
import { z } from 'zod';
import { editDistance } from '../content/text.js';
import { FAILPOINTS, type Failpoint } from '../core/rounds/failpoints.js';
import { durationMs, isTimezone } from '../core/schedule/schedule.js';
import { parseRedisUrl, RedisUrlError } from '../store/topology.js';

const SECRET_KEYS = new Set([
  'DISCORD_TOKEN',
  'SLACK_BOT_TOKEN',
  'SLACK_APP_TOKEN',
  'SLACK_SIGNING_SECRET',
  'SLACK_CLIENT_SECRET',
  'SLACK_STATE_SECRET',
  'REDIS_URL',
  'QUIZBOT_GRADER_API_KEY',
]);

const optionalString = z
  .string()
  .trim()
  .transform((s) => (s === '' ? undefined : s))
  .optional();

const url = (what: string, schemes: readonly string[] = ['http:', 'https:']) =>
  optionalString.refine((s) => s === undefined || (URL.canParse(s) && schemes.includes(new URL(s).protocol)), { message: `expected ${what}` });

/** A TCP port; an empty value counts as unset. */
const port = (fallback: number | undefined, min = 1) =>
  optionalString.transform((s, ctx) => {
    if (s === undefined) return fallback;
    const n = Number(s);
    if (!/^\d+$/.test(s) || n < min || n > 65535) {
      ctx.addIssue({ code: 'custom', message: `expected a port number from ${min} to 65535` });
      return z.NEVER;
    }
    return n;
  });

/** A whole number in [min, max] (default when unset); the message names what is expected. */
const wholeNumber = (min: number, max: number, fallback: number, expected: string) =>
  z.coerce
    .number()
    .int({ message: `expected ${expected}` })
    .min(min, { message: `expected ${expected}` })
    .max(max, { message: `expected ${expected}` })
    .default(fallback);

function boundedDuration(v: string, ctx: z.RefinementCtx, min: number, max: number, expected: string): number {
  let ms: number;
  try {
    ms = parseDuration(v);
  } catch {
    ctx.addIssue({ code: 'custom', message: `expected ${expected}` });
    return z.NEVER;
  }
  if (ms < min || ms > max) {
    ctx.addIssue({ code: 'custom', message: `expected ${expected}, between ${formatDuration(min)} and ${formatDuration(max)}` });
    return z.NEVER;
  }
  return ms;
}

function formatDuration(ms: number): string {
  if (ms % 86_400_000 === 0) return `${ms / 86_400_000}d`;
  if (ms % 3_600_000 === 0) return `${ms / 3_600_000}h`;
  if (ms % 60_000 === 0) return `${ms / 60_000}m`;
  return `${ms / 1000}s`;
}

const schema = z
  .object({
    REDIS_URL: optionalString.superRefine((s, ctx) => {
      if (s === undefined) return;
      try {
        parseRedisUrl(s);
      } catch (err) {
        // The message names the problem and the accepted forms, never the value (it may hold a password).
        ctx.addIssue({ code: 'custom', message: err instanceof RedisUrlError ? err.message.replace(/^REDIS_URL /, '') : 'expected a Redis URL' });
      }
    }),
    REDIS_PREFIX: z
      .string()
      .regex(/^[a-z0-9_-]{1,32}$/i, { message: 'expected letters, digits, - or _ (e.g. qb)' })
      .default('qb'),
    LOG_LEVEL: z.enum(['debug', 'info', 'warn', 'error', 'silent']).default('info'),
    QUIZBOT_TIMEZONE: z.string().default('UTC').refine(isTimezone, { message: 'expected an IANA time zone such as Europe/Berlin or America/New_York' }),
    QUIZBOT_DATA_DIR: z.string().default('.quizbot'),
    QUIZBOT_PRACTICE_REVEAL: z
      .string()
      .trim()
      .default('15m')
      .transform((v, ctx) => {
        if (v.toLowerCase() === 'manual') return null;
        return boundedDuration(v, ctx, 60_000, 7 * 86_400_000, 'manual (wait for /quiz reveal) or a duration such as 15m or 2h');
      }),
    QUIZBOT_MAX_PRACTICE: wholeNumber(1, 50, 3, 'a whole number from 1 to 50'),
    QUIZBOT_MIN_INTERVAL: z
      .string()
      .trim()
      .default('5m')
      .transform((v, ctx) => boundedDuration(v, ctx, 1_000, 7 * 86_400_000, 'a duration such as 5m or 1h')),
    QUIZBOT_FAILPOINTS: z
      .string()
      .trim()
      .default('')
      .transform((v, ctx) => {
        const names = v
          .split(',')
          .map((s) => s.trim())
          .filter(Boolean);
        for (const n of names) {
          if (!(FAILPOINTS as readonly string[]).includes(n))
            ctx.addIssue({ code: 'custom', message: `unknown failpoint “${n}”; expected one of ${FAILPOINTS.join(', ')}` });
        }
        return names as Failpoint[];
      }),
    QUIZBOT_CATCHUP_GRACE: z
      .string()
      .trim()
      .default('12h')
      .transform((v, ctx) => boundedDuration(v, ctx, 60_000, 7 * 86_400_000, 'a duration such as 2h or 12h')),
    QUIZBOT_HTTP_PORT: port(undefined),
    QUIZBOT_RETENTION: z
      .string()
      .trim()
      .default('180d')
      .transform((v, ctx) => boundedDuration(v, ctx, 86_400_000, 3650 * 86_400_000, 'a duration such as 30d or 365d')),
    QUIZBOT_POST_RATE: wholeNumber(1, 1000, 25, 'posts per second, a whole number from 1 to 1000'),
    QUIZBOT_CONCURRENCY: wholeNumber(1, 500, 50, 'a whole number of jobs from 1 to 500'),
    // Optional model grader (answers leave the machine: opt-in).
    QUIZBOT_GRADER: z.enum(['lexical', 'openai'], { message: 'expected lexical or openai' }).default('lexical'),
    QUIZBOT_GRADER_URL: url('the http(s) URL of an OpenAI-compatible API, e.g. http://localhost:11434/v1'),
    QUIZBOT_GRADER_MODEL: optionalString,
    QUIZBOT_GRADER_API_KEY: optionalString,
    QUIZBOT_GRADER_TIMEOUT: z
      .string()
      .trim()
      .default('20s')
      .transform((v, ctx) => boundedDuration(v, ctx, 1_000, 300_000, 'a duration such as 10s or 1m')),
    QUIZBOT_GRADER_CONCURRENCY: wholeNumber(1, 64, 4, 'a whole number of requests from 1 to 64'),
    QUIZBOT_REDIS_WAIT: wholeNumber(0, 5, 0, 'a number of replicas from 0 to 5'),
    QUIZBOT_WORKERS: z
      .enum(['true', 'false', '1', '0'])
      .default('true')
      .transform((v) => v === 'true' || v === '1'),
    // Discord
    DISCORD_TOKEN: optionalString.superRefine((s, ctx) => {
      if (s === undefined) return;
      // Checked at start rather than failing at the first login; the value is never echoed.
      if (/^bot\s/i.test(s)) ctx.addIssue({ code: 'custom', message: 'expected the token alone, without the “Bot ” prefix' });
      else if (!/^[\w-]{20,}\.[\w-]{5,}\.[\w-]{20,}$/.test(s))
        ctx.addIssue({ code: 'custom', message: 'expected the bot token from the Developer Portal (Bot → Reset Token): three parts separated by dots' });
    }),
    DISCORD_APPLICATION_ID: optionalString.refine((s) => s === undefined || /^\d{15,22}$/.test(s), {
      message: 'expected the numeric application id from the Developer Portal (e.g. 1234567890123456789)',
    }),
    DISCORD_API_URL: url('an http(s) URL of a Discord-compatible REST API; leave unset for discord.com'),
    DISCORD_MESSAGE_CONTENT: z
      .enum(['true', 'false', '1', '0'])
      .default('true')
      .transform((v) => v === 'true' || v === '1'),
    DISCORD_SHARDS: optionalString.transform((v, ctx) => {
      if (v === undefined) return 1;
      if (v.toLowerCase() === 'auto') return 'auto' as const;
      const n = Number(v);
      if (!/^\d+$/.test(v) || n < 1 || n > 4096) {
        ctx.addIssue({ code: 'custom', message: 'expected auto (Discord recommends a count) or a shard count from 1 to 4096' });
        return z.NEVER;
      }
      return n;
    }),
    DISCORD_SHARD_LEASE: z
      .string()
      .trim()
      .default('30s')
      .transform((v, ctx) => boundedDuration(v, ctx, 1_000, 600_000, 'a duration such as 30s or 1m')),
    DISCORD_SHARD_IDS: optionalString.transform((v, ctx) => {
      if (v === undefined) return null;
      const ids = new Set<number>();
      for (const part of v.split(',').map((p) => p.trim())) {
        const m = /^(\d+)(?:-(\d+))?$/.exec(part);
        if (!m || Number(m[2] ?? m[1]) < Number(m[1])) {
          ctx.addIssue({ code: 'custom', message: `expected shard ids such as 0,1 or 0-3 (got “${part}”)` });
          return z.NEVER;
        }
        for (let i = Number(m[1]); i <= Number(m[2] ?? m[1]); i++) ids.add(i);
      }
      return [...ids].sort((a, b) => a - b);
    }),
    // Slack
    SLACK_BOT_TOKEN: optionalString.refine((s) => s === undefined || s.startsWith('xoxb-'), {
      message: 'expected a bot token starting with xoxb-',
    }),
    SLACK_APP_TOKEN: optionalString.refine((s) => s === undefined || s.startsWith('xapp-'), {
      message: 'expected an app-level token starting with xapp- (Socket Mode)',
    }),
    SLACK_SIGNING_SECRET: optionalString,
    SLACK_CLIENT_ID: optionalString,
    SLACK_CLIENT_SECRET: optionalString,
    SLACK_STATE_SECRET: optionalString,
    SLACK_API_URL: url('an http(s) URL ending in /api/; leave unset for slack.com'),
    SLACK_ADMIN_USERS: optionalString,
    PORT: port(3000, 0),
  })
  .superRefine((env, ctx) => {
    if (typeof env.DISCORD_SHARDS === 'number' && env.DISCORD_SHARD_IDS?.some((id) => id >= (env.DISCORD_SHARDS as number))) {
      ctx.addIssue({ code: 'custom', path: ['DISCORD_SHARD_IDS'], message: `expected ids below DISCORD_SHARDS (${env.DISCORD_SHARDS}); shards count from 0` });
    }
    if (env.QUIZBOT_GRADER === 'openai') {
      if (!env.QUIZBOT_GRADER_URL) ctx.addIssue({ code: 'custom', path: ['QUIZBOT_GRADER_URL'], message: 'required when QUIZBOT_GRADER=openai' });
      if (!env.QUIZBOT_GRADER_MODEL) ctx.addIssue({ code: 'custom', path: ['QUIZBOT_GRADER_MODEL'], message: 'required when QUIZBOT_GRADER=openai' });
    }
    if (env.DISCORD_TOKEN && !env.DISCORD_APPLICATION_ID) {
      ctx.addIssue({ code: 'custom', path: ['DISCORD_APPLICATION_ID'], message: 'required when DISCORD_TOKEN is set' });
    }
    const slackAny = env.SLACK_BOT_TOKEN || env.SLACK_APP_TOKEN || env.SLACK_SIGNING_SECRET || env.SLACK_CLIENT_ID;
    if (slackAny) {
      const socket = Boolean(env.SLACK_APP_TOKEN);
      const oauth = Boolean(env.SLACK_CLIENT_ID || env.SLACK_CLIENT_SECRET);
      if (socket && !env.SLACK_BOT_TOKEN) {
        ctx.addIssue({ code: 'custom', path: ['SLACK_BOT_TOKEN'], message: 'required with SLACK_APP_TOKEN (Socket Mode)' });
      }
      if (!socket && !env.SLACK_SIGNING_SECRET) {
        ctx.addIssue({
          code: 'custom',
          path: ['SLACK_SIGNING_SECRET'],
          message: 'required for HTTP mode (or set SLACK_APP_TOKEN for Socket Mode)',
        });
      }
      if (!socket && oauth) {
        for (const k of ['SLACK_CLIENT_ID', 'SLACK_CLIENT_SECRET', 'SLACK_STATE_SECRET'] as const) {
          if (!env[k]) ctx.addIssue({ code: 'custom', path: [k], message: 'required for OAuth installs (HTTP mode)' });
        }
      }
      if (!socket && !oauth && !env.SLACK_BOT_TOKEN) {
        ctx.addIssue({
          code: 'custom',
          path: ['SLACK_BOT_TOKEN'],
          message: 'required for a single-workspace HTTP app (or set SLACK_CLIENT_ID/SECRET/STATE_SECRET for OAuth)',
        });
      }
    }
  });

type Env = z.output<typeof schema>;

/** Every variable quizbot reads (.env.example lists them all; a test checks it). */
export const KNOWN_VARIABLES: readonly string[] = Object.keys(schema.shape);

export interface DiscordConfig {
  token: string;
  applicationId: string;
  apiUrl: string | undefined;
  messageContent: boolean;
  /** Total shard count: a number, or 'auto' for Discord's recommendation (GET /gateway/bot). */
  shards: number | 'auto';
  /** The shards this process may run (default: all); each runs in exactly one process at a time. */
  shardIds: number[] | null;
  /** How long a dead process keeps its shards before another takes them over. */
  shardLeaseMs: number;
}

export type SlackConfig =
  | { mode: 'socket'; botToken: string; appToken: string; apiUrl: string | undefined; adminUsers: string[] }
  | {
      mode: 'http';
      signingSecret: string;
      botToken: string | undefined;
      oauth: { clientId: string; clientSecret: string; stateSecret: string } | undefined;
      port: number;
      apiUrl: string | undefined;
      adminUsers: string[];
    };

export interface Config {
  redisUrl: string | undefined;
  redisPrefix: string;
  logLevel: Env['LOG_LEVEL'];
  defaultTimezone: string;
  dataDir: string;
  /** Practice rounds reveal this long after they start; null waits for /quiz reveal. */
  practiceRevealMs: number | null;
  /** Open practice rounds a channel may hold at once. */
  maxPractice: number;
  /** Shortest interval between two posts a chat schedule may have. */
  minIntervalMs: number;
  /** Crash-test points where the process kills itself (never set in production). */
  failpoints: Failpoint[];
  /** A missed slot is still posted this late (and only on its local day). */
  catchUpGraceMs: number;
  /** How long a final round's own records are kept (QUIZBOT_RETENTION, default 180d). */
  retentionMs: number;
  /** Replicas an answer reaches before it is acknowledged (QUIZBOT_REDIS_WAIT; 0: no wait). */
  redisWaitReplicas: number;
  /** Health, readiness and metrics endpoints (QUIZBOT_HTTP_PORT); null: off. */
  httpPort: number | null;
  /** Problems that do not stop start-up (e.g. a misspelt variable name), to be logged. */
  warnings: string[];
  /** Run BullMQ workers in this process (false: adapters only, workers elsewhere). */
  workers: boolean;
  /** Scheduled posts started per second across every worker (BullMQ's shared queue limiter). */
  postRate: number;
  /** Jobs each worker process runs at once (they mostly wait on the platform). */
  concurrency: number;
  discord: DiscordConfig | undefined;
  slack: SlackConfig | undefined;
  /** The optional model grader (QUIZBOT_GRADER=openai); undefined: the lexical grader only. */
  grader: GraderConfig | undefined;
}

export interface GraderConfig {
  /** The chat-completions endpoint (QUIZBOT_GRADER_URL, `/chat/completions` added when missing). */
  url: string;
  model: string;
  apiKey: string | undefined;
  timeoutMs: number;
  concurrency: number;
}

/** `http://host:11434/v1` → `…/v1/chat/completions`; a URL already ending so is kept. */
export function chatCompletionsUrl(base: string): string {
  const u = base.replace(/\/+$/, '');
  if (/\/chat\/completions$/.test(u)) return u;
  return /\/v\d+$/.test(u) ? `${u}/chat/completions` : `${u}/v1/chat/completions`;
}

export class ConfigError extends Error {
  constructor(readonly problems: string[]) {
    super(`Invalid configuration:\n${problems.map((p) => `  - ${p}`).join('\n')}`);
    this.name = 'ConfigError';
  }
}

export function loadConfig(env: Record<string, string | undefined> = process.env): Config {
  const parsed = schema.safeParse(env);
  if (!parsed.success) {
    const problems = parsed.error.issues.map((i) => {
      const name = String(i.path[0] ?? 'environment');
      const shown = SECRET_KEYS.has(name) ? '' : describeValue(env[name]);
      return `${name}: ${i.message}${shown}`;
    });
    throw new ConfigError(problems);
  }
  const e = parsed.data;
  const adminUsers = (e.SLACK_ADMIN_USERS ?? '')
    .split(',')
    .map((s) => s.trim())
    .filter(Boolean);
  let slack: SlackConfig | undefined;
  if (e.SLACK_APP_TOKEN && e.SLACK_BOT_TOKEN) {
    slack = { mode: 'socket', botToken: e.SLACK_BOT_TOKEN, appToken: e.SLACK_APP_TOKEN, apiUrl: e.SLACK_API_URL, adminUsers };
  } else if (e.SLACK_SIGNING_SECRET) {
    slack = {
      mode: 'http',
      signingSecret: e.SLACK_SIGNING_SECRET,
      botToken: e.SLACK_BOT_TOKEN,
      oauth:
        e.SLACK_CLIENT_ID && e.SLACK_CLIENT_SECRET && e.SLACK_STATE_SECRET
          ? { clientId: e.SLACK_CLIENT_ID, clientSecret: e.SLACK_CLIENT_SECRET, stateSecret: e.SLACK_STATE_SECRET }
          : undefined,
      port: e.PORT ?? 3000,
      apiUrl: e.SLACK_API_URL,
      adminUsers,
    };
  }
  return {
    redisUrl: e.REDIS_URL,
    redisPrefix: e.REDIS_PREFIX,
    logLevel: e.LOG_LEVEL,
    defaultTimezone: e.QUIZBOT_TIMEZONE,
    dataDir: e.QUIZBOT_DATA_DIR,
    practiceRevealMs: e.QUIZBOT_PRACTICE_REVEAL,
    maxPractice: e.QUIZBOT_MAX_PRACTICE,
    minIntervalMs: e.QUIZBOT_MIN_INTERVAL,
    failpoints: e.QUIZBOT_FAILPOINTS,
    catchUpGraceMs: e.QUIZBOT_CATCHUP_GRACE,
    httpPort: e.QUIZBOT_HTTP_PORT ?? null,
    retentionMs: e.QUIZBOT_RETENTION,
    redisWaitReplicas: e.QUIZBOT_REDIS_WAIT,
    warnings: unknownVariables(env),
    workers: e.QUIZBOT_WORKERS,
    postRate: e.QUIZBOT_POST_RATE,
    concurrency: e.QUIZBOT_CONCURRENCY,
    discord:
      e.DISCORD_TOKEN && e.DISCORD_APPLICATION_ID
        ? {
            token: e.DISCORD_TOKEN,
            applicationId: e.DISCORD_APPLICATION_ID,
            apiUrl: e.DISCORD_API_URL,
            messageContent: e.DISCORD_MESSAGE_CONTENT,
            shards: e.DISCORD_SHARDS,
            shardIds: e.DISCORD_SHARD_IDS,
            shardLeaseMs: e.DISCORD_SHARD_LEASE,
          }
        : undefined,
    slack,
    grader:
      e.QUIZBOT_GRADER === 'openai' && e.QUIZBOT_GRADER_URL && e.QUIZBOT_GRADER_MODEL
        ? {
            url: chatCompletionsUrl(e.QUIZBOT_GRADER_URL),
            model: e.QUIZBOT_GRADER_MODEL,
            apiKey: e.QUIZBOT_GRADER_API_KEY,
            timeoutMs: e.QUIZBOT_GRADER_TIMEOUT,
            concurrency: e.QUIZBOT_GRADER_CONCURRENCY,
          }
        : undefined,
  };
}

/** Variables in quizbot's namespaces that it does not know: likely typos, named with the closest known one. */
export function unknownVariables(env: Record<string, string | undefined>): string[] {
  const known = Object.keys(schema.shape);
  const out: string[] = [];
  for (const name of Object.keys(env)) {
    if (!/^(QUIZBOT|DISCORD|SLACK)_/.test(name) || known.includes(name)) continue;
    const closest = known.map((k) => ({ k, d: editDistance(name, k, Infinity) })).sort((a, b) => a.d - b.d)[0];
    out.push(
      closest && closest.d <= Math.max(2, Math.floor(name.length / 4))
        ? `${name} is not a quizbot setting; did you mean ${closest.k}?`
        : `${name} is not a quizbot setting (see the README's Configuration section)`,
    );
  }
  return out;
}

function describeValue(v: string | undefined): string {
  if (v === undefined) return '';
  return ` (got ${JSON.stringify(v.length > 60 ? `${v.slice(0, 57)}...` : v)})`;
}

/** The commands' own duration grammar (core/schedule/schedule.ts durationMs): "45s", "1.5h", "30 min". */
export function parseDuration(text: string): number {
  const ms = durationMs(text);
  if (ms === null) throw new Error(`not a duration: ${text}`);
  return ms;
}
