/**
 * Copy detection for a whole round in one pass: an answer is a copy when most of its word 3-gram
 * shingles (COPY_THRESHOLD) also occur in one earlier answer by another member. "Earlier" is the
 * platform's own message time (Discord snowflake, Slack ts, console input order), never the order
 * answers happened to be recorded in.
 *
 * An inverted index from shingle to the first few members who wrote it replaces the comparison of
 * every pair: each answer costs its shingles × OWNERS, so a round costs O(answers), not O(answers²)
 * (2,000 answers took 119 s pairwise). Keeping the first OWNERS writers of each shingle is exact for
 * a copy of any of them; a shingle that more than OWNERS members wrote earlier is common wording,
 * which proves no copy by itself.
 */
import { COPY_THRESHOLD, shingles } from './grading.js';

/** Distinct earlier writers kept per shingle. */
const OWNERS = 8;
/** Answers with fewer shingles never count as copies (a one-liner is not a copy). */
const MIN_SHINGLES = 6;

export interface CopyCandidate {
  memberId: string;
  text: string;
  /** Platform message time (ms); ties keep the given order. */
  at: number;
  /** Its shingles, when the caller has read the text already (`gradeRead`). */
  shingles?: Set<string>;
}

/**
 * The members whose answer copies an earlier one. `tick` is awaited after each answer, so a caller
 * can yield to the event loop (and renew its lease) during a big round.
 */
export async function findCopies(answers: readonly CopyCandidate[], tick: () => Promise<void> = async () => undefined): Promise<Set<string>> {
  const ordered = answers.map((a, i) => ({ a, i })).sort((x, y) => x.a.at - y.a.at || x.i - y.i);
  const owners = new Map<string, string[]>();
  const copied = new Set<string>();
  let i = 0;
  while (i < ordered.length) {
    // Answers sent at the same moment are not earlier than each other: judge the group first,
    // then index it.
    let j = i;
    while (j < ordered.length && ordered[j]!.a.at === ordered[i]!.a.at) j++;
    // (Both steps yield after each answer: a group can be large — answers recorded in one
    // millisecond, or imported with one time.)
    const group: { a: CopyCandidate; s: Set<string> }[] = [];
    for (const { a } of ordered.slice(i, j)) {
      const s = a.shingles ?? shingles(a.text);
      group.push({ a, s });
      if (s.size >= MIN_SHINGLES) {
        const tally = new Map<string, number>();
        for (const sh of s) for (const m of owners.get(sh) ?? []) if (m !== a.memberId) tally.set(m, (tally.get(m) ?? 0) + 1);
        for (const n of tally.values()) {
          if (n / s.size >= COPY_THRESHOLD) {
            copied.add(a.memberId);
            break;
          }
        }
      }
      await tick();
    }
    for (const { a, s } of group) {
      for (const sh of s) {
        const list = owners.get(sh);
        if (!list) owners.set(sh, [a.memberId]);
        else if (list.length < OWNERS && !list.includes(a.memberId)) list.push(a.memberId);
      }
      if (group.length > 1) await tick();
    }
    i = j;
  }
  return copied;
}
