/**
 * Human override (`/quiz grade`): before the reveal the admin's points replace the grader's at
 * scoring; after it the boards move by the difference exactly once; the member is told privately.
 * Copy detection at the reveal: an answer pasted from another member earns participation only.
 */
import { afterAll, describe, expect, it } from 'vitest';
import { createApp, type App } from '../../src/app.js';
import { loadConfig } from '../../src/config/env.js';
import { silentLogger } from '../../src/core/ports.js';
import type { ChannelRef } from '../../src/core/types.js';
import { PARTICIPATION } from '../../src/core/rounds/scoring.js';
import { RecordingChat } from '../helpers/core.js';
import { newNamespace, redisUrl, testRedisHandle } from '../helpers/redis.js';

const apps: App[] = [];
afterAll(async () => {
  for (const a of apps) await a.close();
});

const channel: ChannelRef = { platform: 'console', serverId: 'local', channelId: 'general' };
const alice = { id: 'alice', name: 'alice' };
const bob = { id: 'bob', name: 'bob' };
const admin = { id: 'admin', name: 'admin' };
const GOOD =
  'During a network partition a distributed system must choose between consistency and availability; partition tolerance is not optional. ZooKeeper is CP, Cassandra is AP.';

async function setup() {
  const redis = testRedisHandle();
  const app = await createApp({ config: loadConfig({ REDIS_URL: redisUrl(), REDIS_PREFIX: newNamespace('grade') }), logger: silentLogger, redis });
  apps.push(app);
  app.onClose(() => redis.close());
  const chat = new RecordingChat();
  app.chat.register('console', chat);
  return { app, chat };
}

const week = async (app: App) => (await app.quiz.leaderboard({ kind: 'channel', channel }, 'week', null)).top.map((e) => [e.memberId, e.points]);

describe('human override of a grade', () => {
  it('GIVEN an admin grade after the reveal THEN boards move by the difference once, the member is told, repeats change nothing', async () => {
    const { app, chat } = await setup();
    const { round } = await app.quiz.startRound(channel, { mode: 'scheduled', slotMs: Date.UTC(2026, 10, 23, 9), topic: 'cap', revealAt: null });
    await app.quiz.recordAnswer({ channel, threadRef: null, member: alice, text: GOOD, deliveryId: 'a' });
    await app.quiz.recordAnswer({
      channel,
      threadRef: null,
      member: bob,
      text: 'It is about databases and networks, I think, mostly about speed.',
      deliveryId: 'b',
    });
    const view = await app.quiz.reveal(round.id);
    const bobBefore = view.feedback.find((f) => f.member.id === 'bob')!.points;
    const before = await week(app);
    const ctx = { channel, member: admin, isAdmin: true };
    const r1 = await app.commands.run(ctx, 'grade bob 45');
    expect(r1.kind === 'text' && r1.text).toMatch(new RegExp(`from ${bobBefore} to 45; the leaderboards moved by \\+${45 - bobBefore}`));
    const after = await week(app);
    expect(after.find(([m]) => m === 'bob')![1]).toBe(45);
    expect(after.find(([m]) => m === 'alice')).toEqual(before.find(([m]) => m === 'alice'));
    expect(chat.told.filter((t) => t.memberId === 'bob')).toHaveLength(1);
    // The same grade again, and a retry: nothing moves twice.
    await app.commands.run(ctx, 'grade bob 45');
    expect(await week(app)).toEqual(after);
    await app.commands.run(ctx, 'grade bob 20');
    expect((await week(app)).find(([m]) => m === 'bob')![1]).toBe(20);
    // Members may not grade.
    const denied = await app.commands.run({ channel, member: alice, isAdmin: false }, 'grade alice 100');
    expect(denied.kind === 'text' && denied.error).toBe(true);
    const bad = await app.commands.run(ctx, 'grade bob lots');
    expect(bad.kind === 'text' && bad.text).toMatch(/“lots” is not a whole number from 0 to 100 \(points\)\. Usage: \/quiz grade <member> <points>/);
  });

  it('GIVEN an admin grade before the reveal THEN the reveal scores it (marked) and the boards hold exactly it', async () => {
    const { app } = await setup();
    const { round } = await app.quiz.startRound(channel, { mode: 'scheduled', slotMs: Date.UTC(2026, 10, 24, 9), topic: 'cap', revealAt: null });
    await app.quiz.recordAnswer({ channel, threadRef: null, member: bob, text: 'Something about clusters and replicas, I am not sure.', deliveryId: 'b' });
    const r = await app.commands.run({ channel, member: admin, isAdmin: true }, 'grade bob 33');
    expect(r.kind === 'text' && r.text).toMatch(/gets 33 points .* at the reveal/);
    const view = await app.quiz.reveal(round.id);
    const f = view.feedback.find((x) => x.member.id === 'bob')!;
    expect(f).toMatchObject({ points: 33, adjusted: true });
    expect((await week(app)).find(([m]) => m === 'bob')![1]).toBe(33);
  });
});

describe('copy detection at the reveal', () => {
  it('GIVEN bob pastes alice’s earlier answer THEN bob is flagged copied and earns participation only; alice keeps hers', async () => {
    const { app } = await setup();
    const { round } = await app.quiz.startRound(channel, { mode: 'scheduled', slotMs: Date.UTC(2026, 10, 25, 9), topic: 'cap', revealAt: null });
    await app.quiz.recordAnswer({ channel, threadRef: null, member: alice, text: GOOD, deliveryId: 'a', sentAt: 1_000, messageAt: 1_000 });
    await app.quiz.recordAnswer({ channel, threadRef: null, member: bob, text: `${GOOD} +1`, deliveryId: 'b', sentAt: 2_000, messageAt: 2_000 });
    const view = await app.quiz.reveal(round.id);
    const a = view.feedback.find((f) => f.member.id === 'alice')!;
    const b = view.feedback.find((f) => f.member.id === 'bob')!;
    expect(a.flags).not.toContain('copied');
    expect(a.points).toBeGreaterThan(PARTICIPATION);
    expect(b.flags).toContain('copied');
    expect(b.points).toBe(PARTICIPATION);
  });
});
