/**
 * One clock owns time: boards and a round's records expire relative to the injected clock, never
 * at an instant Redis compares with its own clock. The clock is set a year behind and a year ahead
 * of today (whatever today is), so this test holds on any date — and fails if an expiry is ever
 * computed from the core's clock and applied as an absolute time again.
 */
import { afterAll, describe, expect, it } from 'vitest';
import { periodWindow } from '../../src/core/schedule/periods.js';
import { DEFAULT_RETENTION_MS } from '../../src/core/rounds/quiz.js';
import { channelKey, type BoardScope, type ChannelRef } from '../../src/core/types.js';
import { FakeClock } from '../helpers/core.js';
import { closeTestApps, testApp } from '../helpers/app.js';

afterAll(closeTestApps);

const DAY = 86_400_000;
const channel: ChannelRef = { platform: 'console', serverId: 'local', channelId: 'general' };
const GOOD =
  'During a network partition a distributed system must choose consistency or availability; partitions are inevitable, so partition tolerance is not optional. ZooKeeper is CP, Cassandra is AP.';

describe.each([
  ['a year behind today', -365 * DAY],
  ['a year ahead of today', 365 * DAY],
])('boards with the clock set %s', (_label, offset) => {
  it('GIVEN a scored round THEN its week and month boards are readable and expire relative to the clock; its records too, also after a retried reveal', async () => {
    const clock = new FakeClock(Date.now() + offset);
    const { app } = await testApp({ clock, tag: 'exp' });
    const tz = 'UTC';
    await app.scheduling.update(channel, { cron: '0 9 * * *', timezone: tz });
    const { round } = await app.quiz.startRound(channel, { mode: 'scheduled', slotMs: clock.now(), topic: 'cap' });
    await app.quiz.recordAnswer({
      channel,
      threadRef: null,
      roundId: round.id,
      member: { id: 'alice', name: 'alice' },
      text: GOOD,
      deliveryId: `${round.id}-a`,
    });
    clock.advance(3_600_000);
    await app.quiz.reveal(round.id);

    const scopes: BoardScope[] = [
      { kind: 'channel', channel },
      { kind: 'server', platform: channel.platform, serverId: channel.serverId },
    ];
    for (const scope of scopes) {
      for (const period of ['week', 'month'] as const) {
        const board = await app.quiz.leaderboard(scope, period, 'alice');
        expect(
          board.top.map((e) => e.memberId),
          `${scope.kind} ${period}`,
        ).toEqual(['alice']);
        const w = periodWindow(period, clock.now(), tz);
        const ttl = await app.client.pttl(app.store.keys.board(scope, period, w.key));
        // The board lives until its period ends (plus grace) by the injected clock.
        const expected = w.expiresAt! * 1000 - clock.now();
        expect(ttl, `${scope.kind} ${period}`).toBeGreaterThan(expected - 60_000);
        expect(ttl, `${scope.kind} ${period}`).toBeLessThanOrEqual(expected + 1_000);
      }
    }

    // An admin's grade for a member new on the boards gives those boards the same relative expiry.
    await app.quiz.setGrade((await app.store.getRound(round.id))!, { id: 'bob', name: 'bob' }, 5);
    const week = periodWindow('week', clock.now(), tz);
    expect((await app.quiz.leaderboard(scopes[0]!, 'week', 'bob')).top.map((e) => e.memberId)).toContain('bob');
    expect(await app.client.pttl(app.store.keys.board(scopes[0]!, 'week', week.key))).toBeGreaterThan(0);

    // A crash between "revealed" and the expiry: the retry sets it, relative to the clock.
    const roundKey = app.store.keys.round(channel, round.id);
    await app.client.persist(roundKey);
    expect(await app.client.pttl(roundKey)).toBe(-1);
    const again = await app.quiz.reveal(round.id);
    expect(again.round.state).toBe('revealed');
    const ttl = await app.client.pttl(roundKey);
    expect(ttl, channelKey(channel)).toBeGreaterThan(0);
    expect(ttl).toBeLessThanOrEqual(DEFAULT_RETENTION_MS);
  });
});
