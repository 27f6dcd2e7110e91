/**
 * A year of slots in zones with every kind of daylight-saving edge (30-minute shifts, 45-minute
 * offsets, midnight gaps, southern hemisphere), checked against an independent reference written
 * here from the README's rules with Intl only — no cron-parser, no luxon: walk the year in
 * 15-minute steps (every zone offset is a multiple of 15 minutes), read each instant's wall clock,
 * and derive which instants must fire. Then the reconciler is simulated over the same year.
 */
import { afterAll, describe, expect, it } from 'vitest';
import { QuestionBank } from '../../src/content/bank.js';
import { SlotCalendar } from '../../src/core/schedule/cron.js';
import { silentLogger } from '../../src/core/ports.js';
import { QuizService } from '../../src/core/rounds/quiz.js';
import { SchedulingService } from '../../src/core/schedule/scheduling.js';
import type { ChannelRef } from '../../src/core/types.js';
import { RedisScheduleStore } from '../../src/store/schedule-store.js';
import { FakeClock, RecordingChat, closeTestStores, makeQuestion, testStore } from '../helpers/core.js';
import { testRedis } from '../helpers/redis.js';

afterAll(closeTestStores);

const ZONES = [
  'Australia/Lord_Howe',
  'Pacific/Chatham',
  'America/Santiago',
  'Asia/Tehran',
  'Europe/Berlin',
  'America/New_York',
  'Australia/Sydney',
  'Asia/Kolkata',
];
const PATTERNS = ['30 2 * * *', '0 9 * * 1-5', '0 */6 * * *', '15 0 * * *'];
const FROM = Date.UTC(2026, 0, 1);
const TO = Date.UTC(2027, 0, 1);
const STEP = 15 * 60_000;

interface Wall {
  date: string;
  weekday: number;
  minutes: number;
}

/** Wall clock of every 15-minute instant of the year in a zone, by Intl. */
function wallClock(zone: string): { at: number; wall: Wall }[] {
  const fmt = new Intl.DateTimeFormat('en-US', {
    timeZone: zone,
    hourCycle: 'h23',
    year: 'numeric',
    month: '2-digit',
    day: '2-digit',
    hour: '2-digit',
    minute: '2-digit',
    weekday: 'short',
  });
  const days = ['Sun', 'Mon', 'Tue', 'Wed', 'Thu', 'Fri', 'Sat'];
  const out: { at: number; wall: Wall }[] = [];
  for (let at = FROM - 2 * 86_400_000; at < TO + 2 * 86_400_000; at += STEP) {
    const p = Object.fromEntries(fmt.formatToParts(at).map((x) => [x.type, x.value]));
    out.push({ at, wall: { date: `${p.year}-${p.month}-${p.day}`, weekday: days.indexOf(p.weekday!), minutes: Number(p.hour) * 60 + Number(p.minute) } });
  }
  return out;
}

/** The reference: which instants a pattern fires at, from the rules, for the patterns above. */
function reference(pattern: string, walls: { at: number; wall: Wall }[]): number[] {
  const [m, h, , , dow] = pattern.split(' ');
  const minute = Number(m);
  const hours = h === '*/6' ? [0, 6, 12, 18] : [Number(h)];
  const dayOk = (w: Wall) => dow === '*' || (w.weekday >= 1 && w.weekday <= 5);
  const out: number[] = [];
  if (hours.length === 1) {
    // Fixed time: once per matching date, at the first instant of that date whose wall clock is
    // at or after the time (the time itself; the end of a gap; the first of two in an overlap).
    const target = hours[0]! * 60 + minute;
    const done = new Set<string>();
    for (const { at, wall } of walls) {
      if (!dayOk(wall) || done.has(wall.date) || wall.minutes < target) continue;
      done.add(wall.date);
      out.push(at);
    }
  } else {
    // Hour steps: every wall time that exists, once (its first occurrence).
    const seen = new Set<string>();
    for (const { at, wall } of walls) {
      if (!dayOk(wall) || wall.minutes % 60 !== minute || !hours.includes(Math.floor(wall.minutes / 60))) continue;
      const key = `${wall.date} ${wall.minutes}`;
      if (seen.has(key)) continue;
      seen.add(key);
      out.push(at);
    }
  }
  return out.filter((t) => t >= FROM && t < TO);
}

describe('a year of slots in every kind of zone', () => {
  for (const zone of ZONES) {
    it(`GIVEN ${zone} THEN next(), prev() and the reference agree for every pattern over 2026`, () => {
      const walls = wallClock(zone);
      for (const pattern of PATTERNS) {
        const want = reference(pattern, walls);
        const cal = new SlotCalendar(pattern, zone);
        const got: number[] = [];
        for (let t = cal.next(FROM - 1); t !== null && t < TO; t = cal.next(t)) got.push(t);
        expect(got.length, `${pattern} in ${zone}`).toBe(want.length);
        expect(got, `${pattern} in ${zone}`).toEqual(want);
        // prev() returns each slot for its own instant and the previous slot just before it.
        for (let i = 1; i < got.length; i++) {
          expect(cal.prev(got[i]!)).toBe(got[i]);
          expect(cal.prev(got[i]! - 1)).toBe(got[i - 1]);
        }
        // No two slots at one instant, and ascending.
        expect(new Set(got).size).toBe(got.length);
      }
    });
  }
});

describe('the reconciler over a year', () => {
  const cases: [string, string][] = [
    ['Europe/Berlin', '30 2 * * *'],
    ['Australia/Lord_Howe', '0 */6 * * *'],
    ['America/Santiago', '15 0 * * *'],
  ];
  for (const [zone, pattern] of cases) {
    it(`GIVEN ${pattern} in ${zone} and no job ever firing THEN the reconciler posts each slot once, late, on its own date`, async () => {
      const store = testStore();
      const schedules = new RedisScheduleStore(testRedisClient(), store.keys.ns);
      const clock = new FakeClock(FROM - 86_400_000);
      const chat = new RecordingChat();
      // eslint-disable-next-line prefer-const -- assigned after the QuizService that refers to it
      let scheduling: SchedulingService;
      const quiz = new QuizService({
        bank: new QuestionBank([makeQuestion('q', ['t'], [['p', ['p']]])]),
        store,
        chat,
        clock,
        random: () => 0,
        scheduler: null,
        logger: silentLogger,
        settings: { defaultTimezone: zone, practiceRevealDelayMs: null },
        timezoneOf: (c) => scheduling.timezoneOf(c),
      });
      scheduling = new SchedulingService({
        schedules,
        store,
        quiz,
        chat,
        clock,
        logger: silentLogger,
        settings: { defaultTimezone: zone, catchUpGraceMs: 3 * 3_600_000 },
      });
      const channel: ChannelRef = { platform: 'console', serverId: 'local', channelId: zone };
      await scheduling.update(channel, { cron: pattern, timezone: zone, reveal: { kind: 'delay', ms: 3_600_000 } });
      const want = reference(pattern, wallClock(zone));
      // Every worker is down at each slot; the reconciler runs 5 minutes after it (twice).
      for (const slot of want) {
        clock.ms = slot + 5 * 60_000;
        await scheduling.reconcile();
        clock.ms = slot + 6 * 60_000;
        await scheduling.reconcile();
      }
      const posted = chat.questions.map((q) => q.post.round.slotMs);
      expect(posted).toEqual(want);
      expect(chat.reveals.length).toBeGreaterThan(want.length - 2);
    }, 120_000);
  }
});

const extraClients: ReturnType<typeof testRedis>[] = [];
afterAll(async () => {
  await Promise.all(extraClients.map((c) => c.quit()));
});

function testRedisClient() {
  const c = testRedis();
  extraClients.push(c);
  return c;
}
