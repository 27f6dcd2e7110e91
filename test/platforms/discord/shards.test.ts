/**
 * Discord sharding across real processes: two `quizbot start` processes each running one of two
 * shards, a standby replica that wants every shard, and a `quizbot worker` with no gateway, all
 * against the fake Discord (which routes each guild's events to its shard, and sends every event
 * to every session of a shard, as Discord does).
 */
import { FAKE_DISCORD_TOKEN } from '../../fakes/discord.js';
import { spawn, type ChildProcess } from 'node:child_process';
import { afterAll, describe, expect, it } from 'vitest';
import { createApp } from '../../../src/app.js';
import { loadConfig } from '../../../src/config/env.js';
import { silentLogger } from '../../../src/core/ports.js';
import { defaultSchedule } from '../../../src/core/schedule/schedule.js';
import type { ChannelRef } from '../../../src/core/types.js';
import { RedisScheduleStore } from '../../../src/store/schedule-store.js';
import { FakeDiscord, shardOf, snowflake, type FakeUser } from '../../fakes/discord.js';
import { newNamespace, redisUrl, testRedisHandle } from '../../helpers/redis.js';
import { budget, waitFor } from '../../helpers/wait.js';

const ROOT = new URL('../../..', import.meta.url).pathname;
const children: ChildProcess[] = [];
const cleanup: (() => Promise<void>)[] = [];
afterAll(async () => {
  for (const c of children) if (c.exitCode === null) c.kill('SIGKILL');
  for (const fn of cleanup.reverse()) await fn().catch(() => undefined);
});

/** A quizbot process; `output()` is stdout and stderr together, `logs()` stderr alone (whole JSON lines). */
function spawnQuizbot(
  command: 'start' | 'worker',
  env: Record<string, string>,
  readyLine: RegExp,
): Promise<ChildProcess & { output: () => string; logs: () => string }> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, ['--import', 'tsx', 'src/cli.ts', command], {
      cwd: ROOT,
      env: { PATH: process.env.PATH ?? '', HOME: process.env.HOME ?? '/tmp', LOG_LEVEL: 'info', ...env },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    children.push(child);
    let out = '';
    let logs = '';
    const onData = (d: Buffer) => {
      out += d.toString();
      if (readyLine.test(out)) resolve(Object.assign(child, { output: () => out, logs: () => logs }));
    };
    child.stdout.on('data', onData);
    child.stderr.on('data', (d: Buffer) => {
      logs += d.toString();
      onData(d);
    });
    child.on('exit', (code) => reject(new Error(`quizbot ${command} exited ${code}: ${out.slice(-2000)}`)));
  });
}

const user = (name: string): FakeUser => ({ id: snowflake(), username: name });

/** The `answer` debug lines (one per message event handled to its outcome) in a process's log. */
function answerLines(logs: string, messageId: string): { outcome: string }[] {
  return logs
    .split('\n')
    .slice(0, -1) // the last line may still be arriving
    .filter((l) => l.startsWith('{') && l.includes(messageId))
    .map((l) => JSON.parse(l) as { msg?: string; message?: string; outcome: string })
    .filter((l) => l.msg === 'answer' && l.message === messageId);
}

describe('Discord shards in several processes', { timeout: budget(120_000) }, () => {
  it('GIVEN 2 shards in 2 processes, a standby and a worker THEN each event is handled once, the worker posts, and a dead shard is taken over', async () => {
    const fake = new FakeDiscord({ recommendedShards: 2 });
    await fake.start();
    cleanup.push(() => fake.stop());
    // One guild on each shard.
    const guildA = { guildId: fake.guildId, channelId: fake.channelId };
    let guildB = fake.addGuild();
    // (Snowflakes made back to back differ by one millisecond: skip one to change the parity.)
    while (shardOf(guildB.guildId, 2) === shardOf(guildA.guildId, 2)) {
      snowflake();
      guildB = fake.addGuild();
    }
    const shardA = shardOf(guildA.guildId, 2);
    const shardB = 1 - shardA;
    const prefix = newNamespace('shards');
    const env = {
      REDIS_URL: redisUrl(),
      REDIS_PREFIX: prefix,
      DISCORD_TOKEN: FAKE_DISCORD_TOKEN,
      DISCORD_APPLICATION_ID: fake.applicationId,
      DISCORD_API_URL: fake.apiUrl,
      DISCORD_SHARDS: 'auto',
      // Long enough that a process starved of CPU on a loaded 2-core host keeps its shard (at 2 s
      // the standby took shards over mid-test in CI); short enough for the takeover below.
      DISCORD_SHARD_LEASE: '5s',
      QUIZBOT_WORKERS: 'false',
    };
    const started = /quizbot started/;
    // At debug level every gateway process logs each message event's outcome ('answer'): the
    // signal that a process has handled an event, whatever it decided.
    const a = await spawnQuizbot('start', { ...env, LOG_LEVEL: 'debug', DISCORD_SHARD_IDS: String(shardA) }, started);
    const b = await spawnQuizbot('start', { ...env, LOG_LEVEL: 'debug', DISCORD_SHARD_IDS: String(shardB) }, started);
    const standby = await spawnQuizbot('start', { ...env, LOG_LEVEL: 'debug' }, started);
    const gateways = [a, b, standby];
    /** Each session the fake sent the message to has handled it: the outcomes logged, all processes together. */
    const handled = (messageId: string) => {
      const lines = gateways.flatMap((p) => answerLines(p.logs(), messageId));
      const sent = fake.deliveredTo(messageId);
      return sent > 0 && lines.length >= sent ? lines.map((l) => l.outcome) : null;
    };
    expect(standby.output()).toMatch(/standing by/);
    await spawnQuizbot('worker', { ...env, QUIZBOT_WORKERS: 'true' }, /quizbot worker started/);
    expect(Object.fromEntries(fake.sessionsPerShard())).toEqual({ 0: 1, 1: 1 });

    // A due slot of a channel on shard B: only the worker runs jobs, and it has no gateway.
    const redis = testRedisHandle();
    cleanup.push(() => redis.close());
    const app = await createApp({ config: loadConfig({ REDIS_URL: redisUrl(), REDIS_PREFIX: prefix }), logger: silentLogger, redis });
    cleanup.push(() => app.close());
    const jobs = await app.startJobs({ workers: false });
    const channelB: ChannelRef = { platform: 'discord', serverId: guildB.guildId, channelId: guildB.channelId };
    const slotMs = Math.ceil((Date.now() + 1_000) / 2_000) * 2_000;
    await new RedisScheduleStore(app.client, prefix).saveSchedule({
      ...defaultSchedule(channelB, 'UTC', Date.now()),
      cron: '*/2 * * * * *',
      reveal: { kind: 'delay', ms: 3_600_000 },
    });
    await jobs.enqueuePost(channelB, slotMs);
    const botMessage = (channelId: string) => [...fake.messages.values()].find((m) => m.channel_id === channelId && (m.embeds ?? []).length > 0) ?? null;
    const post = await waitFor('the worker to post on shard B', async () => botMessage(guildB.channelId), budget(20_000));
    await app.scheduling.setPaused(channelB, true);
    const threadB = post.id as string;
    await waitFor('its thread', async () =>
      fake.calls.some((c) => c.method === 'POST' && c.path === `/api/v10/channels/${guildB.channelId}/messages/${threadB}/threads`),
    );

    // A practice question in guild A, asked through shard A's process.
    const alice = user('alice');
    fake.interaction(
      2,
      alice,
      { id: snowflake(), name: 'quiz', type: 1, options: [{ type: 3, name: 'topic', value: 'cap' }] },
      { channelId: guildA.channelId },
    );
    const postA = await waitFor('the question in guild A', async () => botMessage(guildA.channelId), budget(20_000));
    await waitFor('its thread', async () => fake.calls.some((c) => c.path === `/api/v10/channels/${guildA.channelId}/messages/${postA.id}/threads`));

    // One answer in each guild: each is recorded once (one ✅), by the one process of its shard.
    const bob = user('bob');
    const m1 = fake.userMessage(threadB, bob, 'During a partition you choose consistency or availability.');
    const m2 = fake.userMessage(postA.id, bob, 'Consistency or availability when the network splits.');
    await waitFor('both acknowledgements', async () => fake.botReactions.filter((r) => r.includes(m1) || r.includes(m2)).length >= 2).catch((e) => {
      for (const [name, p] of [
        ['A', a],
        ['B', b],
        ['STANDBY', standby],
      ] as const)
        console.log(name, p.output().slice(-3000));
      throw e;
    });
    // Every session that got them has handled them (a ✅ only follows a 'recorded' outcome).
    expect(await waitFor('m1 handled by every session that got it', async () => handled(m1))).toEqual(['recorded']);
    expect(await waitFor('m2 handled by every session that got it', async () => handled(m2))).toEqual(['recorded']);
    expect(fake.botReactions.filter((r) => r.includes(m1))).toHaveLength(1);
    expect(fake.botReactions.filter((r) => r.includes(m2))).toHaveLength(1);

    // Shard B's process is paused (SIGSTOP) past its lease: the standby takes shard B over and
    // drains B's session first, so what B never read is replayed to the standby. Woken (SIGCONT),
    // B finds its lease gone and drops what it had buffered: the answer is handled once.
    b.kill('SIGSTOP');
    const m4 = fake.userMessage(threadB, user('erin'), 'During a partition you pick consistency or availability.');
    // An interaction during the pause: answered at most once (Discord refuses a second answer;
    // the fake does too, and would list it in `rejected`).
    const asked = fake.interaction(2, user('frank'), { id: snowflake(), name: 'quizhelp', type: 1 }, { channelId: guildB.channelId });
    await waitFor(
      'the standby to run shard B',
      async () => new RegExp(`"shard":${shardB},"of":2,[^\n]*shard connected`).test(standby.output()),
      budget(30_000),
    );
    await waitFor('m4 recorded by the standby', async () => fake.botReactions.some((r) => r.includes(m4)), budget(20_000)).catch((e) => {
      console.log('STANDBY', standby.output().slice(-5000));
      throw e;
    });
    b.kill('SIGCONT');
    await waitFor('B to close its session', async () => /another process holds this shard now/.test(b.logs()), budget(30_000));
    const m4Lines = () => gateways.flatMap((p) => answerLines(p.logs(), m4));
    expect(m4Lines().map((l) => l.outcome)).toEqual(['recorded']);
    expect(fake.botReactions.filter((r) => r.includes(m4))).toHaveLength(1);
    await waitFor('one session per shard', async () => fake.sessionsPerShard().get(shardB) === 1);
    expect(fake.callbacks(asked.id).length).toBeLessThanOrEqual(1);

    // Shard A's process dies: the standby takes shard A over once the lease runs out, and an
    // answer sent into the gap is replayed to it from A's session.
    a.kill('SIGKILL');
    const gap = fake.userMessage(postA.id, user('dave'), 'Consistency or availability: you choose one during a partition.');
    await waitFor(
      'the standby to run shard A',
      async () => new RegExp(`"shard":${shardA},"of":2,[^\n]*shard connected`).test(standby.output()),
      budget(20_000),
    );
    await waitFor('the answer sent into the gap', async () => fake.botReactions.some((r) => r.includes(gap)), budget(20_000));
    expect(gateways.flatMap((p) => answerLines(p.logs(), gap)).map((l) => l.outcome)).toEqual(['recorded']);
    expect(Object.fromEntries(fake.sessionsPerShard())).toEqual({ 0: 1, 1: 1 });
    const m3 = fake.userMessage(postA.id, user('carol'), 'Pick consistency or availability during a partition.');
    await waitFor('the answer after the takeover', async () => fake.botReactions.some((r) => r.includes(m3)), budget(20_000)).catch((e) => {
      console.log('STANDBY', standby.output().slice(-5000));
      throw e;
    });
    expect(await waitFor('m3 handled by every session that got it', async () => handled(m3))).toEqual(['recorded']);
    expect(fake.botReactions.filter((r) => r.includes(m3))).toHaveLength(1);
    expect(fake.identified.filter(([id]) => id === shardA)).toHaveLength(2);
    // Both takeovers drained the previous session (a RESUME each) before identifying.
    expect(fake.resumes).toBeGreaterThanOrEqual(2);

    // A rolling restart: the standby, now holding both shards, is stopped (SIGTERM) while a new
    // replica stands by. Its sessions are closed resumable, not ended: the new replica RESUMEs
    // them, and an answer sent after the stop, before it connects, is replayed to it.
    const next = await spawnQuizbot('start', { ...env, LOG_LEVEL: 'debug' }, started);
    gateways.push(next);
    const resumesBefore = fake.resumes;
    standby.kill('SIGTERM');
    await waitFor('the standby to exit', async () => standby.exitCode !== null, budget(20_000));
    const afterStop = fake.userMessage(postA.id, user('gina'), 'During a partition you keep consistency or availability, not both.');
    await waitFor('the answer sent after the stop', async () => fake.botReactions.some((r) => r.includes(afterStop)), budget(30_000)).catch((e) => {
      console.log('NEXT', next.output().slice(-5000));
      throw e;
    });
    expect(gateways.flatMap((p) => answerLines(p.logs(), afterStop)).map((l) => l.outcome)).toEqual(['recorded']);
    expect(fake.resumes).toBeGreaterThanOrEqual(resumesBefore + 1);
    expect(fake.lost).toBe(0);
    expect(fake.rejected).toEqual([]);
  });
});
