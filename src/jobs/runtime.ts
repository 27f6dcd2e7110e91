/**
 * BullMQ in quizbot: three queues, each processed by every replica.
 *
 * - `post`: one job scheduler per channel (id `post-<channel hash>`, the channel's cron and zone),
 *   upserted whenever its schedule changes; catch-up posts from the reconciler use the jobId
 *   `catchup-<channel hash>-<slot>`. The worker posts with the slot time (`job.opts.prevMillis`),
 *   never Date.now(), so the round id and date come from the slot.
 * - `reveal`: one delayed job per round with jobId `reveal-<round id>`.
 * - `maintenance`: an `every` scheduler running the reconciler once a minute.
 * Handlers are idempotent on their own (deterministic round ids, posted/revealed records), so
 * at-least-once delivery, retries and several replicas never post or reveal twice.
 */
import { createHash } from 'node:crypto';
import { Queue, Worker, type ConnectionOptions, type Job, type JobsOptions } from 'bullmq';
import type { Redis } from 'ioredis';
import { QuizError, RateLimitedError } from '../core/errors.js';
import type { Clock, JobPort, Logger } from '../core/ports.js';
import type { QuizService } from '../core/quiz.js';
import type { ChannelSchedule } from '../core/schedule.js';
import { validateCron, validateTimezone } from '../core/schedule.js';
import type { SchedulingService } from '../core/scheduling.js';
import { channelKey, type ChannelRef, type Round } from '../core/types.js';

export const QUEUES = { post: 'quizbot-post', reveal: 'quizbot-reveal', maintenance: 'quizbot-maintenance' } as const;

export interface JobRuntimeOptions {
  /** Opens a fresh Redis connection (BullMQ needs several; workers get maxRetriesPerRequest: null). */
  connect: (opts: { worker: boolean }) => Redis;
  prefix: string;
  quiz: QuizService;
  scheduling: SchedulingService;
  clock: Clock;
  logger: Logger;
  /** How often the reconciler runs (ms). */
  reconcileEveryMs?: number;
  concurrency?: number;
  /** Retry policy; tests shorten the delay. */
  attempts?: number;
  backoffMs?: number;
}

interface PostData {
  channel: ChannelRef;
  /** Set on catch-up jobs; scheduler jobs carry their slot in opts.prevMillis. */
  slotMs?: number;
}
interface RevealData {
  roundId: string;
}

export function channelHash(channel: ChannelRef): string {
  return createHash('sha256').update(channelKey(channel)).digest('hex').slice(0, 16);
}

export function schedulerId(channel: ChannelRef): string {
  return `post-${channelHash(channel)}`;
}

export class JobRuntime implements JobPort {
  private readonly queues: { post: Queue; reveal: Queue; maintenance: Queue };
  private readonly workers: Worker[] = [];
  private readonly jobOpts: JobsOptions;
  private closed = false;
  readonly options: JobRuntimeOptions;

  constructor(private readonly o: JobRuntimeOptions) {
    this.options = o;
    const connection = o.connect({ worker: false }) as unknown as ConnectionOptions;
    this.queues = {
      post: new Queue(QUEUES.post, { connection, prefix: o.prefix }),
      reveal: new Queue(QUEUES.reveal, { connection, prefix: o.prefix }),
      maintenance: new Queue(QUEUES.maintenance, { connection, prefix: o.prefix }),
    };
    this.jobOpts = {
      attempts: o.attempts ?? 8,
      backoff: { type: 'exponential', delay: o.backoffMs ?? 5_000, jitter: 0.5 },
      removeOnComplete: { age: 7 * 24 * 3600, count: 5_000 },
      removeOnFail: { age: 30 * 24 * 3600, count: 5_000 },
    };
  }

  // ---- JobPort -------------------------------------------------------------------------

  async syncChannel(s: ChannelSchedule): Promise<void> {
    const id = schedulerId(s.channel);
    if (s.paused) {
      await this.queues.post.removeJobScheduler(id);
      return;
    }
    // BullMQ swallows cron errors and silently stops a scheduler: validate first.
    validateTimezone(s.timezone);
    validateCron(s.cron, s.timezone, this.o.clock.now());
    try {
      await this.queues.post.upsertJobScheduler(id, { pattern: s.cron, tz: s.timezone }, { name: 'post', data: { channel: s.channel } satisfies PostData, opts: this.jobOpts });
    } catch (err) {
      // Several replicas upserting the same slot race on the job id: the scheduler exists.
      if (!/already exists/i.test((err as Error).message)) throw err;
    }
  }

  async enqueuePost(channel: ChannelRef, slotMs: number): Promise<void> {
    await this.queues.post.add('post', { channel, slotMs } satisfies PostData, { ...this.jobOpts, jobId: `catchup-${channelHash(channel)}-${slotMs}` });
  }

  async scheduleReveal(round: Round): Promise<void> {
    if (round.revealAt === null) return;
    const delay = Math.max(0, round.revealAt - this.o.clock.now());
    await this.queues.reveal.add('reveal', { roundId: round.id } satisfies RevealData, { ...this.jobOpts, jobId: `reveal-${round.id}`, delay });
  }

  async enqueueReveal(roundId: string): Promise<void> {
    await this.queues.reveal.add('reveal', { roundId } satisfies RevealData, { ...this.jobOpts, jobId: `reveal-${roundId}-late-${Math.floor(this.o.clock.now() / 60_000)}` });
  }

  // ---- workers -------------------------------------------------------------------------

  /** Starts this process's workers and the reconciler's scheduler. */
  async start(): Promise<void> {
    const { logger } = this.o;
    // A generous limiter: it is what makes queue.rateLimit() (platform 429s) apply to the workers.
    const opts = { connection: this.o.connect({ worker: true }) as unknown as ConnectionOptions, prefix: this.o.prefix, concurrency: this.o.concurrency ?? 4, limiter: { max: 1_000, duration: 1_000 } };
    this.workers.push(
      new Worker<PostData>(QUEUES.post, (job) => this.guard(job, this.queues.post, () => this.runPost(job)), opts),
      new Worker<RevealData>(QUEUES.reveal, (job) => this.guard(job, this.queues.reveal, () => this.runReveal(job)), { ...opts, connection: this.o.connect({ worker: true }) as unknown as ConnectionOptions }),
      new Worker(QUEUES.maintenance, (job) => this.guard(job, this.queues.maintenance, () => this.o.scheduling.reconcile()), { ...opts, concurrency: 1, connection: this.o.connect({ worker: true }) as unknown as ConnectionOptions }),
    );
    for (const w of this.workers) {
      w.on('failed', (job, err) => logger.warn('job failed', { queue: w.name, jobId: job?.id, attempts: job?.attemptsMade, err: err.message }));
      w.on('error', (err) => logger.error('worker error', { queue: w.name, err: err.message }));
    }
    await this.queues.maintenance.upsertJobScheduler('reconcile', { every: this.o.reconcileEveryMs ?? 60_000 }, { name: 'reconcile', opts: { removeOnComplete: { count: 10 }, removeOnFail: { count: 50 } } });
    const n = await this.o.scheduling.syncAll();
    logger.info('job workers started', { schedules: n });
  }

  private async runPost(job: Job<PostData>): Promise<unknown> {
    const slotMs = job.data.slotMs ?? job.opts.prevMillis ?? slotFromJobId(job.id);
    if (slotMs === undefined) throw new Error(`post job ${job.id} has no slot time`);
    const out = await this.o.scheduling.runSlot(job.data.channel, slotMs);
    return out.kind === 'posted' ? { roundId: out.started.round.id, created: out.started.created } : out;
  }

  private async runReveal(job: Job<RevealData>): Promise<unknown> {
    try {
      const view = await this.o.quiz.reveal(job.data.roundId);
      return { roundId: view.round.id, answers: view.feedback.length };
    } catch (err) {
      // A round that no longer exists cannot be revealed by retrying.
      if (err instanceof QuizError && err.code === 'not-found') {
        this.o.logger.warn('reveal skipped', { roundId: job.data.roundId, reason: err.message });
        return { skipped: err.message };
      }
      throw err;
    }
  }

  /** Turns a platform 429 into a queue-wide pause of the time it asks, then a retry. */
  private async guard<T>(job: Job, queue: Queue, fn: () => Promise<T>): Promise<T> {
    try {
      return await fn();
    } catch (err) {
      if (err instanceof RateLimitedError) {
        this.o.logger.warn('platform rate limit: pausing the queue', { queue: queue.name, jobId: job.id, retryAfterMs: err.retryAfterMs });
        await queue.rateLimit(err.retryAfterMs);
        throw Worker.RateLimitError();
      }
      throw err;
    }
  }

  /** Graceful stop: running jobs finish, nothing new starts. Safe to call twice. */
  async close(): Promise<void> {
    if (this.closed) return;
    this.closed = true;
    await Promise.all(this.workers.map((w) => w.close()));
    await Promise.all(Object.values(this.queues).map((q) => q.close()));
  }

  /** For tests and the CLI: counts of jobs per state. */
  async counts(): Promise<Record<string, Record<string, number>>> {
    const out: Record<string, Record<string, number>> = {};
    for (const [k, q] of Object.entries(this.queues)) out[k] = await q.getJobCounts();
    return out;
  }

  get postQueue(): Queue {
    return this.queues.post;
  }
}

function slotFromJobId(id: string | undefined): number | undefined {
  const m = id ? /:(\d{10,})$/.exec(id) : null;
  return m ? Number(m[1]) : undefined;
}
