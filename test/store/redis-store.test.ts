import { afterAll, beforeEach, describe, expect, it } from 'vitest';
import type { Redis } from 'ioredis';
import { RedisQuizStore } from '../../src/store/redis-store.js';
import type { Answer, ChannelRef, Round } from '../../src/core/types.js';
import type { BoardTarget } from '../../src/core/ports.js';
import { newNamespace, testRedis } from '../helpers/redis.js';

const channel: ChannelRef = { platform: 'discord', serverId: 'g1', channelId: 'c1' };
const clients: Redis[] = [];
afterAll(async () => {
  await Promise.all(clients.map((c) => c.quit()));
});

function newStore(): RedisQuizStore {
  const c = testRedis();
  clients.push(c);
  return new RedisQuizStore(c, newNamespace());
}

function round(over: Partial<Round> = {}): Round {
  return {
    id: 'r1',
    channel,
    questionId: 'cap-theorem',
    mode: 'scheduled',
    slotMs: null,
    localDate: '2026-11-23',
    timezone: 'UTC',
    postedAt: 1_000,
    revealAt: null,
    threadRef: null,
    status: 'open',
    revealedAt: null,
    startedBy: null,
    ...over,
  };
}

function answer(over: Partial<Answer> = {}): Answer {
  return {
    roundId: 'r1',
    member: { id: 'u1', name: 'Alice' },
    text: 'an answer',
    deliveryId: 'm1',
    private: false,
    receivedAt: 2_000,
    ...over,
  };
}

const week: BoardTarget = { scope: { kind: 'channel', channel }, period: 'week', periodKey: '2026-W48', expiresAt: null };

describe('RedisQuizStore', () => {
  let store: RedisQuizStore;
  beforeEach(() => {
    store = newStore();
  });

  it('GIVEN two rounds for the same slot THEN only the first is created and both callers see it', async () => {
    const a = await store.createRound(round({ id: 'ra', slotMs: 5_000, questionId: 'q-a' }));
    const b = await store.createRound(round({ id: 'rb', slotMs: 5_000, questionId: 'q-b' }));
    expect(a.created).toBe(true);
    expect(b.created).toBe(false);
    expect(b.round.id).toBe('ra');
    expect(b.round.questionId).toBe('q-a');
  });

  it('GIVEN a thread is set THEN the round is found by thread and listed as open', async () => {
    await store.createRound(round());
    await store.setThread('r1', 'thread-9');
    expect((await store.roundByThread(channel, 'thread-9'))?.id).toBe('r1');
    expect((await store.openRounds(channel)).map((r) => r.id)).toEqual(['r1']);
    expect((await store.getRound('r1'))?.threadRef).toBe('thread-9');
  });

  it('GIVEN the same delivery twice THEN it counts once', async () => {
    await store.createRound(round());
    expect(await store.recordAnswer(round(), answer())).toBe('recorded');
    expect(await store.recordAnswer(round(), answer())).toBe('duplicate');
    expect(await store.answers('r1')).toHaveLength(1);
  });

  it('GIVEN an edit before the reveal THEN it replaces the answer; an older version arriving late does not', async () => {
    await store.createRound(round());
    await store.recordAnswer(round(), answer({ text: 'v1', deliveryId: 'm1', receivedAt: 2_000 }));
    expect(await store.recordAnswer(round(), answer({ text: 'v3', deliveryId: 'm1:e3', receivedAt: 4_000 }))).toBe('replaced');
    expect(await store.recordAnswer(round(), answer({ text: 'v2', deliveryId: 'm1:e2', receivedAt: 3_000 }))).toBe('stale');
    const [a] = await store.answers('r1');
    expect(a?.text).toBe('v3');
  });

  it('GIVEN a closed round THEN replies are refused and only the first close reports true', async () => {
    await store.createRound(round());
    expect(await store.closeRound('r1', 9_000)).toBe(true);
    expect(await store.closeRound('r1', 9_500)).toBe(false);
    expect(await store.recordAnswer(round(), answer())).toBe('closed');
    expect(await store.openRounds(channel)).toEqual([]);
    expect((await store.getRound('r1'))?.revealedAt).toBe(9_000);
  });

  it('GIVEN scores applied twice for a round THEN the board changes once', async () => {
    const r = round();
    await store.createRound(r);
    const entries = [{ member: { id: 'u1', name: 'Alice' }, points: 30 }];
    expect(await store.applyScores(r, entries, [week], 1_700_000_000_000)).toBe(true);
    expect(await store.applyScores(r, entries, [week], 1_700_000_000_000)).toBe(false);
    const board = await store.readBoard(week, 'u1', 10);
    expect(board.top).toEqual([{ rank: 1, memberId: 'u1', name: 'Alice', points: 30 }]);
  });

  it('GIVEN equal points THEN whoever reached them first ranks higher', async () => {
    const r1 = round({ id: 'r1' });
    const r2 = round({ id: 'r2' });
    await store.createRound(r1);
    await store.createRound(r2);
    await store.applyScores(r1, [{ member: { id: 'bob', name: 'Bob' }, points: 20 }], [week], 1_700_000_000_000);
    await store.applyScores(r2, [{ member: { id: 'amy', name: 'Amy' }, points: 20 }], [week], 1_700_000_500_000);
    const board = await store.readBoard(week, 'amy', 10);
    expect(board.top.map((e) => e.name)).toEqual(['Bob', 'Amy']);
    expect(board.caller).toEqual({ rank: 2, memberId: 'amy', name: 'Amy', points: 20 });
  });

  it('GIVEN more than ten members THEN the top ten and the caller’s own rank are returned', async () => {
    for (let i = 0; i < 14; i++) {
      const r = round({ id: `r${i}` });
      await store.createRound(r);
      await store.applyScores(r, [{ member: { id: `m${i}`, name: `M${i}` }, points: 100 - i }], [week], 1_700_000_000_000);
    }
    const board = await store.readBoard(week, 'm13', 10);
    expect(board.top).toHaveLength(10);
    expect(board.top[0]?.memberId).toBe('m0');
    expect(board.caller).toMatchObject({ rank: 14, memberId: 'm13', points: 87 });
  });

  it('GIVEN points accumulated across rounds THEN the board sums them exactly', async () => {
    for (let i = 0; i < 5; i++) {
      const r = round({ id: `s${i}` });
      await store.createRound(r);
      await store.applyScores(r, [{ member: { id: 'u1', name: 'Alice' }, points: 47 }], [week], 1_700_000_000_000 + i * 1000);
    }
    expect((await store.readBoard(week, 'u1', 10)).caller?.points).toBe(235);
  });

  it('GIVEN a period board with an expiry THEN the key carries a TTL', async () => {
    const r = round();
    await store.createRound(r);
    const target = { ...week, expiresAt: Math.floor(Date.now() / 1000) + 3600 };
    await store.applyScores(r, [{ member: { id: 'u1', name: 'Alice' }, points: 5 }], [target], Date.now());
    const c = clients[clients.length - 1]!;
    const ttl = await c.ttl(store.keys.board(target.scope, target.period, target.periodKey));
    expect(ttl).toBeGreaterThan(3000);
    expect(ttl).toBeLessThanOrEqual(3600);
  });

  it('GIVEN a lock THEN a second claim fails until it is released by its owner', async () => {
    expect(await store.tryLock('post:r1', 10_000)).toBe(true);
    expect(await store.tryLock('post:r1', 10_000)).toBe(false);
    await store.unlock('post:r1');
    expect(await store.tryLock('post:r1', 10_000)).toBe(true);
  });

  it('GIVEN used questions THEN they are remembered per channel until reset', async () => {
    await store.markQuestionUsed(channel, 'a');
    await store.markQuestionUsed(channel, 'b');
    expect(await store.usedQuestions(channel)).toEqual(new Set(['a', 'b']));
    await store.resetUsedQuestions(channel);
    expect((await store.usedQuestions(channel)).size).toBe(0);
  });
});
