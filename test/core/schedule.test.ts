import { describe, expect, it } from 'vitest';
import { parseScheduleSet } from '../../src/core/commands/schedule.js';
import { loadConfig, parseDuration } from '../../src/config/env.js';
import {
  lastSlot,
  nextSlot,
  parseDelay,
  parseReveal,
  revealAtFor,
  upcoming,
  validateCron,
  validateTimezone,
  durationMs,
  type ChannelSchedule,
} from '../../src/core/schedule/schedule.js';
import { DateTime } from 'luxon';

const channel = { platform: 'console' as const, serverId: 'local', channelId: 'general' };
function sched(cron: string, timezone: string): ChannelSchedule {
  return {
    channel,
    cron,
    timezone,
    reveal: { kind: 'delay', ms: 8 * 3_600_000 },
    topics: [],
    excludeTopics: [],
    levels: [],
    paused: false,
    skip: [],
    updatedAt: 0,
  };
}
/** Every post between two dates, as local "yyyy-MM-dd HH:mm". */
function posts(s: ChannelSchedule, fromIso: string, toIso: string): string[] {
  const out: string[] = [];
  let t = DateTime.fromISO(fromIso, { zone: s.timezone }).toMillis();
  const end = DateTime.fromISO(toIso, { zone: s.timezone }).toMillis();
  for (;;) {
    const n = nextSlot(s, t);
    if (n === null || n > end) return out;
    t = n;
    out.push(DateTime.fromMillis(t, { zone: s.timezone }).toFormat('yyyy-MM-dd HH:mm'));
  }
}

describe('next runs across daylight saving changes', () => {
  const cases: [string, string, string][] = [
    // zone, spring change window, autumn change window
    ['America/New_York', '2026-03-06', '2026-10-30'],
    ['Europe/Berlin', '2026-03-27', '2026-10-23'],
    ['Australia/Sydney', '2026-10-02', '2026-04-03'],
    ['Asia/Kolkata', '2026-03-27', '2026-10-23'],
    ['America/St_Johns', '2026-03-06', '2026-10-30'],
  ];
  for (const [zone, spring, autumn] of cases) {
    it(`GIVEN daily 09:00 in ${zone} THEN every post is at 09:00 local, one per day, across both changes`, () => {
      for (const start of [spring, autumn]) {
        const s = sched('0 9 * * *', zone);
        const from = DateTime.fromISO(start, { zone });
        const got = posts(s, from.toISO()!, from.plus({ days: 7 }).toISO()!);
        const want = Array.from({ length: 7 }, (_, i) => `${from.plus({ days: i }).toFormat('yyyy-MM-dd')} 09:00`);
        expect(got).toEqual(want);
      }
    });
  }

  it('GIVEN 02:30 on the spring-forward night in New York THEN it runs once, at the end of the gap, and the fall-back 01:30 runs once', () => {
    const spring = posts(sched('30 2 * * *', 'America/New_York'), '2026-03-07T00:00', '2026-03-09T23:59');
    expect(spring).toEqual(['2026-03-07 02:30', '2026-03-08 03:00', '2026-03-09 02:30']);
    const autumn = posts(sched('30 1 * * *', 'America/New_York'), '2026-10-31T00:00', '2026-11-02T23:59');
    expect(autumn).toEqual(['2026-10-31 01:30', '2026-11-01 01:30', '2026-11-02 01:30']);
  });

  it("GIVEN half-hour zones THEN UTC instants carry the offset (Kolkata +5:30, St John's -3:30/-2:30)", () => {
    const k = nextSlot(sched('0 9 * * *', 'Asia/Kolkata'), Date.UTC(2026, 10, 23));
    expect(new Date(k!).toISOString()).toBe('2026-11-23T03:30:00.000Z');
    const j = nextSlot(sched('0 9 * * *', 'America/St_Johns'), Date.UTC(2026, 6, 1));
    expect(new Date(j!).toISOString()).toBe('2026-07-01T11:30:00.000Z');
  });

  it('GIVEN weekdays and a reveal delay THEN upcoming lists posts and reveals; lastSlot finds the latest due slot', () => {
    const s = sched('0 9 * * 1-5', 'Europe/Berlin');
    const fri = DateTime.fromISO('2026-11-27T10:00', { zone: 'Europe/Berlin' }).toMillis();
    const next = upcoming(s, fri, 2).map((u) => DateTime.fromMillis(u.postAt, { zone: 'Europe/Berlin' }).toFormat('ccc HH:mm'));
    expect(next).toEqual(['Mon 09:00', 'Tue 09:00']);
    expect(revealAtFor(s, fri) - fri).toBe(8 * 3_600_000);
    const last = lastSlot(s, fri);
    expect(DateTime.fromMillis(last!, { zone: 'Europe/Berlin' }).toFormat('ccc HH:mm')).toBe('Fri 09:00');
    const cronReveal = { ...s, reveal: parseReveal('0 17 * * 1-5', 'Europe/Berlin') };
    expect(DateTime.fromMillis(revealAtFor(cronReveal, last!), { zone: 'Europe/Berlin' }).toFormat('ccc HH:mm')).toBe('Fri 17:00');
  });
});

describe('validation', () => {
  it('GIVEN bad cron patterns THEN a clear message with an example', () => {
    expect(() => validateCron('61 9 * * *')).toThrow(/not a valid cron pattern.*e\.g\. "0 9 \* \* 1-5"/);
    expect(() => validateCron('every day')).toThrow(/needs 5 fields .*e\.g\. "0 9 \* \* 1-5"/);
    expect(() => validateCron('0 0 30 2 *')).toThrow(/not a valid cron pattern/);
    expect(validateCron('  0  9 * * 1-5 ')).toBe('0 9 * * 1-5');
  });

  it('GIVEN bad zones and delays THEN a clear message with an example', () => {
    expect(() => validateTimezone('Mars/Olympus')).toThrow(/not an IANA time zone; use a name such as Europe\/Berlin/);
    expect(() => validateTimezone('+01:00')).toThrow(/IANA/);
    expect(validateTimezone('America/St_Johns')).toBe('America/St_Johns');
    expect(() => parseDelay('soon')).toThrow(/not a reveal delay; use a duration such as 8h/);
    expect(() => parseDelay('30s')).toThrow(/between 1 minute and 7 days/);
    expect(() => parseDelay('9d')).toThrow(/between 1 minute and 7 days/);
    expect(parseDelay('90m')).toBe(90 * 60_000);
    expect(parseDelay('1.5h')).toBe(90 * 60_000);
  });

  it('GIVEN the same zone and duration strings THEN configuration and commands accept or refuse them alike', () => {
    for (const zone of ['UTC', 'GMT', 'Europe/Berlin', 'America/Argentina/Buenos_Aires', 'UTC+2', '+01:00', 'CET', 'Mars/Olympus']) {
      const command = (() => {
        try {
          validateTimezone(zone);
          return true;
        } catch {
          return false;
        }
      })();
      const config = (() => {
        try {
          loadConfig({ QUIZBOT_TIMEZONE: zone });
          return true;
        } catch {
          return false;
        }
      })();
      expect(config, zone).toBe(command);
    }
    for (const [text, ms] of [
      ['45s', 45_000],
      ['1.5h', 5_400_000],
      ['30 min', 1_800_000],
      ['2d', 172_800_000],
    ] as const) {
      expect(durationMs(text), text).toBe(ms);
      expect(parseDuration(text), text).toBe(ms);
    }
    expect(durationMs('soon')).toBeNull();
  });

  it('GIVEN /quiz schedule set arguments THEN cron, zone and reveal are told apart, quoted or not', () => {
    expect(parseScheduleSet('0 9 * * 1-5 Europe/Berlin 8h'.split(' '))).toEqual({ cron: '0 9 * * 1-5', timezone: 'Europe/Berlin', reveal: '8h' });
    expect(parseScheduleSet(['0 9 * * 1-5', 'UTC'])).toEqual({ cron: '0 9 * * 1-5', timezone: 'UTC' });
    // Not a zone and not a duration: refused as a zone, never saved as something else.
    expect(() => parseScheduleSet(['0 9 * * 1-5', 'UTC+2', '8h'])).toThrow(/“UTC\+2” is not an IANA time zone/);
    expect(() => parseScheduleSet(['0 9 * * 1-5', '8h', '2h'])).toThrow();
    // Six unquoted cron fields are refused with the 5-field rule, never cut to five.
    expect(() => parseScheduleSet('0 0 9 * * 1-5'.split(' '))).toThrow(/has 6 fields/);
    expect(parseScheduleSet(['0 9 * * 1-5', 'GMT', '90 min'])).toEqual({ cron: '0 9 * * 1-5', timezone: 'GMT', reveal: '90 min' });
    expect(parseScheduleSet('*/30 8-17 * * mon-fri'.split(' '))).toEqual({ cron: '*/30 8-17 * * mon-fri' });
  });
});
