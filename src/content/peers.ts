import type { Question } from './types.js';

/**
 * The questions a question is graded among: the rest of its bank. An answer much closer to another
 * question's references than to its own is about that other question (grading.ts, `aboutAnother`).
 * The grader's per-bank index of those references lives on the group, built once.
 */
export interface PeerGroup {
  readonly questions: readonly Question[];
  /** The grader's index of every question's reference stems (built on first use). */
  index?: unknown;
}

const groups = new WeakMap<Question, PeerGroup>();

/**
 * Registers a bank's questions as each other's peers. A question already registered keeps its
 * group (a server's bank adds its own questions to the shipped ones without rebuilding theirs); a
 * member's suggestion is never a peer: its narrow references are no measure of what an answer is about.
 */
export function registerPeers(questions: readonly Question[]): void {
  const curated = questions.filter((q) => !q.author);
  const fresh = curated.filter((q) => !groups.has(q));
  if (fresh.length === 0) return;
  const group: PeerGroup = { questions: curated };
  for (const q of fresh) groups.set(q, group);
}

/** The group a question was registered with, if any. */
export function peersOf(question: Question): PeerGroup | undefined {
  return groups.get(question);
}
