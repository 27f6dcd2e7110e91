/**
 * A channel's schedule: when questions are posted (cron + IANA zone), when they are revealed
 * (a delay or a cron of its own), which questions qualify, and whether it is paused.
 *
 * Slots come from ./cron.ts (SlotCalendar), one computation shared by the job chain, the
 * reconciler, `/quiz schedule show` and `quizbot schedule preview`, so what an admin previews is
 * exactly what fires. cron-parser only parses the fields.
 */
import { DateTime, IANAZone } from 'luxon';
import { SlotCalendar, compileCron, shortestInterval } from './cron.js';
import { QuizError } from '../text/errors.js';
import { editDistance } from '../../content/text.js';
import type { ChannelRef, Level } from '../types.js';

export const DEFAULT_CRON = '0 9 * * 1-5';
export const DEFAULT_REVEAL_MS = 8 * 3_600_000;

export type RevealRule = { kind: 'delay'; ms: number } | { kind: 'cron'; cron: string };

export interface ChannelSchedule {
  channel: ChannelRef;
  cron: string;
  timezone: string;
  reveal: RevealRule;
  topics: string[];
  excludeTopics: string[];
  levels: Level[];
  paused: boolean;
  /** Slots (epoch ms) an admin chose to skip. */
  skip: number[];
  updatedAt: number;
  /** Member id of whoever last set the schedule: told when posting needs a person to act. */
  setBy?: string | null;
  /** A reminder in the thread this long before the reveal ("1 h left — 4 answers so far"); off when null. */
  reminderMs?: number | null;
  /** Opt-in notify role mentioned when a scheduled question posts (platform id); none when null. */
  notifyRole?: string | null;
  /** A role given to each week's winner at the weekly recap and taken from the previous one. */
  rewardRole?: string | null;
}

export function defaultSchedule(channel: ChannelRef, timezone: string, now: number): ChannelSchedule {
  return {
    channel,
    cron: DEFAULT_CRON,
    timezone,
    reveal: { kind: 'delay', ms: DEFAULT_REVEAL_MS },
    topics: [],
    excludeTopics: [],
    levels: [],
    paused: false,
    skip: [],
    updatedAt: now,
  };
}

/**
 * The one time-zone grammar (configuration and commands alike): UTC, GMT, or an IANA
 * Area/Location name. Offsets ("UTC+2", "+01:00") and abbreviations are not zones: a fixed
 * offset ignores daylight saving, and an abbreviation means different zones to different people.
 */
export function isTimezone(tz: string): boolean {
  return Boolean(tz) && tz.length <= 64 && /^(UTC|GMT|[A-Za-z_]+(\/[A-Za-z0-9_+-]+)+)$/.test(tz) && IANAZone.isValidZone(tz);
}

/**
 * The one duration grammar (configuration and commands alike): a number, optionally decimal,
 * then ms, s, m/min, h/hr or d ("45s", "1.5h", "30 min", "2 days"); null when it is not one.
 */
export function durationMs(text: string): number | null {
  const m = /^(\d+(?:\.\d+)?)\s*(ms|s|secs?|seconds?|m|mins?|minutes?|h|hrs?|hours?|d|days?)$/i.exec(text.trim());
  if (!m) return null;
  const unit = m[2]!.toLowerCase();
  const factor = unit === 'ms' ? 1 : unit.startsWith('s') ? 1000 : unit.startsWith('m') ? 60_000 : unit.startsWith('h') ? 3_600_000 : 86_400_000;
  return Math.round(Number(m[1]) * factor);
}

export function validateTimezone(tz: string): string {
  if (!isTimezone(tz)) {
    const suggestion = suggestTimezone(tz);
    throw QuizError.of('timezone-invalid', suggestion ? { timezone: tz, suggestion } : { timezone: tz });
  }
  return tz;
}

/** Abbreviations people type for zones, and the IANA zone most of them mean. */
const ZONE_ABBREVIATIONS: Readonly<Record<string, string>> = {
  CET: 'Europe/Paris',
  CEST: 'Europe/Paris',
  MET: 'Europe/Paris',
  WET: 'Europe/Lisbon',
  EET: 'Europe/Athens',
  EEST: 'Europe/Athens',
  GMT: 'Europe/London',
  BST: 'Europe/London',
  IST: 'Asia/Kolkata',
  JST: 'Asia/Tokyo',
  KST: 'Asia/Seoul',
  SGT: 'Asia/Singapore',
  EST: 'America/New_York',
  EDT: 'America/New_York',
  CST: 'America/Chicago',
  CDT: 'America/Chicago',
  MST: 'America/Denver',
  MDT: 'America/Denver',
  PST: 'America/Los_Angeles',
  PDT: 'America/Los_Angeles',
  AEST: 'Australia/Sydney',
  AEDT: 'Australia/Sydney',
  NZST: 'Pacific/Auckland',
  BRT: 'America/Sao_Paulo',
  MSK: 'Europe/Moscow',
};

/** The IANA zone someone probably meant by `input` (an abbreviation, a city, a typo), if any. */
export function suggestTimezone(input: string): string | null {
  const t = input.trim();
  const abbr = ZONE_ABBREVIATIONS[t.toUpperCase()];
  if (abbr) return abbr;
  const zones = Intl.supportedValuesOf('timeZone');
  const lower = t.toLowerCase().replace(/\s+/g, '_');
  const byCity = zones.find((z) => z.toLowerCase().endsWith(`/${lower}`));
  if (byCity) return byCity;
  let best: { z: string; d: number } | null = null;
  for (const z of zones) {
    const d = editDistance(z.toLowerCase(), lower);
    if (!best || d < best.d) best = { z, d };
  }
  return best && best.d <= Math.max(2, Math.floor(lower.length / 5)) ? best.z : null;
}

export const DEFAULT_MIN_INTERVAL_MS = 5 * 60_000;

/**
 * Checks a chat schedule's pattern: 5 fields (a seconds field is refused), fires at all, and
 * no two posts closer than `minIntervalMs`. Returns it normalised.
 */
export function validateCron(pattern: string, tz = 'UTC', now = Date.now(), minIntervalMs = DEFAULT_MIN_INTERVAL_MS): string {
  const c = compileCron(pattern);
  if (new SlotCalendar(c, tz).next(now) === null) throw QuizError.of('cron-never', { pattern, again: true });
  const interval = shortestInterval(c);
  if (interval < minIntervalMs) {
    throw QuizError.of('cron-too-often', { pattern, every: describeMs(interval), min: describeMs(minIntervalMs) });
  }
  return c.pattern;
}

function describeMs(ms: number): string {
  if (ms % 3_600_000 === 0) return ms === 3_600_000 ? 'hour' : `${ms / 3_600_000} hours`;
  if (ms % 60_000 === 0) return ms === 60_000 ? 'minute' : `${ms / 60_000} minutes`;
  return `${Math.round(ms / 1000)} seconds`;
}

export function parseDelay(text: string): number {
  const ms = durationMs(text);
  if (ms === null) throw QuizError.of('reveal-delay-invalid', { text });
  if (ms < 60_000 || ms > 7 * 86_400_000) {
    throw QuizError.of('reveal-delay-range', { text });
  }
  return ms;
}

/** "8h" → delay; a cron pattern → reveal cron (validated in the zone). */
export function parseReveal(text: string, tz: string, now = Date.now()): RevealRule {
  const t = text.trim();
  if (t.split(/\s+/).length >= 5) return { kind: 'cron', cron: validateCron(t, tz, now, 0) };
  return { kind: 'delay', ms: parseDelay(t) };
}

const calendars = new Map<string, SlotCalendar>();

/**
 * The slot calendar of a pattern in a zone (cached). Stored schedules are trusted to have passed
 * validateCron; internal test schedules may carry a seconds field.
 */
export function calendarOf(cron: string, tz: string): SlotCalendar {
  const key = `${cron}|${tz}`;
  let cal = calendars.get(key);
  if (!cal) {
    cal = new SlotCalendar(cron, tz, { allowSeconds: true });
    if (calendars.size >= 2_000) calendars.delete(calendars.keys().next().value!);
    calendars.set(key, cal);
  }
  return cal;
}

/** The post slot strictly after `fromMs` (null when the pattern never fires again). */
export function nextSlot(s: Pick<ChannelSchedule, 'cron' | 'timezone'>, fromMs: number): number | null {
  return calendarOf(s.cron, s.timezone).next(fromMs);
}

/** The latest post slot at or before `atMs` (null when the pattern never fired before it). */
export function lastSlot(s: Pick<ChannelSchedule, 'cron' | 'timezone'>, atMs: number): number | null {
  return calendarOf(s.cron, s.timezone).prev(atMs);
}

/** When the round of a slot (or a manual post at that instant) is revealed. */
export function revealAtFor(s: Pick<ChannelSchedule, 'reveal' | 'timezone'>, slotMs: number): number {
  if (s.reveal.kind === 'delay') return slotMs + s.reveal.ms;
  return calendarOf(s.reveal.cron, s.timezone).next(slotMs) ?? slotMs + DEFAULT_REVEAL_MS;
}

/** The next `n` posts with their reveals, marking slots an admin skipped. */
export function upcoming(s: ChannelSchedule, fromMs: number, n = 3): { postAt: number; revealAt: number; skipped: boolean }[] {
  return calendarOf(s.cron, s.timezone)
    .upcoming(fromMs, n)
    .map((postAt) => ({ postAt, revealAt: revealAtFor(s, postAt), skipped: s.skip.includes(postAt) }));
}

/**
 * `quizbot schedule preview` and `/quiz schedule show`: the next `count` slots of a chat pattern
 * after `fromMs`, validated like `/quiz schedule set`, exactly as the scheduler fires them.
 */
export function previewSlots(
  pattern: string,
  tz: string,
  fromMs: number,
  count: number,
  minIntervalMs = DEFAULT_MIN_INTERVAL_MS,
): { at: string; epochMs: number; local: string }[] {
  const zone = validateTimezone(tz);
  const cron = validateCron(pattern, zone, fromMs, minIntervalMs);
  return calendarOf(cron, zone)
    .upcoming(fromMs, count)
    .map((epochMs) => ({ at: DateTime.fromMillis(epochMs, { zone }).toISO()!, epochMs, local: formatLocal(epochMs, zone) }));
}

/** The local calendar date of an instant in a zone ("2026-11-23"). */
export function localDay(ms: number, tz: string): string {
  return DateTime.fromMillis(ms, { zone: tz }).toISODate()!;
}

export function formatLocal(ms: number, tz: string): string {
  return DateTime.fromMillis(ms, { zone: tz }).toFormat('ccc d LLL yyyy, HH:mm ZZZZ');
}

export function describeReveal(r: RevealRule): string {
  if (r.kind === 'cron') return `at “${r.cron}”`;
  const h = r.ms / 3_600_000;
  return Number.isInteger(h) ? `${h}h after posting` : `${Math.round(r.ms / 60_000)}m after posting`;
}
