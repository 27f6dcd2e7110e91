/** Calendar periods for leaderboards, computed in the scope's IANA time zone. */
import { DateTime } from 'luxon';
import type { Period } from '../types.js';

const WEEK_GRACE_DAYS = 14;
const MONTH_GRACE_DAYS = 62;

export interface PeriodWindow {
  period: Period;
  /** e.g. "2026-W48", "2026-11", "all" */
  key: string;
  /** Epoch seconds after which the board can expire; null for all time. */
  expiresAt: number | null;
}

export function periodWindow(period: Period, atMs: number, timezone: string): PeriodWindow {
  const local = DateTime.fromMillis(atMs, { zone: timezone });
  if (!local.isValid) throw new Error(`invalid time zone: ${timezone}`);
  switch (period) {
    case 'week': {
      const key = `${local.weekYear}-W${String(local.weekNumber).padStart(2, '0')}`;
      const end = local.endOf('week').plus({ days: WEEK_GRACE_DAYS });
      return { period, key, expiresAt: Math.ceil(end.toSeconds()) };
    }
    case 'month': {
      const key = local.toFormat('yyyy-MM');
      const end = local.endOf('month').plus({ days: MONTH_GRACE_DAYS });
      return { period, key, expiresAt: Math.ceil(end.toSeconds()) };
    }
    case 'all':
      return { period, key: 'all', expiresAt: null };
  }
}

export function localDate(atMs: number, timezone: string): string {
  return DateTime.fromMillis(atMs, { zone: timezone }).toISODate() ?? new Date(atMs).toISOString().slice(0, 10);
}

export const PERIODS: readonly Period[] = ['week', 'month', 'all'];
