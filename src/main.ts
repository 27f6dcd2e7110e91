/**
 * `npm start`: runs every configured platform; with no platform tokens, the local console.
 * SIGINT/SIGTERM close workers and connections gracefully (no job left half done).
 */
import { realpathSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { createApp, platformFacade, startOps, type App } from './app.js';
import { PortUnavailableError } from './ops/http.js';
import type { DiscordHandle } from './platforms/discord/adapter.js';
import type { SlackHandle } from './platforms/slack/adapter.js';
import { ConfigError, loadConfig, type Config } from './config/env.js';
import { ContentError } from './content/loader.js';
import { watchContent } from './content/watch.js';
import { createLogger } from './logger.js';
import type { Logger } from './core/ports.js';
import { RedisNotInstalledError } from './store/embedded.js';
import { RedisUnreachableError } from './store/connection.js';

export async function start(args: string[] = []): Promise<number> {
  if (args.length === 1 && (args[0] === '--help' || args[0] === '-h')) {
    process.stdout.write(
      'Usage: npm start   (the bot: Discord/Slack with their tokens, else the local console)\nSettings come from the environment: see .env.example and docs/configuration.md.\nOther tools: npm run quizbot -- --help\n',
    );
    return 0;
  }
  if (args.length > 0) {
    process.stderr.write(
      `npm start takes no arguments (got “${args[0]}”); settings come from the environment (see .env.example and docs/configuration.md).\nUsage: npm start   |   npm run quizbot -- --help\n`,
    );
    return 2;
  }
  const config = configOrReport();
  if (!config) return 1;
  if (!config.discord && !config.slack) {
    const { runConsole } = await import('./console.js');
    // A container without tokens has no terminal and no input: say so instead of exiting 0 silently.
    return runConsole(config, process.stdin, undefined, { requireInput: true, watchContent: true });
  }
  return serve(config, { receive: true });
}

/** The configuration, or null after printing why it is invalid. */
function configOrReport(): Config | null {
  try {
    return loadConfig();
  } catch (e) {
    if (e instanceof ConfigError) {
      process.stderr.write(e.message + '\n');
      return null;
    }
    throw e;
  }
}

/**
 * A long-running process: platforms (receiving events, or posting only), job workers as
 * configured, /healthz and friends, content reloads; SIGINT/SIGTERM close it gracefully.
 */
async function serve(config: Config, opts: { receive: boolean }): Promise<number> {
  const logger = createLogger(config.logLevel);
  installProcessGuards(logger);
  const signalled = exitOnSignalWithin(SHUTDOWN_DEADLINE_MS, logger);
  for (const w of config.warnings) logger.warn(w);
  const app = await createApp({ config, logger });
  let handles: PlatformHandles;
  try {
    handles = await startPlatforms(app, { receive: opts.receive });
  } catch (err) {
    logger.error('a platform failed to start', { err: (err as Error).message });
    await app.close();
    return 1;
  }
  try {
    await startOps(app, () => (handles.discord ? handles.discord.ready() : true));
  } catch (err) {
    await app.close();
    throw err;
  }
  await app.startJobs({ workers: config.workers });
  const watcher = await watchContent((bank) => app.quiz.replaceBank(bank), logger);
  app.onClose(async () => watcher.stop());
  logger.info(opts.receive ? 'quizbot started' : 'quizbot worker started', { platforms: handles.names, questions: app.bank.size, workers: config.workers });
  await signalled;
  await app.close();
  return 0;
}

/** A signalled process is gone within this, whatever it was waiting for (a Redis coming back, a platform call). */
const SHUTDOWN_DEADLINE_MS = 9_000;

/**
 * Resolves on the first SIGINT/SIGTERM — installed before start-up, so a signal during it counts
 * too — and from then on exits the process after `deadlineMs` if the graceful close has not
 * finished by then (exit code 1, logged).
 */
function exitOnSignalWithin(deadlineMs: number, logger: Logger): Promise<void> {
  return new Promise<void>((resolve) => {
    const stop = (signal: string) => {
      logger.info('shutting down', { signal });
      setTimeout(() => {
        logger.error('shutdown did not finish in time; exiting', { signal, deadlineMs });
        process.exit(1);
      }, deadlineMs).unref();
      resolve();
    };
    process.once('SIGINT', () => stop('SIGINT'));
    process.once('SIGTERM', () => stop('SIGTERM'));
  });
}

/**
 * `quizbot worker`: the job workers (posts, reveals, the reconciler) with no gateway session,
 * socket or HTTP listener; the platforms are used for posting only. Run any number of them next
 * to the processes that receive events (Discord shards, Slack HTTP replicas).
 */
export async function startWorker(): Promise<number> {
  const config = configOrReport();
  if (!config) return 1;
  if (!config.discord && !config.slack) {
    process.stderr.write('quizbot worker posts to Discord or Slack: set DISCORD_TOKEN (and DISCORD_APPLICATION_ID) or the SLACK_* tokens.\n');
    return 1;
  }
  if (!config.redisUrl) {
    process.stderr.write("quizbot worker shares the bot's Redis: set REDIS_URL (the embedded redis-server is private to one process).\n");
    return 1;
  }
  return serve({ ...config, workers: true }, { receive: false });
}

/**
 * Last line of defence for a long-running bot: an error no handler caught (a library throwing on
 * a malformed platform payload) is logged with its stack and the bot keeps serving; the round
 * state machine and job retries make any step it interrupted resume.
 */
export function installProcessGuards(logger: Logger): void {
  process.on('unhandledRejection', (reason) => logger.error('unhandled rejection (kept running)', { err: reason }));
  process.on('uncaughtException', (err) => logger.error('uncaught exception (kept running)', { err }));
}

export interface PlatformHandles {
  names: string[];
  discord?: DiscordHandle;
  slack?: SlackHandle;
}

/**
 * Starts every configured platform adapter (the same path the platform tests drive). With
 * `receive: false` (a worker) the adapters only post: no gateway session, socket or listener.
 */
export async function startPlatforms(app: App, opts: { receive?: boolean } = {}): Promise<PlatformHandles> {
  const out: PlatformHandles = { names: [] };
  const facade = platformFacade(app);
  const receive = opts.receive !== false;
  if (app.config.discord) {
    const { startDiscord } = await import('./platforms/discord/adapter.js');
    out.discord = await startDiscord(facade, app.config.discord, { gateway: receive });
    out.names.push('discord');
  }
  if (app.config.slack) {
    const { startSlack } = await import('./platforms/slack/adapter.js');
    const { RedisInstallationStore } = await import('./store/slack-installations.js');
    const installations =
      app.config.slack.mode === 'http' && app.config.slack.oauth ? new RedisInstallationStore(app.client, app.config.redisPrefix) : undefined;
    out.slack = await startSlack(facade, app.config.slack, { receive, ...(installations ? { installations } : {}) });
    out.names.push('slack');
  }
  return out;
}

// Run when executed directly, also through a symlink (the npm `bin`, node_modules/.bin/quizbot).
if (process.argv[1] && fileURLToPath(import.meta.url) === realpathSync(process.argv[1])) {
  start(process.argv.slice(2)).then(
    (code) => process.exit(code),
    (e: unknown) => {
      if (e instanceof RedisNotInstalledError || e instanceof ContentError || e instanceof RedisUnreachableError || e instanceof PortUnavailableError) {
        process.stderr.write(e.message + '\n');
        process.exit(1);
      }
      process.stderr.write((e instanceof Error ? (e.stack ?? e.message) : String(e)) + '\n');
      process.exit(1);
    },
  );
}
