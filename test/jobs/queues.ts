/**
 * The app's BullMQ queues as a test sees them (Queue objects only read; no worker): positive
 * signals for "nothing more happened" assertions. Instead of sleeping and hoping the workers
 * had their chance, a test waits until every job that was to run has run and a reconciler pass
 * that started after that has finished.
 */
import { Queue, type ConnectionOptions, type Job } from 'bullmq';
import { QUEUES } from '../../src/jobs/runtime.js';
import { createKeys } from '../../src/store/keys.js';
import type { RedisClient } from '../../src/store/topology.js';
import { waitFor } from '../helpers/wait.js';

export class QueueWatch {
  readonly post: Queue;
  readonly reveal: Queue;
  readonly maintenance: Queue;

  /** `client` stays the caller's to quit (a Queue given a client shares it). */
  constructor(client: RedisClient, namespace: string) {
    const opts = { connection: client as unknown as ConnectionOptions, prefix: createKeys(namespace).bullPrefix() };
    this.post = new Queue(QUEUES.post, opts);
    this.reveal = new Queue(QUEUES.reveal, opts);
    this.maintenance = new Queue(QUEUES.maintenance, opts);
  }

  /**
   * Post and reveal jobs to run now: waiting or active (a killed worker's job stays active until
   * a stalled check hands it on), or delayed after an attempt (a retry's backoff). Delayed jobs not
   * run yet are future work (the next slot of a chain, a reveal days away), not work in progress.
   */
  async busy(): Promise<string[]> {
    const out: string[] = [];
    for (const q of [this.post, this.reveal]) {
      const counts = await q.getJobCounts('waiting', 'active', 'prioritized', 'waiting-children');
      for (const [state, n] of Object.entries(counts)) if (n > 0) out.push(`${q.name}: ${n} ${state}`);
      for (const j of (await q.getJobs(['delayed'])) as (Job | undefined)[]) {
        if (j && (j.attemptsStarted > 0 || j.attemptsMade > 0)) out.push(`${q.name}: ${j.id} waiting to retry`);
      }
    }
    return out;
  }

  /** Whether a reconciler pass that started after `sinceMs` (this machine's clock) has completed. */
  async reconciledSince(sinceMs: number): Promise<boolean> {
    const done = (await this.maintenance.getJobs(['completed'], 0, 20)) as Job[];
    return done.some((j) => j && (j.processedOn ?? 0) > sinceMs);
  }

  /**
   * Waits until the system has had every chance to act: no job left to run, then a whole
   * reconciler pass after that (it re-drives whatever is overdue), then no job left again.
   */
  async settle(what: string): Promise<void> {
    await waitFor(`${what}: no post or reveal job left to run`, async () => (await this.busy()).length === 0);
    const mark = Date.now();
    await waitFor(`${what}: a reconciler pass started after that`, () => this.reconciledSince(mark));
    await waitFor(`${what}: no job left to run after the reconciler pass`, async () => (await this.busy()).length === 0);
  }

  async close(): Promise<void> {
    await Promise.all([this.post.close(), this.reveal.close(), this.maintenance.close()]);
  }
}
