/**
 * Exactly once across processes: real worker processes (the app's own start-up), real BullMQ
 * jobs, one Redis. Schedules with a seconds field (never accepted from chat; stored directly
 * here) make slots come every 2 s instead of sleeping for hours; the reconciler indexes them.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import type { RedisClient } from '../../src/store/topology.js';
import { afterAll, describe, expect, it } from 'vitest';
import { createApp } from '../../src/app.js';
import { loadConfig } from '../../src/config/env.js';
import { silentLogger } from '../../src/core/ports.js';
import { defaultSchedule, type ChannelSchedule } from '../../src/core/schedule/schedule.js';
import type { ChannelRef } from '../../src/core/types.js';
import { RedisScheduleStore } from '../../src/store/schedule-store.js';
import { newNamespace, redisUrl, testRedis, testRedisHandle } from '../helpers/redis.js';
import { counts } from './recording-chat.js';
import { QueueWatch } from './queues.js';
import { budget, waitFor } from '../helpers/wait.js';

const ROOT = new URL('../..', import.meta.url).pathname;
const children: ChildProcess[] = [];
const clients: RedisClient[] = [];
const watches: QueueWatch[] = [];
afterAll(async () => {
  for (const c of children) if (c.exitCode === null) c.kill('SIGKILL');
  await Promise.all(watches.map((w) => w.close()));
  await Promise.all(clients.map((c) => c.quit().catch(() => c.disconnect())));
});

function watch(redis: RedisClient, prefix: string): QueueWatch {
  const w = new QueueWatch(redis, prefix);
  watches.push(w);
  return w;
}

function startWorker(prefix: string): Promise<ChildProcess> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, ['--import', 'tsx', 'test/jobs/worker-process.ts'], {
      cwd: ROOT,
      env: { PATH: process.env.PATH ?? '', HOME: process.env.HOME ?? '/tmp', REDIS_URL: redisUrl(), REDIS_PREFIX: prefix, LOG_LEVEL: 'warn' },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    children.push(child);
    let err = '';
    child.stderr.on('data', (d: Buffer) => (err += d.toString()));
    child.stdout.on('data', (d: Buffer) => {
      if (d.toString().includes('ready')) resolve(child);
    });
    child.on('exit', (code) => reject(new Error(`worker exited ${code}: ${err}`)));
  });
}

function stopWorker(child: ChildProcess, signal: NodeJS.Signals = 'SIGTERM'): Promise<number | null> {
  return new Promise((resolve) => {
    if (child.exitCode !== null) return resolve(child.exitCode);
    child.once('exit', (code) => resolve(code));
    child.kill(signal);
  });
}

function schedule(channel: ChannelRef, cron: string, revealMs: number, now: number): ChannelSchedule {
  return { ...defaultSchedule(channel, 'UTC', now), cron, reveal: { kind: 'delay', ms: revealMs } };
}

/** Pauses the channels: their chains keep firing, and every slot after this is not posted. */
async function stopSchedules(_prefix: string, channels: ChannelRef[], store: RedisScheduleStore) {
  for (const c of channels) {
    const s = await store.getSchedule(c);
    await store.saveSchedule({ ...s!, paused: true });
  }
}

describe('several worker processes on one Redis', { timeout: budget(150_000) }, () => {
  it('GIVEN 3 processes and 100 channels firing every 2 s THEN every channel-slot is posted once and revealed once', async () => {
    const prefix = newNamespace('mp');
    const redis = testRedis();
    clients.push(redis);
    const store = new RedisScheduleStore(redis, prefix);
    const channels: ChannelRef[] = Array.from({ length: 100 }, (_, i) => ({ platform: 'discord', serverId: `g${i % 7}`, channelId: `c${i}` }));
    const t0 = Date.now();
    for (const c of channels) await store.saveSchedule(schedule(c, '*/2 * * * * *', 1_000, t0));
    const workers = await Promise.all([startWorker(prefix), startWorker(prefix), startWorker(prefix)]);
    // Run until every channel has had two slots (time-based sleeps flake on a loaded 2-core CI box).
    await waitFor(
      'two posts per channel',
      async () => {
        const log = (await redis.lrange(`${prefix}:{test}:log`, 0, -1)).map((l) => JSON.parse(l) as { kind: string; channel: string });
        const per = new Map<string, number>();
        for (const l of log) if (l.kind === 'post') per.set(l.channel, (per.get(l.channel) ?? 0) + 1);
        return per.size === channels.length && Math.min(...per.values()) >= 2 ? true : null;
      },
      budget(90_000),
    );
    await stopSchedules(prefix, channels, store);
    // Every posted round gets its reveal.
    await waitFor('all reveals', async () => {
      const c = await counts(redis, prefix);
      const posted = Object.keys(c.posts);
      return posted.length > 0 && posted.every((id) => c.reveals[id]) ? c : null;
    });
    // Exactly once is judged once the workers had every chance to repeat something: no job left
    // to run, a reconciler pass after that, and the workers stopped (running jobs finish first).
    await watch(redis, prefix).settle('after the reveals');
    await Promise.all(workers.map((w) => stopWorker(w)));
    const final = await counts(redis, prefix);
    expect(Object.keys(final.reveals).sort()).toEqual(Object.keys(final.posts).sort());
    const log = (await redis.lrange(`${prefix}:{test}:log`, 0, -1)).map(
      (l) => JSON.parse(l) as { kind: string; channel: string; roundId: string; slotMs: number; pid: number },
    );
    const posts = log.filter((l) => l.kind === 'post');
    // Exactly once per round, and exactly one round per channel-slot.
    expect(Object.values(final.posts).every((n) => n === '1')).toBe(true);
    expect(Object.values(final.reveals).every((n) => n === '1')).toBe(true);
    const slots = new Set(posts.map((p) => `${p.channel}@${p.slotMs}`));
    expect(slots.size).toBe(posts.length);
    // Slots are the cron's: whole even seconds; every channel got several; all three processes worked.
    expect(posts.every((p) => p.slotMs % 2000 === 0)).toBe(true);
    const perChannel = new Map<string, number>();
    for (const p of posts) perChannel.set(p.channel, (perChannel.get(p.channel) ?? 0) + 1);
    expect(perChannel.size).toBe(100);
    expect(Math.min(...perChannel.values())).toBeGreaterThanOrEqual(2);
    expect(new Set(log.map((l) => l.pid)).size).toBe(3);
  });

  it('GIVEN a worker killed with SIGKILL between post and reveal THEN after a restart the reveal happens and the answer counts', async () => {
    const prefix = newNamespace('kill');
    const redis = testRedis();
    clients.push(redis);
    const store = new RedisScheduleStore(redis, prefix);
    const channel: ChannelRef = { platform: 'discord', serverId: 'g1', channelId: 'kill' };
    await store.saveSchedule(schedule(channel, '*/2 * * * * *', 4_000, Date.now()));
    const first = await startWorker(prefix);
    const roundId = await waitFor('the first post', async () => Object.keys((await counts(redis, prefix)).posts)[0] ?? null);
    await stopSchedules(prefix, [channel], store);
    // A member answers while the worker is gone.
    expect(await stopWorker(first, 'SIGKILL')).toBe(null);
    const handle = testRedisHandle();
    const app = await createApp({ config: loadConfig({ REDIS_URL: redisUrl(), REDIS_PREFIX: prefix }), logger: silentLogger, redis: handle });
    const threadRef = (await app.store.getRound(roundId))!.threadRef!;
    const receipt = await app.quiz.recordAnswer({
      channel,
      threadRef,
      member: { id: 'ana', name: 'Ana' },
      text: 'an answer written while the worker was down',
      deliveryId: 'm1',
    });
    expect(receipt.outcome).toBe('recorded');
    await app.close();
    await handle.close();
    expect((await counts(redis, prefix)).reveals[roundId]).toBeUndefined();
    const second = await startWorker(prefix);
    await waitFor('the reveal', async () => (await counts(redis, prefix)).reveals[roundId] ?? null, budget(60_000));
    // No second reveal: the restarted worker ran every job left (the dead one's included) and a
    // reconciler pass after that, before it stops.
    await watch(redis, prefix).settle('after the reveal');
    await stopWorker(second);
    const log = (await redis.lrange(`${prefix}:{test}:log`, 0, -1)).map((l) => JSON.parse(l) as { kind: string; roundId: string; members?: string[] });
    const reveals = log.filter((l) => l.kind === 'reveal' && l.roundId === roundId);
    expect(reveals).toHaveLength(1);
    expect(reveals[0]!.members).toEqual(['ana']);
  });
});
