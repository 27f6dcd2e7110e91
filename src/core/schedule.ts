/**
 * A channel's schedule: when questions are posted (cron + IANA zone), when they are revealed
 * (a delay or a cron of its own), which questions qualify, and whether it is paused.
 *
 * Patterns are parsed with cron-parser — the parser BullMQ uses — so what is validated here is
 * exactly what the job scheduler will run. BullMQ swallows parse errors and silently stops a
 * scheduler, so nothing reaches it without passing `parseSchedule` first.
 */
import { CronExpressionParser } from 'cron-parser';
import { DateTime, IANAZone } from 'luxon';
import { QuizError } from './errors.js';
import type { ChannelRef, Level } from './types.js';

export const DEFAULT_CRON = '0 9 * * 1-5';
export const DEFAULT_REVEAL_MS = 8 * 3_600_000;
const CRON_EXAMPLE = 'e.g. "0 9 * * 1-5" (weekdays at 09:00) or "30 8 * * *" (every day at 08:30)';
const TZ_EXAMPLE = 'Europe/Berlin, America/New_York or Asia/Kolkata';
const DELAY_EXAMPLE = '8h, 90m or 1d';

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
}

export function defaultSchedule(channel: ChannelRef, timezone: string, now: number): ChannelSchedule {
  return { channel, cron: DEFAULT_CRON, timezone, reveal: { kind: 'delay', ms: DEFAULT_REVEAL_MS }, topics: [], excludeTopics: [], levels: [], paused: false, skip: [], updatedAt: now };
}

export function validateTimezone(tz: string): string {
  if (!tz || !IANAZone.isValidZone(tz) || !/^(UTC|[A-Za-z_]+(\/[A-Za-z0-9_+-]+)+)$/.test(tz)) {
    throw new QuizError('bad-schedule', `“${tz}” is not an IANA time zone; use a name such as ${TZ_EXAMPLE}.`);
  }
  return tz;
}

/** Checks a pattern the way BullMQ will run it, and that it ever fires. Returns it normalised. */
export function validateCron(pattern: string, tz = 'UTC', now = Date.now()): string {
  const p = pattern.trim().replace(/\s+/g, ' ');
  const fields = p.split(' ').length;
  if (fields < 5 || fields > 6) {
    throw new QuizError('bad-schedule', `“${pattern}” is not a cron pattern: it needs 5 fields (minute hour day-of-month month day-of-week), ${CRON_EXAMPLE}.`);
  }
  let next: number;
  try {
    const e = CronExpressionParser.parse(p, { tz, currentDate: new Date(now) });
    if (!e.hasNext()) throw new Error('it never runs');
    next = e.next().getTime();
  } catch (err) {
    throw new QuizError('bad-schedule', `“${pattern}” is not a valid cron pattern (${(err as Error).message}); ${CRON_EXAMPLE}.`);
  }
  if (!Number.isFinite(next)) throw new QuizError('bad-schedule', `“${pattern}” never runs; ${CRON_EXAMPLE}.`);
  return p;
}

export function parseDelay(text: string): number {
  const m = /^(\d+(?:\.\d+)?)\s*(m|min|mins|minutes?|h|hrs?|hours?|d|days?)$/i.exec(text.trim());
  if (!m) throw new QuizError('bad-schedule', `“${text}” is not a reveal delay; use a duration such as ${DELAY_EXAMPLE}, or a cron pattern in quotes.`);
  const n = Number(m[1]);
  const unit = m[2]!.toLowerCase()[0];
  const ms = Math.round(n * (unit === 'm' ? 60_000 : unit === 'h' ? 3_600_000 : 86_400_000));
  if (ms < 60_000 || ms > 7 * 86_400_000) {
    throw new QuizError('bad-schedule', `A reveal delay must be between 1 minute and 7 days (got “${text}”), ${DELAY_EXAMPLE}.`);
  }
  return ms;
}

/** "8h" → delay; a cron pattern → reveal cron (validated in the zone). */
export function parseReveal(text: string, tz: string, now = Date.now()): RevealRule {
  const t = text.trim();
  if (t.split(/\s+/).length >= 5) return { kind: 'cron', cron: validateCron(t, tz, now) };
  return { kind: 'delay', ms: parseDelay(t) };
}

function parser(cron: string, tz: string, fromMs: number) {
  return CronExpressionParser.parse(cron, { tz, currentDate: new Date(fromMs) });
}

/** The post slot strictly after `fromMs`. */
export function nextSlot(s: Pick<ChannelSchedule, 'cron' | 'timezone'>, fromMs: number): number {
  return parser(s.cron, s.timezone, fromMs).next().getTime();
}

/** The latest post slot at or before `atMs` (null when the pattern never fired before it). */
export function lastSlot(s: Pick<ChannelSchedule, 'cron' | 'timezone'>, atMs: number): number | null {
  try {
    return parser(s.cron, s.timezone, atMs + 1).prev().getTime();
  } catch {
    return null;
  }
}

/** When the round of a slot is revealed. */
export function revealAtFor(s: Pick<ChannelSchedule, 'reveal' | 'timezone'>, slotMs: number): number {
  if (s.reveal.kind === 'delay') return slotMs + s.reveal.ms;
  return parser(s.reveal.cron, s.timezone, slotMs).next().getTime();
}

/** The next `n` posts with their reveals, skipping slots an admin skipped. */
export function upcoming(s: ChannelSchedule, fromMs: number, n = 3): { postAt: number; revealAt: number; skipped: boolean }[] {
  const e = parser(s.cron, s.timezone, fromMs);
  const out: { postAt: number; revealAt: number; skipped: boolean }[] = [];
  while (out.length < n && e.hasNext()) {
    const postAt = e.next().getTime();
    out.push({ postAt, revealAt: revealAtFor(s, postAt), skipped: s.skip.includes(postAt) });
  }
  return out;
}

/** The local calendar date of an instant in a zone ("2026-11-23"). */
export function localDay(ms: number, tz: string): string {
  return DateTime.fromMillis(ms, { zone: tz }).toISODate()!;
}

export function formatLocal(ms: number, tz: string): string {
  return DateTime.fromMillis(ms, { zone: tz }).toFormat("ccc d LLL yyyy, HH:mm ZZZZ");
}

export function describeReveal(r: RevealRule): string {
  if (r.kind === 'cron') return `at “${r.cron}”`;
  const h = r.ms / 3_600_000;
  return Number.isInteger(h) ? `${h}h after posting` : `${Math.round(r.ms / 60_000)}m after posting`;
}
