/**
 * Period recaps on the real Redis store and the real bank: what a recap says (top 3, most
 * improved, participation, hardest question, longest streak), when it is due in the channel's
 * zone, and exactly once per period across replicas, reconciler passes, restarts and a crash
 * between the platform call and recording it.
 */
import { afterAll, describe, expect, it } from 'vitest';
import type { App } from '../../src/app.js';
import { endedPeriodKey, recapDueAfter } from '../../src/core/progress/recaps.js';
import { channelKey, type ChannelRef, type Member } from '../../src/core/types.js';
import { FakeClock, RecordingChat } from '../helpers/core.js';
import { closeTestApps, testApp } from '../helpers/app.js';
import { newNamespace } from '../helpers/redis.js';

afterAll(closeTestApps);

const channel: ChannelRef = { platform: 'console', serverId: 'local', channelId: 'general' };
const TZ = 'Europe/Berlin';
/** Monday 9 Nov 2026, 09:00 in Berlin (08:00 UTC). */
const MON_9_NOV = Date.UTC(2026, 10, 9, 8);
const DAY = 86_400_000;

const GOOD =
  'During a network partition a distributed system must choose consistency or availability; partitions are inevitable, so partition tolerance is not optional. ZooKeeper is CP, Cassandra is AP.';
const WEAK = 'It is about consistency and availability when the network splits, you pick one.';

async function appAt(clock: FakeClock, chat: RecordingChat, prefix = newNamespace('recap')): Promise<App> {
  return (await testApp({ clock, chat, prefix })).app;
}

const member = (id: string): Member => ({ id, name: id });

/** A scheduled round at `at`, answered by each member with their text, revealed (scored). */
async function playRound(app: App, clock: FakeClock, at: number, answers: [string, string][]): Promise<void> {
  clock.ms = at;
  const { round } = await app.quiz.startRound(channel, { mode: 'scheduled', slotMs: at, topic: 'cap' });
  for (const [who, text] of answers) {
    await app.quiz.recordAnswer({ channel, threadRef: null, roundId: round.id, member: member(who), text, deliveryId: `${round.id}-${who}` });
  }
  clock.ms = at + 3_600_000;
  await app.quiz.reveal(round.id);
}

describe('recap timing', () => {
  it('GIVEN a moment in a week or month THEN its recap is due on the next period’s first day at 08:00 local, and covers that period', () => {
    const wed = Date.UTC(2026, 10, 11, 12);
    const weekDue = recapDueAfter('week', wed, TZ);
    expect(new Date(weekDue).toISOString()).toBe('2026-11-16T07:00:00.000Z');
    expect(endedPeriodKey('week', weekDue, TZ)).toBe('2026-W46');
    const monthDue = recapDueAfter('month', wed, TZ);
    expect(new Date(monthDue).toISOString()).toBe('2026-12-01T07:00:00.000Z');
    expect(endedPeriodKey('month', monthDue, TZ)).toBe('2026-11');
    // Across the autumn DST change in New York (1 Nov 2026) the local hour holds: a week of 7 × 24 h
    // from Monday 26 Oct 08:00 EDT would land at 12:00Z.
    expect(new Date(recapDueAfter('week', Date.UTC(2026, 9, 28, 12), 'America/New_York')).toISOString()).toBe('2026-11-02T13:00:00.000Z');
    // And in spring in Berlin (29 Mar 2026): Monday 30 Mar 08:00 CEST is 06:00Z.
    expect(new Date(recapDueAfter('week', Date.UTC(2026, 2, 25, 12), 'Europe/Berlin')).toISOString()).toBe('2026-03-30T06:00:00.000Z');
  });
});

describe('recaps', () => {
  it('GIVEN two weeks of rounds THEN the second week’s recap names the top 3, the most improved, participation, the hardest question and the longest streak', async () => {
    const clock = new FakeClock(MON_9_NOV - DAY);
    const chat = new RecordingChat();
    const app = await appAt(clock, chat);
    await app.scheduling.update(channel, { cron: '0 9 * * *', timezone: TZ });
    // Week 46: bob answers well once, carol once.
    await playRound(app, clock, MON_9_NOV, [
      ['bob', GOOD],
      ['carol', WEAK],
    ]);
    // Week 47: alice three times, bob (improving) three times, carol once, dave once.
    await playRound(app, clock, MON_9_NOV + 7 * DAY, [
      ['alice', GOOD],
      ['bob', GOOD],
      ['carol', WEAK],
    ]);
    await playRound(app, clock, MON_9_NOV + 8 * DAY, [
      ['alice', GOOD],
      ['bob', GOOD],
      ['dave', WEAK],
    ]);
    await playRound(app, clock, MON_9_NOV + 9 * DAY, [
      ['alice', GOOD],
      ['bob', WEAK],
    ]);
    const tz = await app.quiz.timezoneOf(channel);
    const facts = (await app.recaps.facts(channel, 'week', '2026-W47', tz))!;
    expect(facts.top.map((e) => e.name)).toEqual(['alice', 'bob', 'carol']);
    expect(facts.improved?.name).toBe('bob');
    expect(facts.members).toBe(4);
    expect(facts.questions).toBe(3);
    expect(facts.answers).toBe(8);
    expect(facts.hardest?.title).toBe('The CAP theorem');
    expect(facts.longestStreak).toEqual({ name: 'bob', rounds: 4 });
    const view = app.recaps.view(facts, tz);
    expect(view.title).toBe('📊 Weekly recap — week of 16 Nov 2026');
    expect(view.lines[0]).toMatch(/^🥇 alice — \d+ pts$/);
    expect(view.lines.join('\n')).toContain('📈 Most improved: bob');
    expect(view.lines.join('\n')).toContain('👥 Participation: 4 members answered 3 questions (8 answers in all)');
    expect(view.lines.join('\n')).toContain('🔥 Longest streak: bob, 4 rounds in a row');
    // A week nobody answered in has nothing to recap.
    expect(await app.recaps.facts(channel, 'week', '2026-W40', tz)).toBeNull();
  });

  it('GIVEN the reconciler on two replicas, run again and restarted THEN each period’s recap is posted once, and the index moves to the next period', async () => {
    const clock = new FakeClock(MON_9_NOV - DAY);
    const chat = new RecordingChat();
    const prefix = newNamespace('recap');
    const a = await appAt(clock, chat, prefix);
    const b = await appAt(clock, chat, prefix);
    await a.scheduling.update(channel, { cron: '0 9 * * *', timezone: TZ });
    await playRound(a, clock, MON_9_NOV, [['alice', GOOD]]);
    await playRound(a, clock, MON_9_NOV + DAY, [['bob', WEAK]]);
    // Monday 16 Nov 08:00 Berlin: week 46's recap is due.
    clock.ms = Date.UTC(2026, 10, 16, 7, 1);
    await Promise.all([a.scheduling.reconcile(), b.scheduling.reconcile(), a.scheduling.reconcile()]);
    await b.scheduling.reconcile();
    expect(chat.notices.map((n) => n.notice.key)).toEqual(['recap-week-2026-W46-general']);
    expect(chat.notices[0]!.notice.title).toBe('📊 Weekly recap — week of 9 Nov 2026');
    // A restart (a fresh app on the same Redis) posts nothing again.
    const c = await appAt(clock, chat, prefix);
    await c.scheduling.reconcile();
    expect(chat.notices).toHaveLength(1);
    // The next due entries: week 47 on 23 Nov, November on 1 Dec.
    const due = await c.scheduleStore.dueRecaps(Date.UTC(2027, 0, 1), 10);
    expect(due.map((d) => [d.period, new Date(d.atMs).toISOString()]).sort()).toEqual([
      ['month', '2026-12-01T07:00:00.000Z'],
      ['week', '2026-11-23T07:00:00.000Z'],
    ]);
    // 1 Dec: the month recap (once), and week 48's, which had no answers, is silent.
    clock.ms = Date.UTC(2026, 11, 1, 7, 1);
    await Promise.all([a.scheduling.reconcile(), b.scheduling.reconcile()]);
    expect(
      chat.notices.map((n) => n.notice.key),
      JSON.stringify(chat.notices.map((n) => [n.notice.key, n.notice.lines])),
    ).toEqual(['recap-week-2026-W46-general', 'recap-month-2026-11-general']);
  });

  it('GIVEN a crash after the platform accepted the recap but before it was recorded THEN the retry finds it and posts nothing new', async () => {
    const clock = new FakeClock(MON_9_NOV - DAY);
    const chat = new RecordingChat();
    const app = await appAt(clock, chat);
    await app.scheduling.update(channel, { cron: '0 9 * * *', timezone: TZ });
    await playRound(app, clock, MON_9_NOV, [['alice', GOOD]]);
    clock.ms = Date.UTC(2026, 10, 16, 7, 1);
    chat.crashAfterNextNotice = true;
    await expect(app.recaps.run(channel, 'week', '2026-W46', 'worker-1')).rejects.toThrow('crashed after sending');
    // A killed process never releases its lease: until it expires, another worker waits (and retries).
    const lease = `notice:${channelKey(channel)}:recap-week-2026-W46-general`;
    expect(await app.store.holdLease(lease, 'worker-1', 60_000)).toBe(true);
    await expect(app.recaps.run(channel, 'week', '2026-W46', 'worker-2')).rejects.toThrow(/being driven by another worker/);
    expect(chat.notices).toHaveLength(1);
    await app.store.releaseLease(lease, 'worker-1'); // the lease expires
    expect(await app.recaps.run(channel, 'week', '2026-W46', 'worker-2')).toBe('sent');
    expect(await app.recaps.run(channel, 'week', '2026-W46', 'worker-3')).toBe('already-sent');
    expect(chat.notices).toHaveLength(1);
  });

  it('GIVEN /quiz recap THEN the caller sees the running week so far; a bad period gets a clear error', async () => {
    const clock = new FakeClock(MON_9_NOV - DAY);
    const chat = new RecordingChat();
    const app = await appAt(clock, chat);
    await app.scheduling.update(channel, { cron: '0 9 * * *', timezone: TZ });
    const ctx = { channel, member: member('alice'), isAdmin: false, threadRef: null };
    const empty = await app.commands.run(ctx, 'recap');
    expect(empty).toMatchObject({ kind: 'text', visibility: 'caller' });
    expect((empty as { text: string }).text).toContain('nothing to recap');
    await playRound(app, clock, MON_9_NOV, [['alice', GOOD]]);
    const week = (await app.commands.run(ctx, 'recap week')) as { text: string; visibility: string };
    expect(week.visibility).toBe('caller');
    expect(week.text).toMatch(/^📊 Weekly recap — week of 9 Nov 2026 \(so far\)\n🥇 alice/);
    const bad = (await app.commands.run(ctx, 'recap yearly')) as { text: string; error?: boolean };
    expect(bad.error).toBe(true);
    expect(bad.text).toContain('“yearly” is not one of week, month (period). Usage: /quiz recap [week|month]');
    expect(chat.notices).toHaveLength(0);
  });
  it('GIVEN a reward role THEN each weekly recap gives it to the week’s winner and takes it from the previous one', async () => {
    const clock = new FakeClock(MON_9_NOV - DAY);
    const chat = new RecordingChat();
    const app = await appAt(clock, chat);
    await app.scheduling.update(channel, { cron: '0 9 * * *', timezone: TZ });
    const admin = { channel, member: member('admin'), isAdmin: true, threadRef: null };
    expect(((await app.commands.run({ ...admin, isAdmin: false }, 'reward-role winners')) as { error?: boolean }).error).toBe(true);
    await app.commands.run(admin, 'reward-role winners');
    await playRound(app, clock, MON_9_NOV, [
      ['alice', GOOD],
      ['bob', WEAK],
    ]);
    await app.recaps.run(channel, 'week', '2026-W46', 'w1');
    expect([...chat.notify.get('winners')!]).toEqual(['alice']);
    await playRound(app, clock, MON_9_NOV + 7 * DAY, [
      ['bob', GOOD],
      ['alice', WEAK],
    ]);
    await app.recaps.run(channel, 'week', '2026-W47', 'w2');
    expect([...chat.notify.get('winners')!]).toEqual(['bob']);
    // The month's recap names its winner but moves no role; a retried weekly recap moves nothing.
    await app.recaps.run(channel, 'month', '2026-11', 'w3');
    await app.recaps.run(channel, 'week', '2026-W47', 'w4');
    expect([...chat.notify.get('winners')!]).toEqual(['bob']);
  });
});
