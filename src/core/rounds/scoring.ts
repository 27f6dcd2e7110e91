/**
 * The scoring model (documented in README "Scoring"):
 * - participation: PARTICIPATION points for an answer recorded before the reveal that says
 *   something (not empty, not a one-word reply);
 * - quality: up to QUALITY_MAX points, proportional to the graded key-point coverage after the
 *   anti-gaming penalties (keyword salad, the question pasted back);
 * - peer votes: VOTE_POINTS per distinct member who voted for the answer, at most VOTE_CAP.
 * Only a member's latest answer before the reveal counts.
 */
import type { GradeResult } from '../../content/types.js';

export const PARTICIPATION = 10;
export const QUALITY_MAX = 40;
export const VOTE_POINTS = 2;
export const VOTE_CAP = 6;

export interface PointsBreakdown {
  participation: number;
  quality: number;
  votes: number;
  total: number;
}

export function pointsFor(grade: GradeResult, peerVotes = 0): PointsBreakdown {
  const substantive = isSubstantive(grade.flags);
  const participation = substantive ? PARTICIPATION : 0;
  const quality = Math.round(QUALITY_MAX * clamp01(grade.quality));
  const votes =
    substantive && !grade.flags.includes('copied') && !grade.flags.includes('own-question') ? Math.min(VOTE_CAP, Math.max(0, peerVotes) * VOTE_POINTS) : 0;
  return { participation, quality, votes, total: participation + quality + votes };
}

function clamp01(x: number): number {
  return Number.isFinite(x) ? Math.min(1, Math.max(0, x)) : 0;
}

/** An answer that counts as taking part: not empty, not a one-liner, not the question pasted back. */
export function isSubstantive(flags: readonly string[]): boolean {
  return !flags.includes('empty') && !flags.includes('too-short') && !flags.includes('echo');
}
