/** Assertions on grades shared by the content tests. */
import { expect } from 'vitest';
import { gradeDetailed } from '../../src/content/grading.js';
import type { Question } from '../../src/content/types.js';

/** A correct answer: no point voided (no wrong claim, no swapped subject), and at least `min` quality. */
export function expectClaimsStand(question: Question, text: string, min: number): void {
  const g = gradeDetailed(question, text);
  expect(g.voided ?? [], text).toEqual([]);
  expect(g.quality, text).toBeGreaterThanOrEqual(min);
}
