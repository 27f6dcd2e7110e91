/**
 * A crash at every step of a round's life, with real processes: a worker armed with one failpoint
 * (QUIZBOT_FAILPOINTS) kills itself with SIGKILL there; a second, healthy worker takes over once
 * the dead one's lease and BullMQ lock expire. For a scheduled and a practice round alike:
 * exactly one question message, exactly one of each reveal message, the answer scored once, and
 * no round left non-final after the reconciler has run.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import type { RedisClient } from '../../src/store/topology.js';
import { afterAll, describe, expect, it } from 'vitest';
import { createApp, type App } from '../../src/app.js';
import { loadConfig } from '../../src/config/env.js';
import { FAILPOINTS } from '../../src/core/rounds/failpoints.js';
import { silentLogger } from '../../src/core/ports.js';
import type { ChannelRef } from '../../src/core/types.js';
import { RedisScheduleStore } from '../../src/store/schedule-store.js';
import { newNamespace, redisUrl, testRedis, testRedisHandle } from '../helpers/redis.js';
import { counts } from './recording-chat.js';
import { QueueWatch } from './queues.js';
import { budget, waitFor } from '../helpers/wait.js';
import { makeRound } from '../helpers/core.js';

const ROOT = new URL('../..', import.meta.url).pathname;
const children: ChildProcess[] = [];
const clients: RedisClient[] = [];
const apps: App[] = [];
const watches: QueueWatch[] = [];
afterAll(async () => {
  for (const c of children) if (c.exitCode === null && c.signalCode === null) c.kill('SIGKILL');
  await Promise.all(watches.map((w) => w.close()));
  await Promise.all(apps.map((a) => a.close()));
  await Promise.all(clients.map((c) => c.quit().catch(() => c.disconnect())));
});

function startWorker(prefix: string, failpoints = ''): { child: ChildProcess; ready: Promise<void>; exited: Promise<string> } {
  const child = spawn(process.execPath, ['--import', 'tsx', 'test/jobs/worker-process.ts'], {
    cwd: ROOT,
    env: {
      PATH: process.env.PATH ?? '',
      HOME: process.env.HOME ?? '/tmp',
      REDIS_URL: redisUrl(),
      REDIS_PREFIX: prefix,
      LOG_LEVEL: 'error',
      QUIZBOT_FAILPOINTS: failpoints,
    },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  children.push(child);
  const exited = new Promise<string>((resolve) => child.once('exit', (code, signal) => resolve(signal ?? String(code))));
  const ready = new Promise<void>((resolve, reject) => {
    child.stdout.on('data', (d: Buffer) => {
      if (d.toString().includes('ready')) resolve();
    });
    void exited.then((how) => reject(new Error(`worker exited (${how}) before it was ready`)));
  });
  return { child, ready, exited };
}

/** A process with no workers: stores schedules, records answers, reads state. */
async function observer(prefix: string): Promise<App> {
  const app = await createApp({ config: loadConfig({ REDIS_URL: redisUrl(), REDIS_PREFIX: prefix }), logger: silentLogger, redis: testRedisHandle() });
  apps.push(app);
  return app;
}

const ALICE = { id: 'alice', name: 'Alice' };
const ANSWER = 'During a network partition a system must choose consistency or availability; partition tolerance is not optional.';

async function crashCase(failpoint: string, mode: 'scheduled' | 'practice'): Promise<void> {
  const prefix = newNamespace('crash');
  const redis = testRedis();
  clients.push(redis);
  const app = await observer(prefix);
  const channel: ChannelRef = { platform: 'discord', serverId: 'g1', channelId: `c-${mode}` };
  const armed = startWorker(prefix, failpoint);
  await armed.ready;
  let roundId: string;
  if (mode === 'scheduled') {
    // An every-second schedule (stored directly; chat refuses seconds) fires at once; the first
    // slot's round is the one under test, then the schedule is paused.
    const schedules = new RedisScheduleStore(redis, prefix);
    const now = Date.now();
    await schedules.saveSchedule({
      channel,
      cron: '* * * * * *',
      timezone: 'UTC',
      reveal: { kind: 'delay', ms: 7 * 86_400_000 },
      topics: ['cap'],
      excludeTopics: [],
      levels: [],
      paused: false,
      skip: [],
      updatedAt: now,
    });
    roundId = await waitFor(
      'a scheduled round',
      async () => (await app.store.openRounds(channel))[0]?.id ?? (await app.store.dueRounds(Date.now() + 86_400_000, 1))[0],
    );
    const s = await schedules.getSchedule(channel);
    await schedules.saveSchedule({ ...s!, paused: true });
  } else {
    // A practice round asked for by Alice; the armed worker drives its post.
    const question = app.bank.find('cap');
    if (question.kind !== 'match') throw new Error('no cap question');
    const now = Date.now();
    roundId = `discord.g1.p${failpoint.replace(/\W/g, '')}`;
    await app.store.markRoundDue(roundId, now);
    await app.store.createRound(
      makeRound({ id: roundId, channel, questionId: question.question.id, mode: 'practice', postedAt: now, startedBy: ALICE.id, requestedBy: ALICE }),
      question.question,
    );
    await (await app.startJobs({ workers: false })).enqueueDrive(roundId);
  }
  // A post failpoint kills the worker before the thread exists; a reveal failpoint only once the
  // reveal (requested after Alice answered) runs. The healthy worker starts after the kill.
  const jobs = await app.startJobs({ workers: false });
  let healthy: ReturnType<typeof startWorker> | null = null;
  const takeOver = async () => {
    expect(await armed.exited).toBe('SIGKILL');
    healthy = startWorker(prefix);
    await healthy.ready;
  };
  if (failpoint.startsWith('post.')) await takeOver();
  const round = await waitFor(
    'the thread',
    async () => {
      const r = await app.store.getRound(roundId);
      return r?.threadRef ? r : null;
    },
    budget(40_000),
  );
  const receipt = await app.quiz.recordAnswer({ channel, threadRef: round.threadRef, member: ALICE, text: ANSWER, deliveryId: `m-${roundId}` });
  await jobs.enqueueReveal(roundId);
  if (!failpoint.startsWith('post.')) await takeOver();
  const final = await waitFor(
    'the reveal',
    async () => {
      const r = await app.store.getRound(roundId);
      return r?.state === 'revealed' ? r : null;
    },
    budget(40_000),
  );
  // Before counting: every job left (the dead worker's too, once found stalled) has run, and the
  // reconciler has gone over everything once more after that.
  const watch = new QueueWatch(redis, prefix);
  watches.push(watch);
  await watch.settle(`${failpoint} ${mode}`);
  const c = await counts(redis, prefix);
  const h = healthy as ReturnType<typeof startWorker> | null;
  h?.child.kill('SIGTERM');
  await h?.exited;
  expect(c.posts[roundId], `${failpoint} ${mode}: question messages`).toBe('1');
  expect(c.reveals[roundId], `${failpoint} ${mode}: reveals`).toBe('1');
  expect(c.parts[`${roundId}#0`]).toBe('1');
  expect(c.parts[`${roundId}#1`]).toBe('1');
  expect(final.revealSent).toBe(2);
  // The answer was acknowledged, so it is scored exactly once.
  expect(receipt.outcome).toBe('recorded');
  const scope = mode === 'practice' ? ({ kind: 'practice', platform: 'discord', serverId: 'g1' } as const) : ({ kind: 'channel', channel } as const);
  const board = await app.quiz.leaderboard(scope, 'all', ALICE.id);
  expect(board.top.map((e) => e.memberId)).toEqual([ALICE.id]);
  const view = await app.quiz.reveal(roundId);
  expect(board.top[0]!.points).toBe(view.feedback[0]!.points);
  // Nothing is left overdue and not final (rounds still waiting for their reveal time are fine).
  expect(await app.store.dueRounds(Date.now() - 60_000, 10)).toEqual([]);
}

describe('a crash at every failpoint', () => {
  for (const failpoint of FAILPOINTS) {
    for (const mode of ['scheduled', 'practice'] as const) {
      it.concurrent(
        `GIVEN a ${mode} round and a worker killed at ${failpoint} THEN one post, one reveal, the answer scored once`,
        async () => {
          await crashCase(failpoint, mode);
        },
        budget(120_000),
      );
    }
  }
});
