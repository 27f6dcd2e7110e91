/**
 * BullMQ in quizbot: three queues, each processed by every replica.
 *
 * - `post`: one delayed job per channel's next slot (jobId `slot-<channel hash>-<slot ms>`), due
 *   at the slot. Handling a slot queues the following one, so each channel has a chain of delayed
 *   jobs computed by quizbot's own slot calendar (no BullMQ cron, whose parser loops or skips at
 *   DST edges). Also `drive-<round>-<minute>` jobs: another attempt at posting a round, and
 *   `recap-<channel hash>-<period>-<key>` jobs: a channel's recap of an ended week or month.
 * - `reveal`: one delayed job per round with jobId `reveal-<round id>`, plus late re-drives, and
 *   `remind-<round id>`: the thread's reminder before the reveal (when the schedule has one).
 * - `maintenance`: an `every` scheduler running the reconciler once a minute.
 * Handlers are idempotent on their own (rounds are state machines with leases), so at-least-once
 * delivery, retries and several replicas never post or reveal twice. A handler that finds a round
 * leased by another worker fails and is retried; it never reports success for work not done.
 */
import { isTransientStoreError } from '../core/rounds/answer-buffer.js';
import { randomUUID } from 'node:crypto';
import { Queue, Worker, type ConnectionOptions, type Job, type JobsOptions } from 'bullmq';
import type { RedisClient } from '../store/topology.js';
import { QuizError, RateLimitedError, RoundBusyError } from '../core/text/errors.js';
import type { Clock, JobPort, Logger, Metrics, RecapPeriod } from '../core/ports.js';
import type { RecapService } from '../core/progress/recaps.js';
import type { QuizService } from '../core/rounds/quiz.js';
import { channelHash } from '../core/rounds/round-ids.js';
import type { SchedulingService } from '../core/schedule/scheduling.js';
import { type ChannelRef, type Round } from '../core/types.js';

export { channelHash };

/**
 * Queue names carry a Redis Cluster hash tag: each queue's keys (`<prefix>:{quizbot-post}:wait`,
 * …) live in one slot, which BullMQ's multi-key scripts need; the three queues spread over slots.
 * (Versions before 0.3 used the names without braces: their queued jobs are not read any more,
 * and the reconciler posts or reveals whatever they held once it is overdue.)
 */
export const QUEUES = { post: '{quizbot-post}', reveal: '{quizbot-reveal}', maintenance: '{quizbot-maintenance}' } as const;

export interface JobRuntimeOptions {
  /** Opens a fresh Redis connection (BullMQ needs several; workers get maxRetriesPerRequest: null). */
  connect: (opts: { worker: boolean }) => RedisClient;
  prefix: string;
  quiz: QuizService;
  scheduling: SchedulingService;
  recaps?: RecapService;
  clock: Clock;
  logger: Logger;
  /** How often the reconciler runs (ms). */
  reconcileEveryMs?: number;
  /** Jobs each worker runs at once (they mostly wait on the platform's latency). */
  concurrency?: number;
  /**
   * Post jobs started per second across every worker process (BullMQ's limiter is shared through
   * Redis): a burst of due channels runs at the platform's rate, not at workers × latency. A post
   * is about two requests (message, thread): 25/s matches Discord's 50 requests/s per bot.
   */
  postRate?: number;
  /** BullMQ job lock and stalled-job check (ms); tests shorten them so a killed worker's job re-runs fast. */
  lockDurationMs?: number;
  stalledIntervalMs?: number;
  metrics?: Metrics;
  /** Retry policy; tests shorten the delay. */
  attempts?: number;
  backoffMs?: number;
}

interface PostData {
  channel: ChannelRef;
  slotMs: number;
}
interface DriveData {
  roundId: string;
}
interface RevealData {
  roundId: string;
}
interface RemindData {
  remind: string;
}
interface RecapData {
  recap: { channel: ChannelRef; period: RecapPeriod; periodKey: string };
}

/** Who drives a notice from this job (unique per attempt: two attempts never share a lease). */
const jobHolder = (job: Job): string => `job-${job.id}-${process.pid}-${randomUUID()}`;

export function slotJobId(channel: ChannelRef, slotMs: number): string {
  return `slot-${channelHash(channel)}-${slotMs}`;
}

const PENDING_STATES = new Set(['waiting', 'delayed', 'active', 'prioritized', 'waiting-children']);

export class JobRuntime implements JobPort {
  private readonly queues: { post: Queue; reveal: Queue; maintenance: Queue };
  private readonly workers: Worker[] = [];
  private readonly jobOpts: JobsOptions;
  private closed = false;
  readonly options: JobRuntimeOptions;

  /** Connection errors are the outage reporter's (one line per outage); anything else is logged. */
  private reportError(what: string, queue: string, err: Error): void {
    if (isTransientStoreError(err)) this.o.logger.debug(what, { queue, err: err.message });
    else this.o.logger.error(what, { queue, err });
  }

  constructor(private readonly o: JobRuntimeOptions) {
    this.options = o;
    const connection = o.connect({ worker: false }) as unknown as ConnectionOptions;
    this.queues = {
      post: new Queue(QUEUES.post, { connection, prefix: o.prefix }),
      reveal: new Queue(QUEUES.reveal, { connection, prefix: o.prefix }),
      maintenance: new Queue(QUEUES.maintenance, { connection, prefix: o.prefix }),
    };
    // A queue without an error listener prints raw stacks (BullMQ's last resort); a lost
    // connection is reported once by the connection's outage reporter, not per queue and retry.
    for (const q of Object.values(this.queues)) q.on('error', (err) => this.reportError('queue error', q.name, err));
    this.jobOpts = {
      attempts: o.attempts ?? 8,
      backoff: { type: 'exponential', delay: o.backoffMs ?? 5_000, jitter: 0.5 },
      removeOnComplete: { age: 7 * 24 * 3600, count: 5_000 },
      removeOnFail: { age: 30 * 24 * 3600, count: 5_000 },
    };
  }

  // ---- JobPort -------------------------------------------------------------------------

  async enqueuePost(channel: ChannelRef, slotMs: number): Promise<void> {
    const id = slotJobId(channel, slotMs);
    const delay = Math.max(0, slotMs - this.o.clock.now());
    await this.queues.post.add('slot', { channel, slotMs } satisfies PostData, { ...this.jobOpts, jobId: id, delay });
    // The chain must not break silently: the job just added (or already there) has to exist.
    const state = await this.queues.post.getJobState(id);
    if (state === 'unknown') throw new Error(`post job ${id} was not scheduled`);
  }

  async dropPost(channel: ChannelRef, slotMs: number): Promise<void> {
    const job = await this.queues.post.getJob(slotJobId(channel, slotMs));
    if (job && (await job.isDelayed())) await job.remove().catch(() => undefined);
  }

  async postPending(channel: ChannelRef, slotMs: number): Promise<boolean> {
    return PENDING_STATES.has(await this.queues.post.getJobState(slotJobId(channel, slotMs)));
  }

  async scheduleReveal(round: Round): Promise<void> {
    if (round.revealAt === null) return;
    const delay = Math.max(0, round.revealAt - this.o.clock.now());
    await this.queues.reveal.add('reveal', { roundId: round.id } satisfies RevealData, { ...this.jobOpts, jobId: `reveal-${round.id}`, delay });
  }

  async scheduleReminder(round: Round, atMs: number): Promise<void> {
    const delay = Math.max(0, atMs - this.o.clock.now());
    await this.queues.reveal.add('remind', { remind: round.id } satisfies RemindData, { ...this.jobOpts, jobId: `remind-${round.id}`, delay });
  }

  async enqueueReveal(roundId: string): Promise<void> {
    await this.queues.reveal.add('reveal', { roundId } satisfies RevealData, {
      ...this.jobOpts,
      jobId: `reveal-${roundId}-late-${Math.floor(this.o.clock.now() / 60_000)}`,
    });
  }

  async enqueueCatchUp(channel: ChannelRef, slotMs: number): Promise<void> {
    // Its own id per minute: the slot's job may linger as completed or failed under its own id.
    await this.queues.post.add('slot', { channel, slotMs } satisfies PostData, {
      ...this.jobOpts,
      jobId: `catchup-${channelHash(channel)}-${slotMs}-${Math.floor(this.o.clock.now() / 60_000)}`,
    });
  }

  async enqueueDrive(roundId: string): Promise<void> {
    await this.queues.post.add('drive', { roundId } satisfies DriveData, {
      ...this.jobOpts,
      jobId: `drive-${roundId}-${Math.floor(this.o.clock.now() / 60_000)}`,
    });
  }

  async enqueueRecap(channel: ChannelRef, period: RecapPeriod, periodKey: string): Promise<void> {
    // One job id per channel, period and key: the reconciler queueing it twice adds nothing.
    await this.queues.post.add('recap', { recap: { channel, period, periodKey } } satisfies RecapData, {
      ...this.jobOpts,
      jobId: `recap-${channelHash(channel)}-${period}-${periodKey}`,
    });
  }

  // ---- workers -------------------------------------------------------------------------

  /** Starts this process's workers and the reconciler's scheduler. */
  async start(): Promise<void> {
    const { logger } = this.o;
    const connection = () => this.o.connect({ worker: true }) as unknown as ConnectionOptions;
    // Every worker has a limiter: it is also what makes queue.rateLimit() (platform 429s) apply.
    const opts = {
      prefix: this.o.prefix,
      concurrency: this.o.concurrency ?? 50,
      limiter: { max: 1_000, duration: 1_000 },
      ...(this.o.lockDurationMs ? { lockDuration: this.o.lockDurationMs } : {}),
      ...(this.o.stalledIntervalMs ? { stalledInterval: this.o.stalledIntervalMs } : {}),
    };
    this.workers.push(
      new Worker<PostData | DriveData | RecapData>(QUEUES.post, (job) => this.guard(job, this.queues.post, () => this.runPost(job)), {
        ...opts,
        limiter: { max: this.o.postRate ?? 25, duration: 1_000 },
        connection: connection(),
      }),
      new Worker<RevealData | RemindData>(QUEUES.reveal, (job) => this.guard(job, this.queues.reveal, () => this.runReveal(job)), {
        ...opts,
        connection: connection(),
      }),
      new Worker(QUEUES.maintenance, (job) => this.guard(job, this.queues.maintenance, () => this.o.scheduling.reconcile()), {
        ...opts,
        concurrency: 1,
        connection: connection(),
      }),
    );
    for (const w of this.workers) {
      w.on('failed', (job, err) => {
        // Another worker holds the round: routine between a reveal job and a reconciler re-drive.
        const level = err instanceof RoundBusyError ? 'info' : 'warn';
        logger[level]('job failed', { queue: w.name, jobId: job?.id, attempts: job?.attemptsMade, err: err.message });
      });
      w.on('error', (err) => this.reportError('worker error', w.name, err));
    }
    await this.removeLegacySchedulers();
    await this.queues.maintenance.upsertJobScheduler(
      'reconcile',
      { every: this.o.reconcileEveryMs ?? 60_000 },
      { name: 'reconcile', opts: { removeOnComplete: { count: 10 }, removeOnFail: { count: 50 } } },
    );
    logger.info('job workers started');
  }

  /** Versions before 0.2 fired posts from BullMQ cron schedulers (`post-<hash>`); the chain replaces them. */
  private async removeLegacySchedulers(): Promise<void> {
    const legacy = await this.queues.post.getJobSchedulers(0, 10_000);
    for (const s of legacy) if (s.key.startsWith('post-')) await this.queues.post.removeJobScheduler(s.key);
  }

  private async runPost(job: Job<PostData | DriveData | RecapData>): Promise<unknown> {
    if ('recap' in job.data) {
      const { channel, period, periodKey } = job.data.recap;
      if (!this.o.recaps) return { skipped: 'recaps are off in this process' };
      return { recap: await this.o.recaps.run(channel, period, periodKey, jobHolder(job)) };
    }
    if ('roundId' in job.data) {
      const round = await this.o.quiz.post(job.data.roundId).catch((err: unknown) => {
        if (err instanceof QuizError && err.code === 'not-found') return null;
        throw err;
      });
      return round ? { roundId: round.id, state: round.state } : { skipped: 'no such round' };
    }
    const out = await this.o.scheduling.handleSlot(job.data.channel, job.data.slotMs);
    return out.kind === 'posted' ? { roundId: out.started.round.id, created: out.started.created } : out;
  }

  private async runReveal(job: Job<RevealData | RemindData>): Promise<unknown> {
    if ('remind' in job.data) return { remind: await this.o.quiz.remind(job.data.remind, jobHolder(job)) };
    try {
      const view = await this.o.quiz.reveal(job.data.roundId);
      return { roundId: view.round.id, answers: view.feedback.length };
    } catch (err) {
      // A round that no longer exists (or was never posted) cannot be revealed by retrying.
      if (err instanceof QuizError && err.code === 'not-found') {
        this.o.logger.warn('reveal skipped', { roundId: job.data.roundId, reason: err.message });
        return { skipped: err.message };
      }
      throw err;
    }
  }

  /** Turns a platform 429 into a queue-wide pause of the time it asks, then a retry. */
  private async guard<T>(job: Job, queue: Queue, fn: () => Promise<T>): Promise<T> {
    const started = performance.now();
    let failed = false;
    try {
      return await fn();
    } catch (err) {
      failed = true;
      if (err instanceof RateLimitedError) {
        this.o.logger.warn('platform rate limit: pausing the queue', { queue: queue.name, jobId: job.id, retryAfterMs: err.retryAfterMs });
        await queue.rateLimit(err.retryAfterMs);
        throw Worker.RateLimitError();
      }
      throw err;
    } finally {
      this.o.metrics?.record({ kind: 'job', queue: queue.name, seconds: (performance.now() - started) / 1000, failed });
    }
  }

  /** Whether this process's workers are running (readiness). */
  get running(): boolean {
    return !this.closed && this.workers.length > 0 && this.workers.every((w) => w.isRunning());
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
