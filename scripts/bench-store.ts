/**
 * Benchmark: recording answers and scoring rounds on a real Redis.
 * Compares the Lua path (one round trip, atomic) with a naive multi-command path, and prints
 * throughput and the ratio. Usage: npx tsx scripts/bench-store.ts [REDIS_URL] [N answers, default 5000]
 * Without a URL it starts a throwaway embedded redis-server.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Redis } from 'ioredis';
import { practiceRoundId } from '../src/core/rounds/round-ids.js';
import { RedisQuizStore } from '../src/store/redis-store.js';
import { startEmbeddedRedis } from '../src/store/embedded.js';
import type { Round } from '../src/core/types.js';

const N = Number(process.argv[3] ?? 5000);

async function main(): Promise<void> {
  const dir = mkdtempSync(join(tmpdir(), 'qb-bench-'));
  const embedded = process.argv[2] ? null : await startEmbeddedRedis({ dir, appendOnly: false });
  const url = process.argv[2] ?? embedded!.url;
  const client = new Redis(url);
  const ns = `bench${Date.now()}`;
  const store = new RedisQuizStore(client, ns);
  const channel = { platform: 'console' as const, serverId: 'bench', channelId: 'c' };
  const round: Round = {
    id: practiceRoundId(channel),
    channel,
    questionId: 'q',
    mode: 'practice',
    slotMs: null,
    localDate: '2026-11-23',
    timezone: 'UTC',
    postedAt: Date.now(),
    revealAt: null,
    threadRef: null,
    messageRef: null,
    state: 'created',
    status: 'open',
    revealedAt: null,
    startedBy: null,
    requestedBy: null,
    revealSent: 0,
    revealIntent: -1,
  };
  await store.createRound(round, {
    id: 'q',
    title: 'q',
    topics: [],
    aliases: [],
    level: 'mid',
    kind: 'technical',
    sources: [],
    keyPoints: [],
    prompt: 'q',
    lookFor: '',
    sampleAnswers: [],
    editorNote: null,
    file: 'q.md',
  });

  // Lua path: one EVALSHA per answer, concurrent like real event delivery.
  let t = performance.now();
  await Promise.all(
    Array.from({ length: N }, (_, i) =>
      store.recordAnswer(round, {
        roundId: round.id,
        member: { id: `m${i % 500}`, name: `M${i}` },
        text: 'answer text '.repeat(20),
        deliveryId: `d${i}`,
        private: false,
        receivedAt: i,
      }),
    ),
  );
  const lua = performance.now() - t;

  // Naive path: the same checks as separate commands (not atomic; the thing Lua replaces).
  const naive = new Redis(url);
  t = performance.now();
  await Promise.all(
    Array.from({ length: N }, async (_, i) => {
      const k = `${ns}:naive`;
      if ((await naive.sismember(`${k}:d`, `d${i}`)) === 1) return;
      if ((await naive.hget(`${k}:round`, 'status')) === 'closed') return;
      await naive.sadd(`${k}:d`, `d${i}`);
      await naive.hget(`${k}:a`, `m${i % 500}`);
      await naive.hset(`${k}:a`, `m${i % 500}`, 'answer text '.repeat(20));
      await naive.hset(`${k}:n`, `m${i % 500}`, `M${i}`);
    }),
  );
  const multi = performance.now() - t;

  const target = {
    scope: { kind: 'server' as const, platform: 'console' as const, serverId: 'bench' },
    period: 'all' as const,
    periodKey: 'all',
    expiresAt: null,
  };
  t = performance.now();
  const rounds = 200;
  for (let r = 0; r < rounds; r++) {
    const rr = { ...round, id: `s${r}` };
    await store.applyScores(
      rr,
      Array.from({ length: 50 }, (_, i) => ({ member: { id: `m${i}`, name: `M${i}` }, points: 10 + i })),
      [target, target],
      Date.now(),
    );
  }
  const scoring = performance.now() - t;

  console.log(`recordAnswer (Lua, 1 round trip): ${(N / (lua / 1000)).toFixed(0)} answers/s`);
  console.log(`naive multi-command equivalent:   ${(N / (multi / 1000)).toFixed(0)} answers/s`);
  console.log(`ratio Lua/naive throughput:        ${(multi / lua).toFixed(2)}x`);
  console.log(`applyScores, 50 members x 2 boards: ${(rounds / (scoring / 1000)).toFixed(0)} rounds/s`);

  const keys = await client.keys(`${ns}*`);
  if (keys.length) await client.del(...keys);
  await client.quit();
  await naive.quit();
  if (embedded) await embedded.stop();
  rmSync(dir, { recursive: true, force: true });
}

void main();
