/**
 * Soak: N channels, M worker processes, K random SIGKILLs, on a throwaway embedded Redis. Every
 * channel fires every 2 s (a seconds-field schedule stored directly; chat never accepts one) with
 * the reveal 1 s later; workers are the test worker (the app's own start-up, chat recorded into
 * Redis like a platform without dedupe). A killed worker is replaced at once. At the end every
 * schedule is paused and the survivors drain; then it prints posts and reveals per channel-slot
 * and the counts of doubles and losses. Not part of `npm test`.
 *
 *   npx tsx scripts/soak.ts [channels=1000] [workers=4] [kills=12] [seconds=60]
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Redis } from 'ioredis';
import { RedisScheduleStore } from '../src/store/schedule-store.js';
import { RedisQuizStore } from '../src/store/redis-store.js';
import { startEmbeddedRedis } from '../src/store/embedded.js';
import type { ChannelRef } from '../src/core/types.js';

const [CHANNELS = 1000, WORKERS = 4, KILLS = 12, SECONDS = 60] = process.argv.slice(2).map(Number);
const ROOT = new URL('..', import.meta.url).pathname;
const PREFIX = `soak${Date.now()}`;

function startWorker(url: string): Promise<ChildProcess> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, ['--import', 'tsx', 'test/jobs/worker-process.ts'], {
      cwd: ROOT,
      env: { PATH: process.env.PATH ?? '', HOME: process.env.HOME ?? '/tmp', REDIS_URL: url, REDIS_PREFIX: PREFIX, LOG_LEVEL: 'error' },
      stdio: ['ignore', 'pipe', 'inherit'],
    });
    child.stdout.on('data', (d: Buffer) => {
      if (d.toString().includes('ready')) resolve(child);
    });
    child.once('exit', (code, signal) => reject(new Error(`worker exited (${signal ?? code}) before ready`)));
  });
}

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

async function main(): Promise<void> {
  const dir = mkdtempSync(join(tmpdir(), 'qb-soak-'));
  const redisServer = await startEmbeddedRedis({ dir, appendOnly: true });
  const redis = new Redis(redisServer.url);
  try {
    const schedules = new RedisScheduleStore(redis, PREFIX);
    const store = new RedisQuizStore(redis, PREFIX);
    const channels: ChannelRef[] = Array.from({ length: CHANNELS }, (_, i) => ({ platform: 'discord', serverId: `g${i % 50}`, channelId: `c${i}` }));
    const t0 = Date.now();
    for (const c of channels) {
      await schedules.saveSchedule({
        channel: c,
        cron: '*/2 * * * * *',
        timezone: 'UTC',
        reveal: { kind: 'delay', ms: 1_000 },
        topics: [],
        excludeTopics: [],
        levels: [],
        paused: false,
        skip: [],
        updatedAt: t0,
      });
    }
    const workers = await Promise.all(Array.from({ length: WORKERS }, () => startWorker(redisServer.url)));
    console.log(`soak: ${CHANNELS} channels × ${WORKERS} workers, ${KILLS} kills over ${SECONDS} s`);
    const killEvery = (SECONDS * 1000) / (KILLS + 1);
    for (let k = 0; k < KILLS; k++) {
      await sleep(killEvery * (0.5 + Math.random()));
      const i = Math.floor(Math.random() * workers.length);
      workers[i]!.kill('SIGKILL');
      workers[i] = await startWorker(redisServer.url);
      process.stdout.write(`  kill ${k + 1}/${KILLS} (worker ${i})\n`);
    }
    const stopAt = t0 + SECONDS * 1000;
    if (Date.now() < stopAt) await sleep(stopAt - Date.now());
    for (const c of channels) {
      const s = await schedules.getSchedule(c);
      await schedules.saveSchedule({ ...s!, paused: true });
    }
    const pausedAt = Date.now();
    // Drain: every round created gets revealed (or the drain times out, and it counts as lost).
    let open = Infinity;
    for (let i = 0; i < 240 && open > 0; i++) {
      await sleep(1_000);
      open = (await store.dueRounds(Number.MAX_SAFE_INTEGER, 100_000)).length;
    }
    for (const w of workers) w.kill('SIGTERM');
    await sleep(1_000);
    const [posts, reveals, log] = await Promise.all([
      redis.hgetall(`${PREFIX}:test:posts`),
      redis.hgetall(`${PREFIX}:test:reveals`),
      redis.lrange(`${PREFIX}:test:log`, 0, -1),
    ]);
    const postEntries = log.map((l) => JSON.parse(l) as { kind: string; channel: string; roundId: string; slotMs: number }).filter((l) => l.kind === 'post');
    const slots = new Map<string, number>();
    for (const p of postEntries) slots.set(`${p.channel}@${p.slotMs}`, (slots.get(`${p.channel}@${p.slotMs}`) ?? 0) + 1);
    const rounds = Object.keys(posts).length;
    const doublePosts = Object.values(posts).filter((n) => Number(n) > 1).length;
    const doubleReveals = Object.values(reveals).filter((n) => Number(n) > 1).length;
    const slotDoubles = [...slots.values()].filter((n) => n > 1).length;
    const lostReveals = Object.keys(posts).filter((id) => !reveals[id]).length;
    const revealsWithoutPost = Object.keys(reveals).filter((id) => !posts[id]).length;
    const notFinal = (await store.dueRounds(Number.MAX_SAFE_INTEGER, 100_000)).length;
    console.log(
      `rounds posted: ${rounds} (${slots.size} channel-slots) in ${Math.round((pausedAt - t0) / 1000)} s; drained in ${Math.round((Date.now() - pausedAt) / 1000)} s`,
    );
    console.log(
      `posts per channel-slot: ${slotDoubles === 0 ? 'all 1' : `${slotDoubles} slots > 1`}; reveals per round: ${doubleReveals === 0 && lostReveals === 0 ? 'all 1' : 'see below'}`,
    );
    console.log(
      `doubles: ${doublePosts + slotDoubles + doubleReveals} (question twice: ${doublePosts}, slot twice: ${slotDoubles}, reveal twice: ${doubleReveals})`,
    );
    console.log(
      `losses: ${lostReveals + revealsWithoutPost + notFinal} (posted never revealed: ${lostReveals}, revealed never posted: ${revealsWithoutPost}, left non-final: ${notFinal})`,
    );
    process.exitCode = doublePosts + slotDoubles + doubleReveals + lostReveals + revealsWithoutPost + notFinal === 0 ? 0 : 1;
  } finally {
    await redis.quit();
    await redisServer.stop();
    rmSync(dir, { recursive: true, force: true });
  }
}

void main();
