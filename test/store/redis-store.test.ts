import { afterAll, beforeEach, describe, expect, it } from 'vitest';
import type { RedisClient } from '../../src/store/topology.js';
import { RedisQuizStore } from '../../src/store/redis-store.js';
import { RedisProgressStore } from '../../src/store/progress-store.js';
import { createKeys } from '../../src/store/keys.js';
import type { Answer, ChannelRef, Round } from '../../src/core/types.js';
import type { BoardTarget } from '../../src/core/ports.js';
import { newNamespace, testRedis } from '../helpers/redis.js';
import { makeQuestion, makeRound } from '../helpers/core.js';
import { budget, waitFor } from '../helpers/wait.js';

const channel: ChannelRef = { platform: 'discord', serverId: 'g1', channelId: 'c1' };
const clients: RedisClient[] = [];
afterAll(async () => {
  await Promise.all(clients.map((c) => c.quit()));
});

function newStore(): RedisQuizStore {
  const c = testRedis();
  clients.push(c);
  return new RedisQuizStore(c, newNamespace());
}

const R1 = 'discord.g1.r1';
const Q = makeQuestion('cap-theorem', ['cap'], [['Partition tolerance', ['partition']]]);

function round(over: Partial<Round> = {}): Round {
  return makeRound({ id: R1, channel, ...over });
}

function answer(over: Partial<Answer> = {}): Answer {
  return {
    roundId: R1,
    member: { id: 'u1', name: 'Alice' },
    text: 'an answer',
    deliveryId: 'm1',
    private: false,
    receivedAt: 2_000,
    ...over,
  };
}

const week: BoardTarget = { scope: { kind: 'channel', channel }, period: 'week', periodKey: '2026-W48', expiresAt: null };

/** Moves a round through the states up to `to`, as the lease holder 'w'. */
async function drive(store: RedisQuizStore, id: string, to: 'posting' | 'posted'): Promise<void> {
  await store.claimRound(id, 'w', 60_000);
  expect(await store.stepRound(id, 'w', ['created'], 'posting')).toBe('ok');
  if (to === 'posted') expect(await store.setThread(id, 'w', `t-${id}`)).toBe('ok');
}

describe('RedisQuizStore', () => {
  let store: RedisQuizStore;
  beforeEach(() => {
    store = newStore();
  });

  it('GIVEN two rounds for the same slot THEN only the first is created and both callers see it', async () => {
    const a = await store.createRound(round({ id: 'discord.g1.ra', slotMs: 5_000, questionId: 'q-a' }), Q);
    const b = await store.createRound(round({ id: 'discord.g1.rb', slotMs: 5_000, questionId: 'q-b' }), Q);
    expect(a.created).toBe(true);
    expect(b.created).toBe(false);
    expect(b.round.id).toBe('discord.g1.ra');
    expect(b.round.questionId).toBe('q-a');
  });

  it('GIVEN a thread is set THEN the round is found by thread and listed as open', async () => {
    await store.createRound(round(), Q);
    await drive(store, R1, 'posting');
    expect(await store.setThread(R1, 'w', 'thread-9')).toBe('ok');
    expect((await store.roundByThread(channel, 'thread-9'))?.id).toBe(R1);
    expect((await store.openRounds(channel)).map((r) => r.id)).toEqual([R1]);
    expect((await store.getRound(R1))?.threadRef).toBe('thread-9');
  });

  it('GIVEN a reply in a round thread THEN one script call resolves the round, records and indexes the message', async () => {
    await store.createRound(round(), Q);
    await drive(store, R1, 'posted');
    const { roundId: _r, ...reply } = answer({ receivedAt: 1795475230123.456, messageAt: 1795475230123.456 });
    const c = (store as unknown as { redis: { sendCommand: (...a: unknown[]) => unknown } }).redis;
    const original = c.sendCommand.bind(c);
    let commands = 0;
    c.sendCommand = (...a: unknown[]) => {
      commands++;
      return original(...a);
    };
    const out = await store.recordReply(channel, `t-${R1}`, reply, 'msg-1');
    c.sendCommand = original;
    expect(commands).toBe(1);
    expect(out).toEqual({ outcome: 'recorded', roundId: R1 });
    // Stored exactly as written (fractional Slack times are not rounded), with its round id.
    expect(await store.answers(R1)).toEqual([{ ...reply, roundId: R1 }]);
    expect(await store.answerMessage(channel, 'msg-1')).toEqual({ roundId: R1, memberId: 'u1' });
    expect((await store.recordReply(channel, `t-${R1}`, reply, 'msg-1')).outcome).toBe('duplicate');
    expect(await store.recordReply(channel, 'no-such-thread', reply, 'msg-2')).toEqual({ outcome: 'unknown-round', roundId: null });
  });

  it('GIVEN a deleted answer message THEN the answer is withdrawn only while open and only if still current', async () => {
    await store.createRound(round(), Q);
    await drive(store, R1, 'posted');
    const { roundId: _r, ...first } = answer({ deliveryId: 'msg-1', messageRef: 'msg-1', messageAt: 1_000 });
    const { roundId: _r2, ...second } = answer({ text: 'newer', deliveryId: 'msg-2', messageRef: 'msg-2', messageAt: 2_000, receivedAt: 2_000 });
    await store.recordReply(channel, `t-${R1}`, first, 'msg-1');
    await store.recordReply(channel, `t-${R1}`, second, 'msg-2');
    // An older message of the member's no longer carries their answer.
    expect(await store.withdrawAnswer(channel, 'msg-1')).toEqual({ outcome: 'not-current', roundId: R1, memberId: 'u1' });
    expect((await store.answers(R1)).map((a) => a.text)).toEqual(['newer']);
    expect(await store.withdrawAnswer(channel, 'msg-2')).toEqual({ outcome: 'withdrawn', roundId: R1, memberId: 'u1' });
    expect(await store.answers(R1)).toEqual([]);
    expect((await store.withdrawAnswer(channel, 'msg-2')).outcome).toBe('no-answer');
    expect((await store.withdrawAnswer(channel, 'nobody-answered-here')).outcome).toBe('no-answer');
    // After the close a deletion changes nothing.
    const { roundId: _r3, ...third } = answer({ text: 'kept', deliveryId: 'msg-3', messageRef: 'msg-3', messageAt: 3_000, receivedAt: 3_000 });
    await store.recordReply(channel, `t-${R1}`, third, 'msg-3');
    expect(await store.closeRound(R1, 'w', 'closing', 9_000)).toBe('ok');
    expect((await store.withdrawAnswer(channel, 'msg-3')).outcome).toBe('closed');
    expect((await store.answers(R1)).map((a) => a.text)).toEqual(['kept']);
  });

  it('GIVEN QUIZBOT_REDIS_WAIT THEN a recorded answer waits for its replicas; one short of them is reported and still stands', async () => {
    const acked: number[] = [];
    // More replicas than any test topology runs: the WAIT times out short, every time.
    const c = testRedis();
    clients.push(c);
    const durable = new RedisQuizStore(c, newNamespace(), { replicas: 5, timeoutMs: 20, onShort: (n) => acked.push(n) });
    await durable.createRound(round(), Q);
    expect(await durable.recordAnswer(round(), answer())).toBe('recorded');
    expect(await durable.recordAnswer(round(), answer())).toBe('duplicate');
    expect(acked).toHaveLength(1);
    expect(acked[0]).toBeLessThan(5);
    expect(await durable.answers(R1)).toHaveLength(1);
  });

  it('GIVEN the same delivery twice THEN it counts once', async () => {
    await store.createRound(round(), Q);
    expect(await store.recordAnswer(round(), answer())).toBe('recorded');
    expect(await store.recordAnswer(round(), answer())).toBe('duplicate');
    expect(await store.answers(R1)).toHaveLength(1);
  });

  it('GIVEN an edit before the reveal THEN it replaces the answer; an older version arriving late does not', async () => {
    await store.createRound(round(), Q);
    await store.recordAnswer(round(), answer({ text: 'v1', deliveryId: 'm1', receivedAt: 2_000 }));
    expect(await store.recordAnswer(round(), answer({ text: 'v3', deliveryId: 'm1:e3', receivedAt: 4_000 }))).toBe('replaced');
    expect(await store.recordAnswer(round(), answer({ text: 'v2', deliveryId: 'm1:e2', receivedAt: 3_000 }))).toBe('stale');
    const [a] = await store.answers(R1);
    expect(a?.text).toBe('v3');
  });

  it('GIVEN a closed round THEN replies are refused and only the first close reports true', async () => {
    await store.createRound(round(), Q);
    await drive(store, R1, 'posted');
    expect(await store.closeRound(R1, 'w', 'closing', 9_000)).toBe('ok');
    expect(await store.closeRound(R1, 'w', 'closing', 9_500)).toBe('wrong-state');
    expect(await store.recordAnswer(round(), answer())).toBe('closed');
    expect(await store.openRounds(channel)).toEqual([]);
    expect((await store.getRound(R1))?.revealedAt).toBe(9_000);
  });

  it('GIVEN scores applied twice for a round THEN the board changes once', async () => {
    const r = round();
    await store.createRound(r, Q);
    const entries = [{ member: { id: 'u1', name: 'Alice' }, points: 30 }];
    expect(await store.applyScores(r, entries, [week], 1_700_000_000_000)).toBe(true);
    expect(await store.applyScores(r, entries, [week], 1_700_000_000_000)).toBe(false);
    const board = await store.readBoard(week, 'u1', 10);
    expect(board.top).toEqual([{ rank: 1, memberId: 'u1', name: 'Alice', points: 30 }]);
  });

  it('GIVEN scored members THEN one is found by id or by name in any case, through the index (never the whole names hash)', async () => {
    const c = testRedis();
    clients.push(c);
    const ns = newNamespace();
    const s = new RedisQuizStore(c, ns);
    const progress = new RedisProgressStore(c, ns);
    const r = round();
    await s.createRound(r, Q);
    await s.applyScores(
      r,
      [
        { member: { id: 'u1', name: 'Ünal Öz' }, points: 30 },
        { member: { id: 'u2', name: 'Bob' }, points: 10 },
      ],
      [week],
      1_700_000_000_000,
    );
    const server = { platform: r.channel.platform, serverId: r.channel.serverId };
    expect(await progress.findMember(server, 'u2')).toEqual({ id: 'u2', name: 'Bob' });
    expect(await progress.findMember(server, 'BOB')).toEqual({ id: 'u2', name: 'Bob' });
    expect(await progress.findMember(server, 'ünal öz')).toEqual({ id: 'u1', name: 'Ünal Öz' });
    expect(await progress.findMember(server, 'nobody')).toBeNull();
    // The names hash itself is never read whole once the index exists.
    await c.hset(createKeys(ns).names(server.platform, server.serverId), 'u3', 'Carol');
    expect(await progress.findMember(server, 'carol')).toBeNull();
  });

  it('GIVEN equal points THEN whoever reached them first ranks higher', async () => {
    const r1 = round({ id: 'discord.g1.r1' });
    const r2 = round({ id: 'discord.g1.r2' });
    await store.createRound(r1, Q);
    await store.createRound(r2, Q);
    await store.applyScores(r1, [{ member: { id: 'bob', name: 'Bob' }, points: 20 }], [week], 1_700_000_000_000);
    await store.applyScores(r2, [{ member: { id: 'amy', name: 'Amy' }, points: 20 }], [week], 1_700_000_500_000);
    const board = await store.readBoard(week, 'amy', 10);
    expect(board.top.map((e) => e.name)).toEqual(['Bob', 'Amy']);
    expect(board.caller).toEqual({ rank: 2, memberId: 'amy', name: 'Amy', points: 20 });
  });

  it('GIVEN more than ten members THEN the top ten and the caller’s own rank are returned', async () => {
    for (let i = 0; i < 14; i++) {
      const r = round({ id: `discord.g1.r${i}` });
      await store.createRound(r, Q);
      await store.applyScores(r, [{ member: { id: `m${i}`, name: `M${i}` }, points: 100 - i }], [week], 1_700_000_000_000);
    }
    const board = await store.readBoard(week, 'm13', 10);
    expect(board.top).toHaveLength(10);
    expect(board.top[0]?.memberId).toBe('m0');
    expect(board.caller).toMatchObject({ rank: 14, memberId: 'm13', points: 87 });
  });

  it('GIVEN points accumulated across rounds THEN the board sums them exactly', async () => {
    for (let i = 0; i < 5; i++) {
      const r = round({ id: `discord.g1.s${i}` });
      await store.createRound(r, Q);
      await store.applyScores(r, [{ member: { id: 'u1', name: 'Alice' }, points: 47 }], [week], 1_700_000_000_000 + i * 1000);
    }
    expect((await store.readBoard(week, 'u1', 10)).caller?.points).toBe(235);
  });

  it('GIVEN a period board with an expiry THEN the key carries a TTL', async () => {
    const r = round();
    await store.createRound(r, Q);
    const target = { ...week, expiresAt: Math.floor(Date.now() / 1000) + 3600 };
    await store.applyScores(r, [{ member: { id: 'u1', name: 'Alice' }, points: 5 }], [target], Date.now());
    const c = clients[clients.length - 1]!;
    const ttl = await c.ttl(store.keys.board(target.scope, target.period, target.periodKey));
    expect(ttl).toBeGreaterThan(3000);
    expect(ttl).toBeLessThanOrEqual(3600);
  });

  // Held long enough that the next call surely comes before the expiry, even on a loaded machine.
  const HELD_MS = budget(1_000);

  it('GIVEN a claim THEN a second claim fails until it expires', async () => {
    const t0 = Date.now();
    expect(await store.tryLock('notice:g1', HELD_MS)).toBe(true);
    expect(await store.tryLock('notice:g1', HELD_MS)).toBe(false);
    await waitFor('the claim to expire', () => store.tryLock('notice:g1', HELD_MS));
    expect(Date.now() - t0).toBeGreaterThanOrEqual(HELD_MS - 50);
  });

  it('GIVEN a round leased by one worker THEN another cannot step it; after the lease expires it can resume', async () => {
    await store.createRound(round(), Q);
    const t0 = Date.now();
    expect(await store.claimRound(R1, 'w1', HELD_MS)).toEqual({ ok: true });
    const busy = await store.claimRound(R1, 'w2', HELD_MS);
    expect(busy.ok).toBe(false);
    expect(busy.ok === false && busy.holder).toBe('w1');
    expect(await store.stepRound(R1, 'w2', ['created'], 'posting')).toBe('lost-lease');
    expect(await store.stepRound(R1, 'w1', ['created'], 'posting', { postIntentAt: 5 })).toBe('ok');
    // A dead holder's lease expires: the next worker resumes from the recorded state.
    await waitFor('the lease to expire', async () => (await store.claimRound(R1, 'w2', HELD_MS)).ok);
    expect(Date.now() - t0).toBeGreaterThanOrEqual(HELD_MS - 50);
    expect(await store.stepRound(R1, 'w1', ['posting'], null, { messageRef: 'm9' })).toBe('lost-lease');
    expect(await store.stepRound(R1, 'w2', ['created'], 'posting')).toBe('wrong-state');
    expect(await store.stepRound(R1, 'w2', ['posting'], null, { messageRef: 'm9' })).toBe('ok');
    const r = await store.getRound(R1);
    expect(r).toMatchObject({ state: 'posting', messageRef: 'm9', status: 'open' });
  });

  it('GIVEN a lease THEN only its holder saves state beside it; after a takeover the old holder writes nothing', async () => {
    const name = 'discord-shard:app:1/2';
    expect(await store.holdLease(name, 'p1', HELD_MS)).toBe(true);
    expect(await store.saveLeaseState(name, 'p1', '{"sessionId":"s1","sequence":4}', 60_000)).toBe(true);
    expect(await store.saveLeaseState(name, 'p2', '{"sessionId":"s2","sequence":9}', 60_000)).toBe(false);
    expect(await store.leaseState(name)).toBe('{"sessionId":"s1","sequence":4}');
    // p1 is paused past its lease; p2 takes it over and reads what p1 left.
    await waitFor('the lease to expire', () => store.holdLease(name, 'p2', 60_000));
    expect(await store.saveLeaseState(name, 'p1', '{"sessionId":"s1","sequence":7}', 60_000)).toBe(false);
    expect(await store.leaseState(name)).toBe('{"sessionId":"s1","sequence":4}');
    expect(await store.saveLeaseState(name, 'p2', null, 60_000)).toBe(true);
    expect(await store.leaseState(name)).toBeNull();
  });

  it('GIVEN a round THEN its question snapshot survives whatever the bank does later', async () => {
    await store.createRound(round(), Q);
    expect(await store.roundQuestion(R1)).toEqual(Q);
  });

  it('GIVEN an open scheduled round THEN an exclusive creation is refused in the same step', async () => {
    await store.createRound(round({ id: 'discord.g1.s1', slotMs: 1 }), Q);
    const refused = await store.createRound(round({ id: 'discord.g1.s2', slotMs: 2 }), Q, { refuseWhileScheduledOpen: true });
    expect(refused).toMatchObject({ outcome: 'scheduled-open', created: false });
    expect(refused.round.id).toBe('discord.g1.s1');
    expect(await store.getRound('discord.g1.s2')).toBeNull();
    // A practice round does not block /quiz post; a scheduled one without the flag is created.
    expect((await store.createRound(round({ id: 'discord.g1.s3', slotMs: 3 }), Q)).outcome).toBe('created');
  });

  it('GIVEN the practice limit THEN the next practice round is refused with the newest open one', async () => {
    for (const i of [1, 2])
      expect((await store.createRound(round({ id: `discord.g1.p${i}`, mode: 'practice', postedAt: i }), Q, { maxOpenPractice: 2 })).outcome).toBe('created');
    const third = await store.createRound(round({ id: 'discord.g1.p3', mode: 'practice', postedAt: 3 }), Q, { maxOpenPractice: 2 });
    expect(third.outcome).toBe('practice-limit');
    expect(third.round.id).toBe('discord.g1.p2');
    // Closing one frees a place.
    await drive(store, 'discord.g1.p1', 'posted');
    await store.closeRound('discord.g1.p1', 'w', 'closing', 10);
    expect((await store.createRound(round({ id: 'discord.g1.p3', mode: 'practice', postedAt: 3 }), Q, { maxOpenPractice: 2 })).outcome).toBe('created');
  });

  it('GIVEN used questions THEN they are remembered per channel until reset', async () => {
    await store.markQuestionUsed(channel, 'a');
    await store.markQuestionUsed(channel, 'b');
    expect(await store.usedQuestions(channel)).toEqual(new Set(['a', 'b']));
    await store.resetUsedQuestions(channel);
    expect((await store.usedQuestions(channel)).size).toBe(0);
  });
});
