/**
 * Composition root: builds the object graph from configuration. Used by `npm start`, the CLI
 * and end-to-end tests (which pass their own Redis, clock and content).
 */
import { AnswerBuffer } from './core/answer-buffer.js';
import { loadBank } from './content/loader.js';
import type { QuestionBank } from './content/bank.js';
import { COMMANDS, CommandRunner } from './core/commands/index.js';
import type { PlatformFacade } from './core/facade.js';
import { systemClock, type Clock, type Logger, type Random } from './core/ports.js';
import { QuizService } from './core/quiz.js';
import type { Failpoint } from './core/failpoints.js';
import type { Config } from './config/env.js';
import { ChatRouter } from './platforms/router.js';
import { openRedis, type RedisHandle } from './store/connection.js';
import { RedisQuizStore } from './store/redis-store.js';
import { RedisGradeCache } from './store/grade-cache.js';
import { ModelGrader } from './content/model-grader.js';
import { RedisProgressStore } from './store/progress-store.js';
import { ProgressService } from './core/progress.js';
import { SchedulingService } from './core/scheduling.js';
import { RecapService } from './core/recaps.js';
import { SuggestionService } from './core/suggestions.js';
import type { RevealScheduler } from './core/ports.js';
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
  const ownsRedis = !opts.redis;
  const redis = opts.redis ?? (await openRedis({ url: config.redisUrl, dataDir: config.dataDir, logger }));
  const metrics = new PromMetrics();
  redis.onReconnect?.(() => metrics.record({ kind: 'redis-reconnect' }));
  const client = redis.connect();
  const store = new RedisQuizStore(client, config.redisPrefix);
  const chat = new ChatRouter();
  const progressStore = new RedisProgressStore(client, config.redisPrefix);
  const scheduleStore = new RedisScheduleStore(client, config.redisPrefix);
  let jobs: JobRuntime | null = null;
  // Reveals go through BullMQ once this process runs the job runtime; before that (CLI tools,
  // tests without workers) a reveal waits for the reconciler or an admin.
  const revealScheduler: RevealScheduler = {
    scheduleReveal: async (round) => jobs?.scheduleReveal(round),
    scheduleReminder: async (round, atMs) => jobs?.scheduleReminder(round, atMs),
  };
  let scheduling: SchedulingService | null = null;
  const quiz = new QuizService({
    bank,
    store,
    chat,
    clock,
    random: opts.random ?? Math.random,
    scheduler: revealScheduler,
    logger,
    timezoneOf: (c) => scheduling!.timezoneOf(c),
    filtersOf: (c) => scheduling!.filtersOf(c),
    reminderOf: (c) => scheduling!.reminderOf(c),
    notifyRoleOf: (c) => scheduling!.notifyRoleOf(c),
    streakOf: async (c, m) => (await progressStore.streak(c, m)).current,
    settings: {
      defaultTimezone: config.defaultTimezone,
      practiceRevealDelayMs: config.practiceRevealMs,
      maxOpenPractice: config.maxPractice,
      retentionMs: config.retentionMs,
      ...(opts.leaseMs ? { leaseMs: opts.leaseMs } : {}),
    },
    votesOf: (round) => progressStore.votes(round),
    ...(config.grader ? { modelGrader: new ModelGrader(config.grader, { logger, metrics, cache: new RedisGradeCache(client, store.keys) }) } : {}),
    onUnpostable: (round, err) => scheduling!.handleUnpostable(round, err),
    ...(config.failpoints.length > 0 ? { failpoint: failpointHook(config.failpoints, logger) } : {}),
    metrics,
  });
  const progress = new ProgressService({
    progress: progressStore,
    store,
    clock,
    defaultTimezone: config.defaultTimezone,
    timezoneOf: (c) => quiz.timezoneOf(c),
  });
  const recaps = new RecapService({
    store,
    progress: progressStore,
    titleOf: async (c, id) => (await quiz.bankFor(c)).get(id)?.title,
    chat,
    clock,
    logger,
    timezoneOf: (c) => quiz.timezoneOf(c),
    rewardRoleOf: (c) => scheduling!.rewardRoleOf(c),
  });
  scheduling = new SchedulingService({
    recaps,
    schedules: scheduleStore,
    store,
    quiz,
    chat,
    clock,
    logger,
    settings: { defaultTimezone: config.defaultTimezone, catchUpGraceMs: config.catchUpGraceMs, minIntervalMs: config.minIntervalMs },
  });
  const suggestions = new SuggestionService({ store, chat, clock, logger, bankFor: (server) => quiz.bankFor(server) });
  const commands = new CommandRunner(
    {
      quiz,
      scheduling,
      progress,
      recaps,
      suggestions,
      chat,
      clock,
      logger,
      knownTopics: async (c) => new Set((await quiz.bankFor(c)).topics().map((t) => t.topic)),
      setNudge: (c, m, on) => store.setNudge(c, m, on),
    },
    COMMANDS,
  );
  const sched = scheduling;
  // Held answers wait for Redis; the client's status tells whether it is there right now.
  const answers = new AnswerBuffer((input) => quiz.recordAnswer(input), { logger, available: () => client.status === 'ready' });
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
    answers,
    progress,
    recaps,
    suggestions,
    scheduling: sched,
    scheduleStore,
    commands,
    metrics,
    jobs: () => jobs,
    async startJobs({ workers = true, ...o } = {}) {
      if (jobs) return jobs;
      jobs = new JobRuntime({
        connect: ({ worker }) => redis.connect(worker ? { maxRetriesPerRequest: null } : { enableOfflineQueue: false }),
        prefix: store.keys.bullPrefix(),
        quiz,
        scheduling: sched,
        recaps,
        clock,
        logger,
        metrics,
        concurrency: config.concurrency,
        postRate: config.postRate,
        ...o,
      });
      sched.attach(jobs);
      const runtime = jobs;
      metrics.queueDepthFrom(() => runtime.counts());
      // Without workers this process still produces jobs (schedule changes, reveals); replicas
      // with workers run them.
      if (workers) await jobs.start();
      const running = jobs;
      closers.push(() => running.close());
      return jobs;
    },
    onClose(fn) {
      closers.push(fn);
    },
    close() {
      closing ??= (async () => {
        // Members whose answers are still held hear that they were not recorded.
        answers.stop();
        // Each step is bounded: with Redis unreachable a graceful close would wait forever, and a
        // stopping process must exit (workers' jobs are retried elsewhere; nothing is half done).
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
        if (ownsRedis) await within(redis.close(), CLOSE_STEP_MS);
      })();
      return closing;
    },
  };
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
    recordMetric: (event) => app.metrics.record(event),
    onClose: (fn) => app.onClose(fn),
  };
}
