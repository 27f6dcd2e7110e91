/**
 * QUIZBOT_HTTP_PORT: /healthz, /readyz and /metrics on a real app; the counters move with a round.
 */
import { afterAll, describe, expect, it } from 'vitest';
import { createApp, startOps, type App } from '../../src/app.js';
import { loadConfig } from '../../src/config/env.js';
import { silentLogger } from '../../src/core/ports.js';
import type { ChannelRef } from '../../src/core/types.js';
import { RecordingChat } from '../helpers/core.js';
import { newNamespace, redisUrl, testRedisHandle } from '../helpers/redis.js';

const apps: App[] = [];
afterAll(async () => {
  for (const a of apps) await a.close();
});

const channel: ChannelRef = { platform: 'console', serverId: 'local', channelId: 'general' };

describe('health, readiness and metrics endpoints', () => {
  it('GIVEN QUIZBOT_HTTP_PORT THEN /healthz and /readyz answer, and /metrics counts posts, answers and reveals', async () => {
    const redis = testRedisHandle();
    const port = 20_000 + Math.floor(Math.random() * 20_000);
    const app = await createApp({
      config: loadConfig({ REDIS_URL: redisUrl(), REDIS_PREFIX: newNamespace('ops'), QUIZBOT_HTTP_PORT: String(port), QUIZBOT_WORKERS: 'false' }),
      logger: silentLogger,
      redis,
    });
    apps.push(app);
    app.onClose(() => redis.close());
    app.chat.register('console', new RecordingChat());
    await startOps(app);
    const base = `http://127.0.0.1:${port}`;
    expect((await fetch(`${base}/healthz`)).status).toBe(200);
    const ready = await fetch(`${base}/readyz`);
    expect(ready.status).toBe(200);
    expect(await ready.json()).toMatchObject({ status: 'ready', checks: { redis: true, platforms: true, workers: true } });
    const { round } = await app.quiz.startRound(channel, { mode: 'practice', topic: 'cap' });
    await app.quiz.recordAnswer({
      channel,
      threadRef: null,
      member: { id: 'a', name: 'a' },
      text: 'During a partition you choose consistency or availability.',
      deliveryId: '1',
    });
    await app.quiz.recordAnswer({
      channel: { ...channel, channelId: 'elsewhere' },
      threadRef: 'nope',
      member: { id: 'a', name: 'a' },
      text: 'x',
      deliveryId: '2',
    });
    await app.quiz.reveal(round.id);
    const metrics = await (await fetch(`${base}/metrics`)).text();
    expect(metrics).toMatch(/quizbot_posts_total\{platform="console",mode="practice"\} 1/);
    expect(metrics).toMatch(/quizbot_reveals_total\{platform="console",mode="practice"\} 1/);
    expect(metrics).toMatch(/quizbot_answers_recorded_total\{platform="console"\} 1/);
    expect(metrics).toMatch(/quizbot_answers_rejected_total\{platform="console",reason="unknown-round"\} 1/);
    expect(metrics).toMatch(/quizbot_process_cpu_user_seconds_total/);
    // The reveal counts what it graded, and the CPU its copy detection and grading took.
    expect(metrics).toMatch(/^quizbot_reveal_graded_answers_total 1$/m);
    expect(Number(/^quizbot_reveal_grading_cpu_seconds_total (\S+)$/m.exec(metrics)?.[1])).toBeGreaterThan(0);
    expect((await fetch(`${base}/nope`)).status).toBe(404);
  });
});
