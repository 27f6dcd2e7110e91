/**
 * Composition root: builds the object graph from configuration. Used by `npm start`, the CLI
 * and end-to-end tests (which pass their own Redis, clock and content).
 */
import { randomUUID } from 'node:crypto';
import { AnswerBuffer } from './core/rounds/answer-buffer.js';
import { withLease } from './core/rounds/leases.js';
import { loadBank } from './content/loader.js';
import type { QuestionBank } from './content/bank.js';
import { COMMANDS, CommandRunner } from './core/commands/index.js';
import type { PlatformFacade } from './core/facade.js';
import { systemClock, type Clock, type Logger, type Random, type ServerRef } from './core/ports.js';
import { QuizService } from './core/rounds/quiz.js';
import type { Failpoint } from './core/rounds/failpoints.js';
import type { Config } from './config/env.js';
import { ChatRouter } from './platforms/router.js';
import { openRedis, type RedisHandle } from './store/connection.js';
import { RedisQuizStore } from './store/redis-store.js';
import { RedisGradeCache } from './store/grade-cache.js';
import { ModelGrader } from './content/model-grader.js';
import { RedisProgressStore } from './store/progress-store.js';
import { ProgressService } from './core/progress/progress.js';
import { SchedulingService } from './core/schedule/scheduling.js';
import { scopedScheduleReads } from './core/schedule/read-scope.js';
import { ChannelSettings } from './core/schedule/channel-settings.js';
import { RecapService } from './core/progress/recaps.js';
import { SuggestionService } from './core/community/suggestions.js';
import type { RevealScheduler } from './core/ports.js';
import type { ChannelRef } from './core/types.js';
import { RedisScheduleStore } from './store/schedule-store.js';
import { JobRuntime } from './jobs/runtime.js';
import { PromMetrics } from './ops/metrics.js';
import { startOpsServer } from './ops/http.js';
import type { RedisClient } from './store/topology.js';

export interface AppOptions {
  config: Config;
  logger: Logger;
  clock?: Clock;
  random?: Random;
  bank?: QuestionBank;
  redis?: RedisHandle;
  /** Round lease length (ms); tests shorten it so a killed worker's step resumes fast. */
  leaseMs?: number;
}

/** Kills this process (SIGKILL, no clean-up) when an armed failpoint is reached. */
function failpointHook(armed: readonly Failpoint[], logger: Logger): (name: Failpoint) => void {
  const set = new Set<string>(armed);
  return (name) => {
    if (!set.has(name)) return;
    logger.warn('failpoint reached: killing the process', { failpoint: name });
    process.kill(process.pid, 'SIGKILL');
  };
}

export interface App {
  config: Config;
  logger: Logger;
  clock: Clock;
  redis: RedisHandle;
  client: RedisClient;
  bank: QuestionBank;
  store: RedisQuizStore;
  chat: ChatRouter;
  quiz: QuizService;
  /** Records answers, holding them while Redis is unreachable (every adapter records through it). */
  answers: AnswerBuffer;
  progress: ProgressService;
  scheduling: SchedulingService;
  recaps: RecapService;
  suggestions: SuggestionService;
  /** Stored schedules (export, tools). */
  scheduleStore: RedisScheduleStore;
  commands: CommandRunner;
  metrics: PromMetrics;
  /** The running job runtime, if this process started one. */
  jobs(): JobRuntime | null;
  /** Starts this process's BullMQ workers and job schedulers (idempotent). */
  startJobs(
    opts?: Partial<
      Pick<JobRuntime['options'], 'reconcileEveryMs' | 'attempts' | 'backoffMs' | 'concurrency' | 'postRate' | 'lockDurationMs' | 'stalledIntervalMs'>
    > & {
      workers?: boolean;
    },
  ): Promise<JobRuntime>;
  /** Closes everything this app opened, in reverse order. Safe to call twice. */
  close(): Promise<void>;
  /** Registers a closer to run (first) on close: workers, platform clients. */
  onClose(fn: () => Promise<void>): void;
}

/** Longest wait for one part of the app to close (SIGTERM exits within a few of these). */
const CLOSE_STEP_MS = 3_000;
const TIMED_OUT = Symbol('timed out');

/** `p`, or TIMED_OUT after `ms` (the timer does not keep the process alive). */
async function within<T>(p: Promise<T>, ms: number): Promise<T | typeof TIMED_OUT> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<typeof TIMED_OUT>((r) => {
    timer = setTimeout(() => r(TIMED_OUT), ms);
    timer.unref();
  });
  try {
    return await Promise.race([p, timeout]);
  } finally {
    clearTimeout(timer);
  }
}

export async function createApp(opts: AppOptions): Promise<App> {
  const { config, logger } = opts;
  const clock = opts.clock ?? systemClock;
  const bank = opts.bank ?? (await loadBank());
  const redis = opts.redis ?? (await openRedis({ url: config.redisUrl, dataDir: config.dataDir, logger }));
  const metrics = new PromMetrics();
  redis.onReconnect?.(() => metrics.record({ kind: 'redis-reconnect' }));
  const client = redis.connect();
  const infra: Infra = {
    config,
    logger,
    clock,
    bank,
    metrics,
    client,
    store: new RedisQuizStore(client, config.redisPrefix, {
      replicas: config.redisWaitReplicas,
      timeoutMs: REDIS_WAIT_TIMEOUT_MS,
      onShort: (acked) => metrics.record({ kind: 'unreplicated-answer', acked }),
    }),
    chat: new ChatRouter(),
    progressStore: new RedisProgressStore(client, config.redisPrefix),
    scheduleStore: new RedisScheduleStore(client, config.redisPrefix),
  };
  // Reveals go through BullMQ once this process runs the job runtime; before that (CLI tools,
  // tests without workers) a reveal waits for the reconciler or an admin.
  let jobs: JobRuntime | null = null;
  const services = createServices(infra, opts, {
    scheduleReveal: async (round) => jobs?.scheduleReveal(round),
    scheduleReminder: async (round, atMs) => jobs?.scheduleReminder(round, atMs),
  });
  // Held answers wait for Redis; the client's status tells whether it is there right now.
  const answers = new AnswerBuffer((input) => services.quiz.recordAnswer(input), { logger, available: () => client.status === 'ready' });
  const closers: (() => Promise<void>)[] = [];
  const startJobs: App['startJobs'] = async ({ workers = true, ...o } = {}) => {
    if (jobs) return jobs;
    jobs = startJobRuntime(infra, services, redis, o);
    const runtime = jobs;
    // Without workers this process still produces jobs (schedule changes, reveals); replicas
    // with workers run them.
    if (workers) await runtime.start();
    closers.push(() => runtime.close());
    return runtime;
  };
  const { store, chat, scheduleStore } = infra;
  return {
    ...{ config, logger, clock, redis, client, bank, store, chat, metrics, scheduleStore, answers },
    ...services,
    jobs: () => jobs,
    startJobs,
    onClose: (fn) => void closers.push(fn),
    close: closeOnce(closers, answers, client, opts.redis ? null : redis, logger),
  };
}

/** What the services are built on: configuration, clock, bank, metrics and the Redis stores. */
interface Infra {
  config: Config;
  logger: Logger;
  clock: Clock;
  bank: QuestionBank;
  metrics: PromMetrics;
  client: RedisClient;
  store: RedisQuizStore;
  chat: ChatRouter;
  progressStore: RedisProgressStore;
  scheduleStore: RedisScheduleStore;
}

type Services = Pick<App, 'quiz' | 'progress' | 'recaps' | 'suggestions' | 'scheduling' | 'commands'>;

/** The core services, each built once its dependencies exist (channel settings first). */
function createServices(infra: Infra, opts: AppOptions, revealScheduler: RevealScheduler): Services {
  const { config, logger, clock, store, chat, progressStore, scheduleStore, metrics } = infra;
  // One slot's handling reads the channel's schedule once (readingSchedulesOnce), not six times.
  const schedules = scopedScheduleReads(scheduleStore);
  const settings = new ChannelSettings(schedules, config.defaultTimezone);
  const quiz: QuizService = new QuizService({
    bank: infra.bank,
    store,
    chat,
    clock,
    random: opts.random ?? Math.random,
    scheduler: revealScheduler,
    logger,
    timezoneOf: (c) => settings.timezoneOf(c),
    filtersOf: (c) => settings.filtersOf(c),
    reminderOf: (c) => settings.reminderOf(c),
    notifyRoleOf: (c) => settings.notifyRoleOf(c),
    streakOf: async (c, m) => (await progressStore.streak(c, m)).current,
    settings: {
      defaultTimezone: config.defaultTimezone,
      practiceRevealDelayMs: config.practiceRevealMs,
      maxOpenPractice: config.maxPractice,
      retentionMs: config.retentionMs,
      ...(opts.leaseMs ? { leaseMs: opts.leaseMs } : {}),
    },
    votesOf: (round) => progressStore.votes(round),
    ...(config.grader ? { modelGrader: new ModelGrader(config.grader, { logger, metrics, cache: new RedisGradeCache(infra.client, store.keys) }) } : {}),
    // Called only while a round is posted, long after the scheduling service below exists.
    onUnpostable: (round, err): Promise<'cancel' | 'retry'> => scheduling.handleUnpostable(round, err),
    ...(config.failpoints.length > 0 ? { failpoint: failpointHook(config.failpoints, logger) } : {}),
    metrics,
  });
  const timezoneOf = (c: ChannelRef) => settings.timezoneOf(c);
  const progress = new ProgressService({ progress: progressStore, store, clock, defaultTimezone: config.defaultTimezone, timezoneOf });
  const titleOf = async (c: ServerRef, id: string): Promise<string | undefined> => (await quiz.bankFor(c)).get(id)?.title;
  const rewardRoleOf = (c: ChannelRef) => settings.rewardRoleOf(c);
  const recaps = new RecapService({ store, progress: progressStore, titleOf, chat, clock, logger, timezoneOf, rewardRoleOf });
  const scheduling: SchedulingService = new SchedulingService({
    recaps,
    schedules,
    store,
    quiz,
    chat,
    clock,
    logger,
    settings: { defaultTimezone: config.defaultTimezone, catchUpGraceMs: config.catchUpGraceMs, minIntervalMs: config.minIntervalMs },
  });
  const suggestions = new SuggestionService({ store, chat, clock, logger, bankFor: (server) => quiz.bankFor(server) });
  const knownTopics = async (c: ChannelRef) => new Set((await quiz.bankFor(c)).topics().map((t) => t.topic));
  const setNudge = (c: ChannelRef, m: string, on: boolean) => store.setNudge(c, m, on);
  const deps = { quiz, scheduling, progress, recaps, suggestions, chat, clock, logger, knownTopics, setNudge };
  return { quiz, progress, recaps, suggestions, scheduling, commands: new CommandRunner(deps, COMMANDS) };
}

function startJobRuntime(infra: Infra, s: Services, redis: RedisHandle, o: Partial<ConstructorParameters<typeof JobRuntime>[0]>): JobRuntime {
  const { config, logger, clock, metrics } = infra;
  const jobs = new JobRuntime({
    connect: ({ worker }) => redis.connect(worker ? { maxRetriesPerRequest: null } : { enableOfflineQueue: false }),
    prefix: infra.store.keys.bullPrefix(),
    quiz: s.quiz,
    scheduling: s.scheduling,
    recaps: s.recaps,
    clock,
    logger,
    metrics,
    concurrency: config.concurrency,
    postRate: config.postRate,
    ...o,
  });
  s.scheduling.attach(jobs);
  metrics.queueDepthFrom(() => jobs.counts());
  return jobs;
}

/**
 * The app's close, run once: held answers are told, each closer runs bounded (with Redis
 * unreachable a graceful close would wait forever, and a stopping process must exit; workers'
 * jobs are retried elsewhere, nothing is half done), then the Redis client and an owned server.
 */
function closeOnce(
  closers: (() => Promise<void>)[],
  answers: AnswerBuffer,
  client: RedisClient,
  ownedRedis: RedisHandle | null,
  logger: Logger,
): () => Promise<void> {
  let closing: Promise<void> | null = null;
  return () =>
    (closing ??= (async () => {
      answers.stop();
      for (const fn of closers.reverse()) {
        const step = fn().catch((err: unknown) => logger.warn('error while closing', { err }));
        if ((await within(step, CLOSE_STEP_MS)) === TIMED_OUT) logger.warn('a part of quizbot did not close in time; going on', { afterMs: CLOSE_STEP_MS });
      }
      if (
        (await within(
          client.quit().catch(() => undefined),
          CLOSE_STEP_MS,
        )) === TIMED_OUT
      )
        client.disconnect();
      if (ownedRedis) await within(ownedRedis.close(), CLOSE_STEP_MS);
    })());
}

/**
 * Starts /healthz, /readyz and /metrics on config.httpPort (when set). `platformsReady` reports
 * whether the chat platforms are connected (always true for the console).
 */
export async function startOps(app: App, platformsReady: () => boolean = () => true): Promise<void> {
  if (app.config.httpPort === null) return;
  const server = await startOpsServer({
    port: app.config.httpPort,
    logger: app.logger,
    metrics: () => app.metrics.text(),
    checks: {
      redis: async () => (await app.client.ping()) === 'PONG',
      platforms: platformsReady,
      workers: () => !app.config.workers || (app.jobs()?.running ?? false),
    },
  });
  app.onClose(() => server.close());
}

/** What platform adapters may call (src/core/facade.ts): a narrow face of the App. */
/** How long an answer waits for its replicas (QUIZBOT_REDIS_WAIT) before it is acknowledged anyway. */
const REDIS_WAIT_TIMEOUT_MS = 500;

export function platformFacade(app: App): PlatformFacade {
  return {
    logger: app.logger,
    registerChat: (platform, port) => app.chat.register(platform, port),
    recordAnswer: (input, late) => app.answers.record(input, late),
    withdrawAnswer: (channel, messageRef) => app.quiz.withdrawAnswer(channel, messageRef),
    vote: (input) => app.progress.voteOnMessage(input),
    retractVote: (input) => app.progress.retractVoteOnMessage(input),
    voteForMember: (input) => app.progress.vote(input),
    retractMemberVote: (input) => app.progress.retractVote(input),
    runCommand: (ctx, command) => app.commands.run(ctx, command),
    helpText: () => app.commands.helpText(),
    revealChoices: (ctx) => app.commands.revealChoices(ctx),
    formErrors: (command) => app.commands.formErrors(command),
    suggestTopics: (query, limit) => app.quiz.bank.suggest(query, limit).map((s) => ({ id: s.id, title: s.title })),
    claimOnce: (name, ttlMs) => app.store.tryLock(name, ttlMs),
    holdLease: (name, holder, ttlMs) => app.store.holdLease(name, holder, ttlMs),
    releaseLease: (name, holder) => app.store.releaseLease(name, holder),
    saveLeaseState: (name, holder, state, ttlMs) => app.store.saveLeaseState(name, holder, state, ttlMs),
    leaseState: (name) => app.store.leaseState(name),
    underLease: (name, ttlMs, fn) =>
      withLease(app.store, { name, holder: randomUUID(), ttlMs }, () => new Error(`${name} stayed locked`), fn, { tries: 100, everyMs: 50 }),
    recordMetric: (event) => app.metrics.record(event),
    onClose: (fn) => app.onClose(fn),
  };
}
