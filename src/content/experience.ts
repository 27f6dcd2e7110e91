/**
 * Behavioural questions are answered by a story: where it was, what was done, what changed. Their
 * key points are a story's (situation and task, action, result), whether the prompt asks for the
 * member's past ("Describe a time when…", "How have you handled …?") or how they go about it ("How
 * would you organise and lead a backend team?", answered from what they did). An answer to one
 * that names no concrete detail at all — no number, no name of a system, company or tool the
 * question did not mention — tells no story, however well it strings the STAR vocabulary together
 * ("In my previous role I was responsible for backend development, where I optimized and
 * integrated solutions that improved performance, and looking back the lessons I learned shaped
 * me"). The story points of such questions are phrased with the words every story uses
 * ("responsible for", "improved", "learned"), so the key points alone cannot tell the two apart.
 */
import type { ClauseWord, Tag } from './claims.js';
import type { Question } from './types.js';

/** Whether a question is answered by a story: a behavioural one (its key points are a story's). */
export function asksForStory(question: Pick<Question, 'kind'>): boolean {
  return question.kind === 'behavioural';
}

/** Number words a story's details use ("a team of four", "two weeks", "thousands of orders"); not "one", which is any "one of the". */
const NUMBER_WORDS: ReadonlySet<string> = new Set(
  'two three four five six seven eight nine ten eleven twelve fifteen twenty thirty forty fifty hundred hundreds thousand thousands million millions billion dozen dozens half'.split(' '),
);

/**
 * The distinct concrete details of an answer: numbers (written in digits or words) and proper
 * names (tagged as such) that are not among `known` (the question's own words, canonical).
 */
export function concreteDetails(text: string, words: readonly ClauseWord[], tags: readonly Tag[], known: ReadonlySet<string>): number {
  const details = new Set<string>();
  for (const m of text.matchAll(/\d+(?:[.,]\d+)?/g)) details.add(m[0]);
  words.forEach((w, i) => {
    if (NUMBER_WORDS.has(w.raw)) details.add(w.raw);
    else if (tags[i]!.pos === 'PROPN' && !known.has(w.canon)) details.add(w.canon);
  });
  return details.size;
}
