/**
 * Composition root: builds the object graph from configuration. Used by `npm start`, the CLI
 * and end-to-end tests (which pass their own Redis, clock and content).
 */
import { loadBank } from './content/loader.js';
import type { QuestionBank } from './content/bank.js';
import { CommandRunner } from './core/commands.js';
import { systemClock, type Clock, type Logger, type Random } from './core/ports.js';
import { QuizService } from './core/quiz.js';
import type { Config } from './config/env.js';
import { ChatRouter } from './platforms/router.js';
import { openRedis, type RedisHandle } from './store/connection.js';
import { RedisQuizStore } from './store/redis-store.js';
import { RedisProgressStore } from './store/progress-store.js';
import { ProgressService } from './core/progress.js';
import { progressCommands } from './core/progress-commands.js';
import type { Redis } from 'ioredis';

export interface AppOptions {
  config: Config;
  logger: Logger;
  clock?: Clock;
  random?: Random;
  bank?: QuestionBank;
  redis?: RedisHandle;
}

export interface App {
  config: Config;
  logger: Logger;
  clock: Clock;
  redis: RedisHandle;
  client: Redis;
  bank: QuestionBank;
  store: RedisQuizStore;
  chat: ChatRouter;
  quiz: QuizService;
  progress: ProgressService;
  commands: CommandRunner;
  /** Closes everything this app opened, in reverse order. Safe to call twice. */
  close(): Promise<void>;
  /** Registers a closer to run (first) on close: workers, platform clients. */
  onClose(fn: () => Promise<void>): void;
}

export async function createApp(opts: AppOptions): Promise<App> {
  const { config, logger } = opts;
  const clock = opts.clock ?? systemClock;
  const bank = opts.bank ?? (await loadBank());
  const ownsRedis = !opts.redis;
  const redis = opts.redis ?? (await openRedis({ url: config.redisUrl, dataDir: config.dataDir }));
  const client = redis.connect();
  const store = new RedisQuizStore(client, config.redisPrefix);
  const chat = new ChatRouter();
  const progressStore = new RedisProgressStore(client, config.redisPrefix);
  const quiz = new QuizService({
    bank,
    store,
    chat,
    clock,
    random: opts.random ?? Math.random,
    scheduler: null,
    logger,
    settings: { defaultTimezone: config.defaultTimezone, practiceRevealDelayMs: config.practiceRevealMs },
    votesOf: (round) => progressStore.votes(round),
  });
  const progress = new ProgressService({ progress: progressStore, store, clock, defaultTimezone: config.defaultTimezone, timezoneOf: (c) => quiz.timezoneOf(c) });
  const commands = new CommandRunner(quiz, logger);
  commands.register(progressCommands(progress));
  const closers: (() => Promise<void>)[] = [];
  let closing: Promise<void> | null = null;
  return {
    config,
    logger,
    clock,
    redis,
    client,
    bank,
    store,
    chat,
    quiz,
    progress,
    commands,
    onClose(fn) {
      closers.push(fn);
    },
    close() {
      closing ??= (async () => {
        for (const fn of closers.reverse()) {
          try {
            await fn();
          } catch (err) {
            logger.warn('error while closing', { err });
          }
        }
        await client.quit().catch(() => client.disconnect());
        if (ownsRedis) await redis.close();
      })();
      return closing;
    },
  };
}
