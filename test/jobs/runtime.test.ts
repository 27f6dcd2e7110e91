/**
 * The BullMQ runtime in one process: catch-up jobs, retries with backoff, and a platform 429
 * that pauses the queue for the time it asks and then posts once.
 */
import type { RedisHandle } from '../../src/store/connection.js';
import { afterAll, describe, expect, it } from 'vitest';
import { createApp } from '../../src/app.js';
import { loadConfig } from '../../src/config/env.js';
import { RateLimitedError } from '../../src/core/errors.js';
import type { Logger } from '../../src/core/ports.js';
import { silentLogger } from '../../src/core/ports.js';
import type { ChannelRef } from '../../src/core/types.js';
import { RecordingChat } from '../helpers/core.js';
import { newNamespace, redisUrl, testRedisHandle } from '../helpers/redis.js';

const handles: RedisHandle[] = [];
afterAll(async () => {
  await Promise.all(handles.map((h) => h.close()));
});

class FlakyChat extends RecordingChat {
  failures: Error[] = [];
  attempts = 0;
  override async postQuestion(...args: Parameters<RecordingChat['postQuestion']>) {
    this.attempts++;
    const f = this.failures.shift();
    if (f) throw f;
    return super.postQuestion(...args);
  }
}

async function appWith(chat: FlakyChat, logger: Logger = silentLogger) {
  const prefix = newNamespace('rt');
  const handle = testRedisHandle();
  handles.push(handle);
  const app = await createApp({
    config: loadConfig({ REDIS_URL: redisUrl(), REDIS_PREFIX: prefix }),
    logger,
    redis: handle,
  });
  app.chat.register('discord', chat);
  return app;
}

async function until(fn: () => boolean, ms = 15_000) {
  const end = Date.now() + ms;
  while (!fn()) {
    if (Date.now() > end) throw new Error('timed out');
    await new Promise((r) => setTimeout(r, 50));
  }
}

const channel: ChannelRef = { platform: 'discord', serverId: 'g1', channelId: 'c1' };

describe('job runtime', () => {
  it('GIVEN a platform 429 THEN the queue pauses for the time asked and the slot posts exactly once', async () => {
    const chat = new FlakyChat();
    const warnings: string[] = [];
    const app = await appWith(chat, { ...silentLogger, warn: (m) => warnings.push(m) });
    await app.scheduling.update(channel, { cron: '0 9 * * *', timezone: 'UTC' });
    const jobs = await app.startJobs({ backoffMs: 100 });
    chat.failures.push(new RateLimitedError(700));
    const t0 = Date.now();
    await jobs.enqueuePost(channel, Date.UTC(2026, 10, 23, 9));
    await jobs.enqueuePost(channel, Date.UTC(2026, 10, 23, 9)); // a duplicate enqueue is deduplicated
    await until(() => chat.questions.length === 1);
    expect(Date.now() - t0).toBeGreaterThanOrEqual(600);
    expect(chat.attempts).toBe(2);
    expect(warnings).toContain('platform rate limit: pausing the queue');
    await new Promise((r) => setTimeout(r, 300));
    expect(chat.questions).toHaveLength(1);
    await app.close();
  }, 30_000);

  it('GIVEN a failing platform call THEN the job is retried with backoff and posts once', async () => {
    const chat = new FlakyChat();
    const app = await appWith(chat);
    await app.scheduling.update(channel, { cron: '0 9 * * *', timezone: 'UTC' });
    const jobs = await app.startJobs({ backoffMs: 100 });
    chat.failures.push(new Error('503 from the platform'), new Error('503 again'));
    await jobs.enqueuePost(channel, Date.UTC(2026, 10, 24, 9));
    await until(() => chat.questions.length === 1);
    expect(chat.attempts).toBe(3);
    const round = chat.questions[0]!.post.round;
    expect(round.slotMs).toBe(Date.UTC(2026, 10, 24, 9));
    await app.close();
  }, 30_000);
});
