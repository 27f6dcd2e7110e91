/**
 * Missed slots and overdue reveals, on real Redis with a controlled clock: every worker was
 * down across a slot; the reconciler posts it once within the grace on the same local day, or
 * records the skip with its reason. Bad schedule input stores nothing.
 */
import type { RedisClient } from '../../src/store/topology.js';
import { afterAll, describe, expect, it } from 'vitest';
import { QuestionBank } from '../../src/content/bank.js';
import { silentLogger, type Logger } from '../../src/core/ports.js';
import { QuizService } from '../../src/core/rounds/quiz.js';
import { defaultSchedule } from '../../src/core/schedule/schedule.js';
import { SchedulingService } from '../../src/core/schedule/scheduling.js';
import type { ChannelRef } from '../../src/core/types.js';
import { RedisQuizStore } from '../../src/store/redis-store.js';
import { RedisScheduleStore } from '../../src/store/schedule-store.js';
import { FakeClock, RecordingChat, makeQuestion } from '../helpers/core.js';
import { newNamespace, testRedis } from '../helpers/redis.js';

const clients: RedisClient[] = [];
afterAll(async () => {
  await Promise.all(clients.map((c) => c.quit()));
});

const channel: ChannelRef = { platform: 'console', serverId: 'local', channelId: 'general' };
// Monday 2026-11-23, 09:00 Berlin = 08:00 UTC
const SLOT = Date.UTC(2026, 10, 23, 8);
const HOUR = 3_600_000;

function setup() {
  const client = testRedis();
  clients.push(client);
  const ns = newNamespace('rc');
  const store = new RedisQuizStore(client, ns);
  const schedules = new RedisScheduleStore(client, ns);
  const clock = new FakeClock(SLOT - 24 * HOUR);
  const chat = new RecordingChat();
  const warnings: string[] = [];
  const logger: Logger = { ...silentLogger, warn: (msg, f) => warnings.push(`${msg} ${JSON.stringify(f)}`) };
  // eslint-disable-next-line prefer-const -- assigned after the QuizService that refers to it
  let scheduling: SchedulingService;
  const quiz = new QuizService({
    bank: new QuestionBank([makeQuestion('cap-theorem', ['cap'], [['p', ['p']]]), makeQuestion('acid', ['acid'], [['p', ['p']]])]),
    store,
    chat,
    clock,
    random: () => 0,
    scheduler: null,
    logger,
    settings: { defaultTimezone: 'UTC', practiceRevealDelayMs: null },
    timezoneOf: (c) => scheduling.timezoneOf(c),
  });
  scheduling = new SchedulingService({ schedules, store, quiz, chat, clock, logger, settings: { defaultTimezone: 'UTC', catchUpGraceMs: 6 * HOUR } });
  return { store, schedules, clock, chat, quiz, scheduling, warnings };
}

describe('reconciler', () => {
  it('GIVEN all workers down across a slot THEN the reconciler posts it once, late, within the grace', async () => {
    const t = setup();
    await t.scheduling.update(channel, { cron: '0 9 * * 1-5', timezone: 'Europe/Berlin' });
    t.clock.ms = SLOT + 2 * HOUR;
    expect(await t.scheduling.reconcile()).toEqual({ slots: 1, rounds: 0, indexed: 0, recaps: 0 });
    expect(t.chat.questions).toHaveLength(1);
    const round = t.chat.questions[0]!.post.round;
    expect(round.slotMs).toBe(SLOT);
    expect(round.localDate).toBe('2026-11-23');
    expect(round.revealAt).toBe(SLOT + 8 * HOUR);
    t.clock.advance(60_000);
    expect(await t.scheduling.reconcile()).toEqual({ slots: 0, rounds: 0, indexed: 0, recaps: 0 });
    // The job scheduler's own (late) job for the same slot changes nothing either.
    await t.scheduling.runSlot(channel, SLOT);
    expect(t.chat.questions).toHaveLength(1);
    expect(t.warnings.some((w) => w.startsWith('missed slot: posting it late'))).toBe(true);
  });

  it('GIVEN a failover that lost the queued jobs of a 10-second schedule THEN every missed slot is posted, in order, none twice', async () => {
    const t = setup();
    const start = SLOT + 20_000;
    t.clock.ms = start - 5_000;
    // A schedule faster than commands allow (as in a soak run), stored directly.
    await t.schedules.saveSchedule({ ...defaultSchedule(channel, 'UTC', t.clock.ms), cron: '*/10 * * * * *', reveal: { kind: 'delay', ms: 5_000 } });
    await t.schedules.setDue(channel, start);
    // The promoted replica lost the jobs: nothing fired for 35 s. The due index still names the
    // first missed slot; the reconciler finds it and the chain catches up slot by slot.
    t.clock.ms = start + 35_000;
    for (let pass = 0; pass < 10; pass++) {
      if ((await t.scheduling.reconcile()).slots === 0) break;
    }
    // (The slot 5 s ago is not overdue yet: its job would still be running. Without a job runtime,
    // here, the next pass takes it.)
    expect(t.chat.questions.map((q) => q.post.round.slotMs)).toEqual([start, start + 10_000, start + 20_000]);
    t.clock.advance(10_000);
    await t.scheduling.reconcile();
    const posted = t.chat.questions.map((q) => q.post.round.slotMs);
    expect(posted).toEqual([start, start + 10_000, start + 20_000, start + 30_000]);
    expect(await t.schedules.dueOf(channel)).toBe(start + 40_000);
    for (const slot of posted) expect(await t.schedules.skipReason(channel, slot!)).toBeNull();
  });

  it('GIVEN an outage of hours on an hourly schedule THEN one late question, not a burst: the latest due slot supersedes the rest', async () => {
    const t = setup();
    t.clock.ms = SLOT - 60_000;
    await t.scheduling.update(channel, { cron: '0 * * * *', timezone: 'UTC', reveal: { kind: 'delay', ms: 30 * 60_000 } });
    t.clock.ms = SLOT + 3 * HOUR + 60_000;
    for (let pass = 0; pass < 10; pass++) {
      if ((await t.scheduling.reconcile()).slots === 0) break;
    }
    expect(t.chat.questions.map((q) => q.post.round.slotMs)).toEqual([SLOT + 3 * HOUR]);
    expect(await t.schedules.skipReason(channel, SLOT)).toMatch(/superseded/);
  });

  it('GIVEN many channels whose slot was missed THEN one warning names the first, one sums up the rest', async () => {
    const t = setup();
    const channels = Array.from({ length: 6 }, (_, i): ChannelRef => ({ platform: 'console', serverId: 'local', channelId: `c${i}` }));
    for (const c of channels) await t.scheduling.update(c, { cron: '0 9 * * 1-5', timezone: 'Europe/Berlin' });
    t.clock.ms = SLOT + 2 * HOUR;
    expect((await t.scheduling.reconcile()).slots).toBe(6);
    expect(t.chat.questions).toHaveLength(6);
    const late = t.warnings.filter((w) => w.includes('posted late') || w.includes('posting it late'));
    expect(late).toHaveLength(2);
    expect(late[0]).toMatch(/^missed slot: posting it late/);
    expect(late[1]).toMatch(/^slots posted late .*"slots":6/);
  });

  it('GIVEN the outage lasted past the local day THEN the slot is recorded as skipped with the reason, never posted', async () => {
    const t = setup();
    await t.scheduling.update(channel, { cron: '0 9 * * 1-5', timezone: 'Europe/Berlin' });
    t.clock.ms = SLOT + 16 * HOUR; // 01:00 Tuesday in Berlin
    expect((await t.scheduling.reconcile()).slots).toBe(1);
    expect(t.chat.questions).toHaveLength(0);
    expect(await t.schedules.skipReason(channel, SLOT)).toMatch(/2026-11-23 is over in Europe\/Berlin/);
    expect((await t.scheduling.reconcile()).slots).toBe(0); // handled once: the index moved on
    expect(await t.schedules.dueOf(channel)).toBe(SLOT + 24 * HOUR);
  });

  it('GIVEN a slot later than the grace on the same day THEN it is skipped with the reason', async () => {
    const t = setup();
    await t.scheduling.update(channel, { cron: '0 9 * * 1-5', timezone: 'Europe/Berlin' });
    t.clock.ms = SLOT + 7 * HOUR;
    expect((await t.scheduling.reconcile()).slots).toBe(1);
    expect(await t.schedules.skipReason(channel, SLOT)).toMatch(/more than 360 minutes late/);
    expect(t.chat.questions).toHaveLength(0);
  });

  it('GIVEN a posted round whose reveal job was lost THEN the reconciler reveals it once', async () => {
    const t = setup();
    await t.scheduling.update(channel, { cron: '0 9 * * 1-5', timezone: 'Europe/Berlin' });
    t.clock.ms = SLOT;
    await t.scheduling.runSlot(channel, SLOT);
    t.clock.ms = SLOT + 9 * HOUR;
    expect((await t.scheduling.reconcile()).rounds).toBe(1);
    expect(t.chat.reveals).toHaveLength(1);
    expect((await t.scheduling.reconcile()).rounds).toBe(0);
    expect(t.chat.questions).toHaveLength(1);
  });

  it('GIVEN a paused channel or a skipped slot THEN nothing is posted', async () => {
    const t = setup();
    await t.scheduling.update(channel, { cron: '0 9 * * 1-5', timezone: 'Europe/Berlin' });
    t.clock.ms = SLOT - HOUR;
    const { slotMs } = await t.scheduling.skipNext(channel);
    expect(slotMs).toBe(SLOT);
    expect(await t.scheduling.runSlot(channel, SLOT)).toEqual({ kind: 'skipped', reason: 'skipped by an admin (/quiz skip)' });
    await t.scheduling.setPaused(channel, true);
    expect((await t.scheduling.runSlot(channel, SLOT + 24 * HOUR)).kind).toBe('paused');
    t.clock.ms = SLOT + 25 * HOUR;
    await t.scheduling.reconcile();
    expect(t.chat.questions).toHaveLength(0);
  });
});

describe('/quiz post and the scheduler', () => {
  it('GIVEN /quiz post 30 s before the slot, and the slot firing THEN one round, posted once', async () => {
    const t = setup();
    await t.scheduling.update(channel, { cron: '0 9 * * 1-5', timezone: 'Europe/Berlin' });
    t.clock.ms = SLOT - 30_000;
    const manual = await t.scheduling.postNow(channel);
    expect(manual.round.slotMs).toBe(SLOT);
    t.clock.ms = SLOT;
    await t.scheduling.handleSlot(channel, SLOT);
    await expect(t.scheduling.postNow(channel)).rejects.toThrow(/already has an open question/);
    expect(t.chat.questions).toHaveLength(1);
  });

  it('GIVEN /quiz post in the slot minute before the job ran, and both racing THEN one round', async () => {
    const t = setup();
    await t.scheduling.update(channel, { cron: '0 9 * * 1-5', timezone: 'Europe/Berlin' });
    t.clock.ms = SLOT + 20_000;
    // A loser fails (refused, or the round is leased by the winner) and its job is retried.
    await Promise.allSettled([t.scheduling.postNow(channel), t.scheduling.handleSlot(channel, SLOT)]);
    expect((await t.scheduling.handleSlot(channel, SLOT)).kind).toBe('posted');
    expect(t.chat.questions).toHaveLength(1);
    expect(t.chat.questions[0]!.post.round.slotMs).toBe(SLOT);
  });
});

describe('schedule changes', () => {
  it('GIVEN a bad cron, zone or reveal cron THEN the change is refused and nothing is stored', async () => {
    const t = setup();
    await expect(t.scheduling.update(channel, { cron: '0 25 * * *' })).rejects.toThrow(/not a valid cron pattern/);
    await expect(t.scheduling.update(channel, { cron: '0 9 * * *', timezone: 'Europe/Berln' })).rejects.toThrow(/not an IANA time zone/);
    await expect(t.scheduling.update(channel, { reveal: { kind: 'cron', cron: 'nope' } })).rejects.toThrow(/not a cron pattern/);
    await expect(t.scheduling.update(channel, { cron: '*/10 * * * * *' })).rejects.toThrow(/has 6 fields: quizbot schedules take 5 .*no seconds field; e\.g\./);
    await expect(t.scheduling.update(channel, { cron: '*/2 * * * *' })).rejects.toThrow(
      /would post every 2 minutes; the shortest interval allowed is 5 minutes/,
    );
    expect(await t.schedules.getSchedule(channel)).toBeNull();
    expect(await t.schedules.allSchedules()).toEqual([]);
  });
});
