/**
 * When a cron pattern fires in an IANA zone — computed here, not by cron-parser's iterator.
 *
 * cron-parser only parses the fields. Its `next()`/`prev()` loop forever or disagree at DST edges
 * (Lord_Howe's 30-minute shift, Chatham, a fall-back night's second 02:30), so slots are computed
 * from local calendar dates: every matching date yields its wall-clock times, each resolved to an
 * instant with the zone's offsets. Every loop here is bounded by a count, never by a condition
 * that a zone's rules could keep false.
 *
 * The rules (README, "Schedules"):
 * - a pattern with one hour and one minute (a fixed time) fires exactly once on each matching local
 *   date: at that time; in a spring-forward gap at the first instant after the gap (03:00 for
 *   02:30 in Berlin); in a fall-back overlap only at the first occurrence;
 * - any other pattern (hour steps or lists, minute steps) fires at each matching wall-clock time
 *   that exists, once (the first occurrence in an overlap); times inside a gap are skipped.
 */
import { CronExpressionParser } from 'cron-parser';
import { IANAZone } from 'luxon';
import { QuizError } from '../text/errors.js';

const DAY_MS = 86_400_000;
/** Patterns such as "0 0 29 2 1" (a Monday 29 February) fire only every 28 years. */
const MAX_DAYS = 366 * 29;

export interface CompiledCron {
  pattern: string;
  seconds: number[];
  minutes: number[];
  hours: number[];
  daysOfMonth: Set<number>;
  months: Set<number>;
  daysOfWeek: Set<number>;
  /** Day-of-month and day-of-week both restricted: a date matches either (classic cron). */
  dayOr: boolean;
  /** One hour, one minute, one second: fires once per matching date, shifted out of a gap. */
  fixedTime: boolean;
  /** Seconds since local midnight of every wall-clock time the pattern names, ascending. */
  timesOfDay: number[];
}

function bad(pattern: string, why: string): QuizError {
  return QuizError.of('cron-invalid', { pattern, why });
}

/**
 * Parses a 5-field pattern (6 fields with seconds only when `allowSeconds`: internal test
 * schedules; chat schedules never get one). L, W and # are refused: their meaning differs
 * between cron dialects.
 */
export function compileCron(pattern: string, opts: { allowSeconds?: boolean } = {}): CompiledCron {
  const p = pattern.trim().replace(/\s+/g, ' ');
  const n = p === '' ? 0 : p.split(' ').length;
  if (n === 6 && !opts.allowSeconds) {
    throw QuizError.of('cron-seconds', { pattern });
  }
  if (n !== 5 && n !== 6) {
    throw QuizError.of('cron-fields', { pattern });
  }
  if (
    /[LW#]/i.test(
      p
        .split(' ')
        .slice(-3)
        .join(' ')
        .replace(/\b[a-z]{3}\b/gi, ''),
    )
  ) {
    throw bad(pattern, 'L, W and # are not supported');
  }
  let fields;
  try {
    fields = CronExpressionParser.parse(p, { strict: false }).fields;
  } catch (err) {
    throw bad(pattern, (err as Error).message);
  }
  const nums = (v: readonly (number | string)[]) => [...new Set(v.map(Number).filter(Number.isFinite))].sort((a, b) => a - b);
  const seconds = n === 6 ? nums(fields.second.values) : [0];
  const minutes = nums(fields.minute.values);
  const hours = nums(fields.hour.values);
  const daysOfMonth = new Set(nums(fields.dayOfMonth.values));
  const months = new Set(nums(fields.month.values));
  const daysOfWeek = new Set(nums(fields.dayOfWeek.values).map((d) => (d === 7 ? 0 : d)));
  const dayOr = !fields.dayOfMonth.isWildcard && !fields.dayOfWeek.isWildcard;
  const timesOfDay: number[] = [];
  for (const h of hours) for (const m of minutes) for (const s of seconds) timesOfDay.push(h * 3600 + m * 60 + s);
  const compiled: CompiledCron = {
    pattern: p,
    seconds,
    minutes,
    hours,
    daysOfMonth,
    months,
    daysOfWeek,
    dayOr,
    fixedTime: hours.length === 1 && minutes.length === 1 && seconds.length === 1,
    timesOfDay,
  };
  if (!firesAtAll(compiled)) throw QuizError.of('cron-never', { pattern });
  return compiled;
}

/** Shortest gap between two consecutive times the pattern names (ms), across midnight too. */
export function shortestInterval(c: CompiledCron): number {
  const t = c.timesOfDay;
  let min = (t[0]! + 86_400 - t[t.length - 1]!) * 1000;
  for (let i = 1; i < t.length; i++) min = Math.min(min, (t[i]! - t[i - 1]!) * 1000);
  return min;
}

function firesAtAll(c: CompiledCron): boolean {
  // Every (month, day-of-month) pair and weekday occurs within 28 years of any date.
  let d = Date.UTC(2024, 0, 1);
  for (let i = 0; i < MAX_DAYS; i++, d += DAY_MS) if (dateMatches(c, d)) return true;
  return false;
}

/** `dayMs` is a local date as UTC midnight. */
function dateMatches(c: CompiledCron, dayMs: number): boolean {
  const date = new Date(dayMs);
  if (!c.months.has(date.getUTCMonth() + 1)) return false;
  const dom = c.daysOfMonth.has(date.getUTCDate());
  const dow = c.daysOfWeek.has(date.getUTCDay());
  return c.dayOr ? dom || dow : dom && dow;
}

/**
 * A compiled pattern in one zone. `next`, `prev` and `onDate` all come from one enumeration of
 * each local date's slots, so they always agree.
 */
export class SlotCalendar {
  readonly cron: CompiledCron;
  private readonly zone: IANAZone;
  /** Recently computed dates (a calendar is shared by every channel with the same pattern and zone). */
  private readonly days = new Map<number, number[]>();

  constructor(
    cron: CompiledCron | string,
    readonly timezone: string,
    opts: { allowSeconds?: boolean } = {},
  ) {
    this.cron = typeof cron === 'string' ? compileCron(cron, opts) : cron;
    const zone = IANAZone.create(timezone);
    if (!zone.isValid) throw QuizError.of('timezone-invalid', { timezone });
    this.zone = zone;
  }

  /** Offset (ms) of the zone at an instant. */
  private offset(ms: number): number {
    return this.zone.offset(ms) * 60_000;
  }

  /** The local date (as UTC midnight ms) of an instant. */
  private localDay(ms: number): number {
    const wall = ms + this.offset(ms);
    return wall - (((wall % DAY_MS) + DAY_MS) % DAY_MS);
  }

  /** Instants at which a wall-clock time (as if UTC) exists: none (gap), one, or two (overlap). */
  private resolve(wall: number): number[] {
    const candidates = new Set([this.offset(wall - DAY_MS), this.offset(wall), this.offset(wall + DAY_MS)]);
    const out: number[] = [];
    for (const o of candidates) {
      const t = wall - o;
      if (this.offset(t) === o) out.push(t);
    }
    return out.sort((a, b) => a - b);
  }

  /** For a wall time inside a gap: the instant the gap ends (the first instant after it). */
  private gapEnd(wall: number): number {
    const before = this.offset(wall - DAY_MS);
    const after = this.offset(wall + DAY_MS);
    // The transition T satisfies T + before <= wall < T + after.
    let lo = wall - after - 1;
    let hi = wall - before;
    for (let i = 0; i < 64 && hi - lo > 1; i++) {
      const mid = Math.floor((lo + hi) / 2);
      if (this.offset(mid) === after) hi = mid;
      else lo = mid;
    }
    return hi;
  }

  /** Every slot of one local date ("2026-10-25" or the date as UTC midnight ms), ascending. */
  onDate(date: string | number): number[] {
    const dayMs = typeof date === 'number' ? date : Date.parse(`${date}T00:00:00Z`);
    const cached = this.days.get(dayMs);
    if (cached) return cached;
    const slots = this.computeDate(dayMs);
    if (this.days.size >= 16) this.days.delete(this.days.keys().next().value!);
    this.days.set(dayMs, slots);
    return slots;
  }

  private computeDate(dayMs: number): number[] {
    if (!dateMatches(this.cron, dayMs)) return [];
    const out: number[] = [];
    // Fast path: no offset change anywhere near this date.
    const o = this.offset(dayMs - DAY_MS);
    const steady = o === this.offset(dayMs + 2 * DAY_MS) && o === this.offset(dayMs + DAY_MS / 2);
    for (const tod of this.cron.timesOfDay) {
      const wall = dayMs + tod * 1000;
      if (steady) {
        out.push(wall - o);
        continue;
      }
      const at = this.resolve(wall);
      if (at.length > 0) out.push(at[0]!);
      else if (this.cron.fixedTime) out.push(this.gapEnd(wall));
    }
    const sorted = [...new Set(out)].sort((a, b) => a - b);
    return sorted;
  }

  /** The first slot strictly after `afterMs`, or null when none within 29 years. */
  next(afterMs: number): number | null {
    let day = this.localDay(afterMs) - DAY_MS;
    for (let i = 0; i < MAX_DAYS; i++, day += DAY_MS) {
      const slots = this.onDate(day);
      if (slots.length === 0 || slots[slots.length - 1]! <= afterMs) continue;
      // First slot > afterMs (binary search: second-level test patterns have 43,200 a day).
      let lo = 0;
      let hi = slots.length - 1;
      while (lo < hi) {
        const mid = (lo + hi) >> 1;
        if (slots[mid]! > afterMs) hi = mid;
        else lo = mid + 1;
      }
      return slots[lo]!;
    }
    return null;
  }

  /** The last slot at or before `atMs`, or null when none within 29 years. */
  prev(atMs: number): number | null {
    let day = this.localDay(atMs) + DAY_MS;
    for (let i = 0; i < MAX_DAYS; i++, day -= DAY_MS) {
      const slots = this.onDate(day);
      if (slots.length === 0 || slots[0]! > atMs) continue;
      let lo = 0;
      let hi = slots.length - 1;
      while (lo < hi) {
        const mid = (lo + hi + 1) >> 1;
        if (slots[mid]! <= atMs) lo = mid;
        else hi = mid - 1;
      }
      return slots[lo]!;
    }
    return null;
  }

  /** Whether an instant is one of the pattern's slots. */
  isSlot(ms: number): boolean {
    return this.next(ms - 1) === ms;
  }

  /** The next `count` slots after `afterMs`. */
  upcoming(afterMs: number, count: number): number[] {
    const out: number[] = [];
    let at = afterMs;
    for (let i = 0; i < count; i++) {
      const t = this.next(at);
      if (t === null) break;
      out.push(t);
      at = t;
    }
    return out;
  }
}
