/**
 * The thread reminder before a scheduled reveal: configured per schedule, sent once in the round's
 * thread with the answers so far, never after the reveal, and queued by the job runtime.
 */
import { afterAll, describe, expect, it } from 'vitest';
import type { App } from '../../src/app.js';
import type { ChannelRef, Member } from '../../src/core/types.js';
import { FakeClock, RecordingChat } from '../helpers/core.js';
import { closeTestApps, testApp } from '../helpers/app.js';
import { waitFor } from '../helpers/wait.js';

afterAll(closeTestApps);

const channel: ChannelRef = { platform: 'console', serverId: 'local', channelId: 'general' };
const admin: Member = { id: 'admin', name: 'admin' };
const ctx = { channel, member: admin, isAdmin: true, threadRef: null };
const SLOT = Date.UTC(2026, 10, 23, 8);

async function appAt(clock: FakeClock, chat: RecordingChat): Promise<App> {
  return (await testApp({ clock, chat, tag: 'remind' })).app;
}

describe('reminder before the reveal', () => {
  it('GIVEN /quiz schedule reminder 1h THEN the thread gets “1 h left — 2 answers so far” once; never after the reveal', async () => {
    const clock = new FakeClock(SLOT - 60_000);
    const chat = new RecordingChat();
    const app = await appAt(clock, chat);
    await app.commands.run(ctx, 'schedule set 0 9 * * * Europe/Berlin 8h');
    const saved = (await app.commands.run(ctx, 'schedule reminder 1h')) as { text: string };
    expect(saved.text).toContain('Reminder 1 h before each reveal.');
    expect(((await app.commands.run(ctx, 'schedule show')) as { text: string }).text).toContain('Reminder in the thread: 1 h before the reveal');
    clock.ms = SLOT;
    const { round } = await app.quiz.startRound(channel, { mode: 'scheduled', slotMs: SLOT, topic: 'cap', revealAt: SLOT + 8 * 3_600_000 });
    for (const who of ['alice', 'bob']) {
      await app.quiz.recordAnswer({
        channel,
        threadRef: null,
        roundId: round.id,
        member: { id: who, name: who },
        text: 'consistency or availability',
        deliveryId: who,
      });
    }
    clock.ms = round.revealAt! - 3_600_000;
    // Two workers at once: one sends, the other finds it sent or leased (a leased one retries).
    const both = await Promise.allSettled([app.quiz.remind(round.id, 'w1'), app.quiz.remind(round.id, 'w2')]);
    expect(
      both.filter((r) => r.status === 'fulfilled' && r.value === 'sent'),
      JSON.stringify(both.map((r) => (r.status === 'fulfilled' ? r.value : String(r.reason)))),
    ).toHaveLength(1);
    for (const r of both) if (r.status === 'rejected') expect((r.reason as Error).name).toBe('RoundBusyError');
    expect(await app.quiz.remind(round.id, 'w3')).toBe('already-sent');
    expect(chat.notices).toHaveLength(1);
    expect(chat.notices[0]!.threadRef).toBe(round.threadRef);
    expect(chat.notices[0]!.notice.title).toBe('⏳ 1 h left — 2 answers so far');
    // Revealed early: a later round's reminder has nothing to say.
    clock.ms = SLOT + 86_400_000;
    const next = await app.quiz.startRound(channel, { mode: 'scheduled', slotMs: SLOT + 86_400_000, topic: 'acid' });
    await app.quiz.reveal(next.round.id);
    expect(await app.quiz.remind(next.round.id, 'w4')).toBe('nothing-to-send');
    expect(chat.notices).toHaveLength(1);
  });

  it('GIVEN a bad reminder THEN a clear error and nothing saved; GIVEN off THEN none', async () => {
    const clock = new FakeClock(SLOT);
    const chat = new RecordingChat();
    const app = await appAt(clock, chat);
    await app.commands.run(ctx, 'schedule set 0 9 * * * Europe/Berlin 8h');
    const bad = (await app.commands.run(ctx, 'schedule reminder soon')) as { text: string; error?: boolean };
    expect(bad.error).toBe(true);
    expect((await app.scheduling.reminderOf(channel)) ?? null).toBeNull();
    const empty = (await app.commands.run(ctx, 'schedule reminder')) as { text: string; error?: boolean };
    expect(empty.text).toMatch(/^Usage: \/quiz schedule reminder/);
    await app.commands.run(ctx, 'schedule reminder 30m');
    expect(await app.scheduling.reminderOf(channel)).toBe(1_800_000);
    await app.commands.run(ctx, 'schedule reminder off');
    expect(await app.scheduling.reminderOf(channel)).toBeNull();
    const member = (await app.commands.run({ ...ctx, member: { id: 'm', name: 'm' }, isAdmin: false }, 'schedule reminder 1h')) as { error?: boolean };
    expect(member.error).toBe(true);
  });

  it('GIVEN a posted round with a reminder THEN the job runtime queues it once and it reaches the thread', async () => {
    const { app, chat } = await testApp({ tag: 'remind' });
    await app.scheduling.update(channel, { cron: '0 9 * * *', timezone: 'UTC', reminderMs: 3_600_000 });
    const jobs = await app.startJobs({ backoffMs: 100 });
    // Reveal in 1 h and 2 s: the reminder is due in about 2 s.
    const { round } = await app.quiz.startRound(channel, {
      mode: 'scheduled',
      slotMs: Date.UTC(2026, 0, 5, 9),
      topic: 'cap',
      revealAt: Date.now() + 3_602_000,
    });
    await jobs.scheduleReminder(round, Date.now()); // a duplicate: same job id
    // Once done, the reveal queue holds the reveal (delayed) and one reminder job (completed).
    const counts = await waitFor('the reminder job', async () => {
      const c = (await jobs.counts()).reveal!;
      return (c.completed ?? 0) >= 1 ? c : null;
    });
    expect({ completed: counts.completed, delayed: counts.delayed, waiting: counts.waiting ?? 0 }).toEqual({ completed: 1, delayed: 1, waiting: 0 });
    expect(chat.notices.map((n) => [n.notice.kind, n.threadRef])).toEqual([['reminder', round.threadRef]]);
    expect(chat.notices[0]!.notice.title).toMatch(/^⏳ (59 min|1 h) left — no answers yet$/);
  }, 30_000);
  it('GIVEN /quiz notify streak on THEN a member with a streak who has not answered is nudged privately once; others are not', async () => {
    const clock = new FakeClock(SLOT - 60_000);
    const chat = new RecordingChat();
    const app = await appAt(clock, chat);
    await app.commands.run(ctx, 'schedule set 0 9 * * * Europe/Berlin 8h');
    const as = (id: string) => ({ channel, member: { id, name: id }, isAdmin: false, threadRef: null });
    for (const id of ['alice', 'bob', 'dave']) await app.commands.run(as(id), 'notify streak on');
    expect(((await app.commands.run(as('x'), 'notify streak maybe')) as { error?: boolean }).error).toBe(true);
    // Two rounds: alice and bob answer both (streak 2); dave never answered (no streak).
    for (const day of [0, 1]) {
      clock.ms = SLOT + day * 86_400_000;
      const { round } = await app.quiz.startRound(channel, { mode: 'scheduled', slotMs: clock.ms, topic: 'cap', revealAt: clock.ms + 8 * 3_600_000 });
      for (const who of ['alice', 'bob', 'carol']) {
        await app.quiz.recordAnswer({
          channel,
          threadRef: null,
          roundId: round.id,
          member: { id: who, name: who },
          text: 'During a partition you choose consistency or availability.',
          deliveryId: `${day}${who}`,
        });
      }
      clock.ms += 8 * 3_600_000;
      await app.quiz.reveal(round.id);
    }
    // Day 3: bob answers, alice does not; carol has a streak but did not opt in.
    clock.ms = SLOT + 2 * 86_400_000;
    const { round } = await app.quiz.startRound(channel, { mode: 'scheduled', slotMs: clock.ms, topic: 'cap', revealAt: clock.ms + 8 * 3_600_000 });
    await app.quiz.recordAnswer({
      channel,
      threadRef: null,
      roundId: round.id,
      member: { id: 'bob', name: 'bob' },
      text: 'consistency or availability',
      deliveryId: 'b3',
    });
    clock.ms = round.revealAt! - 3_600_000;
    // No thread reminder is configured: only the nudge goes out.
    expect(await app.quiz.remind(round.id, 'w1')).toBe('nothing-to-send');
    expect(await app.quiz.remind(round.id, 'w2')).toBe('nothing-to-send');
    expect(chat.notices).toHaveLength(0);
    expect(chat.told.map((t) => t.memberId)).toEqual(['alice']);
    expect(chat.told[0]!.text).toMatch(/^🔥 Your 2-question streak in \{channel\} is at risk: today’s question closes in 1 h\./);
  });
});
