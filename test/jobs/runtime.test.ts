/**
 * The BullMQ runtime in one process: catch-up jobs, retries with backoff, and a platform 429
 * that pauses the queue for the time it asks and then posts once.
 */
import type { RedisHandle } from '../../src/store/connection.js';
import { afterAll, describe, expect, it } from 'vitest';
import { createApp } from '../../src/app.js';
import { periodWindow } from '../../src/core/schedule/periods.js';
import { loadConfig } from '../../src/config/env.js';
import { RateLimitedError } from '../../src/core/text/errors.js';
import type { Logger } from '../../src/core/ports.js';
import { silentLogger } from '../../src/core/ports.js';
import type { ChannelRef } from '../../src/core/types.js';
import { channelHash, slotJobId, type JobRuntime } from '../../src/jobs/runtime.js';
import { RecordingChat } from '../helpers/core.js';
import { newNamespace, redisUrl, testRedisHandle } from '../helpers/redis.js';
import { budget, waitFor } from '../helpers/wait.js';

const handles: RedisHandle[] = [];
afterAll(async () => {
  await Promise.all(handles.map((h) => h.close()));
});

class FlakyChat extends RecordingChat {
  failures: Error[] = [];
  attempts = 0;
  override async sendQuestion(...args: Parameters<RecordingChat['sendQuestion']>) {
    this.attempts++;
    const f = this.failures.shift();
    if (f) throw f;
    return super.sendQuestion(...args);
  }
}

async function appWith(chat: FlakyChat, logger: Logger = silentLogger) {
  const prefix = newNamespace('rt');
  const handle = testRedisHandle();
  handles.push(handle);
  const app = await createApp({
    config: loadConfig({ REDIS_URL: redisUrl(), REDIS_PREFIX: prefix, QUIZBOT_MIN_INTERVAL: '1m' }),
    logger,
    redis: handle,
  });
  app.chat.register('discord', chat);
  return app;
}

/** Waits until a job has run to its end (BullMQ's job state): after that it posts nothing more. */
async function finished(jobs: JobRuntime, jobId: string): Promise<void> {
  await waitFor(`job ${jobId} to complete`, async () => (await jobs.postQueue.getJobState(jobId)) === 'completed');
}

const channel: ChannelRef = { platform: 'discord', serverId: 'g1', channelId: 'c1' };
/** The current minute's slot of an every-minute schedule: due now, on time. */
const thisMinute = () => Math.floor(Date.now() / 60_000) * 60_000;

describe('job runtime', { timeout: budget(30_000) }, () => {
  it('GIVEN a platform 429 THEN the queue pauses for the time asked and the slot posts exactly once', async () => {
    const chat = new FlakyChat();
    const warnings: string[] = [];
    const app = await appWith(chat, { ...silentLogger, warn: (m) => warnings.push(m) });
    await app.scheduling.update(channel, { cron: '* * * * *', timezone: 'UTC' });
    const jobs = await app.startJobs({ backoffMs: 100 });
    chat.failures.push(new RateLimitedError(700));
    const t0 = Date.now();
    const slot = thisMinute();
    await jobs.enqueuePost(channel, slot);
    await jobs.enqueuePost(channel, slot); // a duplicate enqueue is deduplicated
    // (The chain also arms the next minute's slot: near a minute boundary it may post too.)
    const ofSlot = () => chat.questions.filter((q) => q.post.round.slotMs === slot);
    await waitFor('the slot posted', async () => ofSlot().length === 1);
    expect(Date.now() - t0).toBeGreaterThanOrEqual(600);
    // One refused attempt and one that posted, for this slot (later slots post at the first try).
    expect(chat.attempts - (chat.questions.length - ofSlot().length)).toBe(2);
    expect(warnings).toContain('platform rate limit: pausing the queue');
    // The slot's one job (the duplicate enqueue added none) has completed: nothing else posts it.
    await finished(jobs, slotJobId(channel, slot));
    expect(ofSlot()).toHaveLength(1);
    await app.close();
  });

  it('GIVEN a failing platform call THEN the job is retried with backoff and posts once', async () => {
    const chat = new FlakyChat();
    const app = await appWith(chat);
    await app.scheduling.update(channel, { cron: '* * * * *', timezone: 'UTC' });
    const jobs = await app.startJobs({ backoffMs: 100 });
    chat.failures.push(new Error('503 from the platform'), new Error('503 again'));
    const slot = thisMinute();
    await jobs.enqueuePost(channel, slot);
    await waitFor('the post', async () => chat.questions.length === 1);
    expect(chat.attempts).toBe(3);
    const round = chat.questions[0]!.post.round;
    expect(round.slotMs).toBe(slot);
    await app.close();
  });
  it('GIVEN a recap queued twice and a worker that fails once THEN the job retries and the recap is posted once', async () => {
    class FlakyNotices extends FlakyChat {
      noticeFailures = 1;
      override async sendNotice(...args: Parameters<RecordingChat['sendNotice']>) {
        if (this.noticeFailures-- > 0) throw new Error('503 from the platform');
        return super.sendNotice(...args);
      }
    }
    const chat = new FlakyNotices();
    const app = await appWith(chat);
    await app.scheduling.update(channel, { cron: '0 9 * * *', timezone: 'UTC' });
    const { round } = await app.quiz.startRound(channel, { mode: 'scheduled', slotMs: thisMinute(), topic: 'cap' });
    await app.quiz.recordAnswer({
      channel,
      threadRef: null,
      roundId: round.id,
      member: { id: 'u1', name: 'alice' },
      text: 'During a partition you choose consistency or availability.',
      deliveryId: 'd1',
    });
    await app.quiz.reveal(round.id);
    const jobs = await app.startJobs({ backoffMs: 100 });
    const week = periodWindow('week', (await app.store.getRound(round.id))!.revealedAt!, 'UTC').key;
    await jobs.enqueueRecap(channel, 'week', week);
    await jobs.enqueueRecap(channel, 'week', week);
    await waitFor('the recap', async () => chat.notices.length === 1);
    // Its one job (queued twice, same id) has completed after the retry: nothing else sends it.
    await finished(jobs, `recap-${channelHash(channel)}-week-${week}`);
    expect(chat.notices.map((n) => n.notice.key)).toEqual([`recap-week-${week}-c1`]);
    await app.close();
  });
});
