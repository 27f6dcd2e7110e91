/**
 * Logging via pino, behind the core's Logger port: JSON lines on stderr by default, human-readable
 * when stderr is a terminal (pino-pretty). Errors go under `err` with their stack (pino's error
 * serializer). Secrets never reach a log line: known secret fields are redacted by path, and every
 * line is scrubbed of token-shaped strings and of passwords inside URLs.
 */
import { pino, stdSerializers, type DestinationStream, type Logger as Pino } from 'pino';
import pretty from 'pino-pretty';
import type { Logger } from './core/ports.js';

export type LogLevel = 'debug' | 'info' | 'warn' | 'error' | 'silent';

/**
 * Token-shaped strings: Slack bot/user/app tokens and refresh tokens (xoxe-, xoxe.xoxp-), model
 * API keys (sk-…), Discord bot tokens (any first letter).
 */
const TOKEN_RE =
  /\b(?:xox[abposre](?:\.xox[a-z])?-[A-Za-z0-9-]{10,}|xapp-[A-Za-z0-9-]{10,}|sk-[A-Za-z0-9_-]{16,}|[A-Za-z\d_-]{23,28}\.[\w-]{6,7}\.[\w-]{27,})\b/g;
/** Credentials inside a URL: `scheme://user:password@host` → `scheme://user:***@host`. */
const URL_PASSWORD_RE = /([a-z][a-z0-9+.-]*:\/\/[^:@\s/"]*:)[^@\s/"]+@/gi;

/** Passwords in a URL's query (Sentinel's `sentinelPassword=…`, `password=…`). */
const QUERY_PASSWORD_RE = /([?&][a-z]*password=)[^&\s"]*/gi;

/** Removes secrets from any text (also used for messages printed outside the logger). */
export function scrubSecrets(text: string): string {
  return text.replace(TOKEN_RE, '[redacted]').replace(URL_PASSWORD_RE, '$1***@').replace(QUERY_PASSWORD_RE, '$1***');
}

/** Field names whose values are secrets wherever they appear. */
const SECRET_PATHS = ['token', 'password', 'secret', 'authorization', 'botToken', 'appToken', 'signingSecret', 'clientSecret', 'stateSecret'].flatMap((k) => [
  k,
  `*.${k}`,
  `*.*.${k}`,
]);

/** Keys pino owns: metadata with these names is renamed instead of overwriting them. */
const RESERVED = new Set(['msg', 'level', 'time', 'pid', 'hostname', 'v']);

export interface LoggerOptions {
  /** Where lines go (tests capture them); default stderr. */
  destination?: DestinationStream;
  /** Human-readable output; default: when stderr is a terminal. */
  pretty?: boolean;
}

export function createLogger(level: LogLevel, opts: LoggerOptions = {}): Logger {
  const usePretty = opts.pretty ?? (opts.destination === undefined && process.stderr.isTTY === true);
  const destination = opts.destination ?? (usePretty ? pretty({ colorize: true, destination: 2, sync: true }) : pino.destination({ dest: 2, sync: true }));
  const p: Pino = pino(
    {
      level,
      base: undefined,
      timestamp: pino.stdTimeFunctions.isoTime,
      formatters: { level: (label) => ({ level: label }) },
      serializers: { err: stdSerializers.err, error: stdSerializers.err },
      redact: { paths: SECRET_PATHS, censor: '[redacted]' },
      hooks: { streamWrite: (line) => scrubSecrets(line) },
    },
    destination,
  );
  const log = (lvl: Exclude<LogLevel, 'silent'>) => (msg: string, meta?: Record<string, unknown>) => {
    if (!p.isLevelEnabled(lvl)) return;
    if (!meta) return p[lvl](msg);
    const safe: Record<string, unknown> = {};
    for (const [k, v] of Object.entries(meta)) safe[RESERVED.has(k) ? `meta_${k}` : k] = v;
    p[lvl](safe, msg);
  };
  return { debug: log('debug'), info: log('info'), warn: log('warn'), error: log('error') };
}
