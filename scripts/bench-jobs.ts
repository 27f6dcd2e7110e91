/**
 * Benchmark: how fast the BullMQ runtime posts a burst of slots (e.g. 09:00 in a popular time
 * zone), with worker concurrency 1 vs 8, on a throwaway embedded Redis and a no-op chat.
 * Prints throughput and the ratio; asserts nothing.  Usage: npx tsx scripts/bench-jobs.ts [channels]
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createApp } from '../src/app.js';
import { loadConfig } from '../src/config/env.js';
import { silentLogger, type ChatPort } from '../src/core/ports.js';
import type { ChannelRef } from '../src/core/types.js';
import { openRedis } from '../src/store/connection.js';

const CHANNELS = Number(process.argv[2] ?? 300);
const SLOT = Date.UTC(2026, 10, 23, 9);

async function run(concurrency: number, url: string): Promise<number> {
  const redis = await openRedis({ url, dataDir: '' });
  const app = await createApp({ config: loadConfig({ REDIS_URL: url, REDIS_PREFIX: `bench${concurrency}x${Date.now()}` }), logger: silentLogger, redis });
  let posted = 0;
  const chat: ChatPort = {
    sendQuestion: async () => ({ messageRef: `m${++posted}` }),
    openThread: async (_c, messageRef) => ({ threadRef: messageRef }),
    postReveal: async () => {},
    markRevealed: async () => {},
    tellMember: async () => {},
    sendNotice: async () => {},
    setRoleMember: async () => {},
  };
  app.chat.register('discord', chat);
  const channels: ChannelRef[] = Array.from({ length: CHANNELS }, (_, i) => ({ platform: 'discord', serverId: `g${i % 10}`, channelId: `c${i}` }));
  for (const c of channels) await app.scheduling.update(c, { cron: '0 9 * * *', timezone: 'UTC' });
  const jobs = await app.startJobs({ reconcileEveryMs: 3_600_000, concurrency });
  const t0 = performance.now();
  await Promise.all(channels.map((c) => jobs.enqueuePost(c, SLOT)));
  while (posted < CHANNELS) await new Promise((r) => setTimeout(r, 5));
  const ms = performance.now() - t0;
  await app.close();
  await redis.close();
  return (CHANNELS / ms) * 1000;
}

async function main(): Promise<void> {
  const dir = mkdtempSync(join(tmpdir(), 'qb-bench-jobs-'));
  const embedded = await openRedis({ url: undefined, dataDir: dir });
  try {
    const one = await run(1, embedded.url);
    const eight = await run(8, embedded.url);
    console.log(`posting ${CHANNELS} channel slots through BullMQ (post job → round → chat):`);
    console.log(`  concurrency 1: ${one.toFixed(0)} posts/s`);
    console.log(`  concurrency 8: ${eight.toFixed(0)} posts/s`);
    console.log(`  ratio 8/1:     ${(eight / one).toFixed(2)}x`);
  } finally {
    await embedded.close();
    rmSync(dir, { recursive: true, force: true });
  }
}

void main();
