import { describe, expect, it } from 'vitest';
import { periodWindow } from '../../src/core/schedule/periods.js';
import { pointsFor, PARTICIPATION, QUALITY_MAX, VOTE_CAP } from '../../src/core/rounds/scoring.js';

describe('period boundaries in the scope time zone', () => {
  // Sunday 2026-11-29 23:30 UTC: already Monday in Berlin, still Sunday in New York.
  const SUN_NIGHT = Date.UTC(2026, 10, 29, 23, 30);
  it('GIVEN a moment near midnight on Sunday THEN the ISO week differs by zone', () => {
    expect(periodWindow('week', SUN_NIGHT, 'Europe/Berlin').key).toBe('2026-W49');
    expect(periodWindow('week', SUN_NIGHT, 'America/New_York').key).toBe('2026-W48');
  });

  it('GIVEN the last evening of a month THEN the month differs by zone, and boards expire after a grace', () => {
    const END = Date.UTC(2026, 10, 30, 23, 30);
    expect(periodWindow('month', END, 'Europe/Berlin').key).toBe('2026-12');
    expect(periodWindow('month', END, 'America/New_York').key).toBe('2026-11');
    const w = periodWindow('week', END, 'UTC');
    expect(w.expiresAt! * 1000).toBeGreaterThan(Date.UTC(2026, 11, 6, 23, 59) + 13 * 86_400_000);
    expect(periodWindow('all', END, 'UTC')).toEqual({ period: 'all', key: 'all', expiresAt: null });
  });

  it('GIVEN ISO week-year edges THEN the week-year is used (2027-01-01 is in 2026-W53)', () => {
    expect(periodWindow('week', Date.UTC(2027, 0, 1, 12), 'UTC').key).toBe('2026-W53');
  });
});

describe('pointsFor', () => {
  const g = (quality: number, flags: ('too-short' | 'empty' | 'keyword-salad')[] = []) => ({ covered: [], missed: [], coverage: quality, quality, flags });
  it('GIVEN each rule THEN participation, quality and capped votes add up', () => {
    expect(pointsFor(g(1))).toEqual({ participation: PARTICIPATION, quality: QUALITY_MAX, votes: 0, total: 50 });
    expect(pointsFor(g(0.5), 2).total).toBe(10 + 20 + 4);
    expect(pointsFor(g(0.5), 10).votes).toBe(VOTE_CAP);
    expect(pointsFor(g(0, ['too-short']), 3).total).toBe(0);
    expect(pointsFor(g(0.25, ['keyword-salad'])).total).toBe(10 + 10);
  });
});
