/**
 * What a question's references say each of its named terms is, and answers that say of one term
 * what the references say of another.
 *
 * A reference defines a term in the ways curated text does: a labelled line ("**Singleton
 * Pattern**: ensures a class has only one instance", "Default constructor, supplied by the
 * compiler"), or a sentence whose subject is the term ("Consistency means every read receives the
 * most recent write", "Partition tolerance ensures the system keeps operating"). A question whose
 * references define two or more terms can be answered with their definitions swapped ("Singleton
 * lets subclasses decide which class gets instantiated"): the right words, each said of the wrong
 * term. Grammar and the references decide it, not a list per question.
 */
import type { ClauseWord } from './claims.js';
import { LIGHT_VERBS, isSpecific } from './text.js';
import type { Question } from './types.js';

export interface Term {
  /** The term as its references first write it ("Singleton Pattern", "Partition tolerance"). */
  name: string;
  /** The term's own words (canonical stems), the question's asked words left out. */
  key: readonly string[];
  /** The words its references define it with (canonical stems), no term's own words among them. */
  words: ReadonlySet<string>;
}

type Analyse = (text: string) => readonly ClauseWord[];

/** Longest term a definition is said of, in words ("partition tolerance", "no argument constructor"). */
const TERM_WORDS = 3;

/** A key point "Term: definition" or "Term, definition". */
const LABELLED = /^([^:,.;()]{1,40}?)\s*[:,–—]\s+(.+)$/;
/** A sample's line "Term: definition" (list markers and bold removed). */
const LABELLED_LINE = /^([^:.;()]{1,40}?)\s*:\s+(.+)$/;
/** A sentence "Term is/means/ensures … definition". */
const SAID_OF = /^(?:the |an? )?([^,:;.()]{1,40}?) (?:is|are|means|ensures|allows|provides|guarantees|refers to|defines|lets|makes|keeps|stores|abstracts|represents|describes)\b(.+)$/i;

/**
 * The terms a question's references define, each with the words it is defined by; empty unless
 * two or more are (nothing can be swapped otherwise).
 */
export function definedTerms(question: Question, analyse: Analyse, asked: ReadonlySet<string>): Term[] {
  if (question.kind === 'behavioural') return [];
  // (A term is one the key points' phrases name: "Task:" opening a story, "Names consistency, …"
  // opening a point, are not terms an answer defines.)
  const named = new Set(question.keyPoints.flatMap((k) => k.phrases.flatMap((p) => analyse(p).map((w) => w.canon))));
  const found = new Map<string, { name: string; key: string[]; text: string[] }>();
  const add = (term: string, definition: string): void => {
    const ws = analyse(term);
    const key = [...new Set(ws.filter((w) => isSpecific(w) && !asked.has(w.canon)).map((w) => w.canon))];
    if (key.length === 0 || key.length > TERM_WORDS || ws.length > TERM_WORDS + 1 || !key.every((k) => named.has(k))) return;
    const id = [...key].sort().join(' ');
    const entry = found.get(id) ?? { name: term.trim(), key, text: [] };
    entry.text.push(definition);
    found.set(id, entry);
  };
  for (const text of question.sampleAnswers.map((a) => a.text)) {
    for (const raw of text.split('\n')) {
      const line = raw.replace(/^\s*(?:\d+[.)]|[-*•])\s+/, '').replace(/\*\*|__|`/g, '').trim();
      const labelled = LABELLED_LINE.exec(line);
      if (labelled) add(labelled[1]!, labelled[2]!);
      else for (const sentence of line.split(/(?<=[.!?])\s+/)) saidOf(sentence, add);
    }
  }
  // (A key point written "Default constructor, supplied by the compiler …" defines its term, with its phrases.)
  for (const k of question.keyPoints) {
    const labelled = LABELLED.exec(k.point);
    if (labelled) add(labelled[1]!, [labelled[2]!, ...k.phrases].join('\n'));
  }
  const entries = [...found.values()];
  const keys = new Set(entries.flatMap((e) => e.key));
  const terms = entries
    .map((e) => ({ name: e.name, key: e.key, words: new Set(analyse(e.text.join('\n')).filter((w) => meaningful(w) && !asked.has(w.canon) && !keys.has(w.canon)).map((w) => w.canon)) }))
    .filter((t) => t.words.size > 0);
  return terms.length >= 2 ? terms : [];
}

function saidOf(sentence: string, add: (term: string, definition: string) => void): void {
  const m = SAID_OF.exec(sentence);
  if (m) add(m[1]!, m[2]!);
}

/** A word that can carry a definition: not a function word, a generic one or a light verb. */
function meaningful(w: ClauseWord): boolean {
  return isSpecific(w) && !LIGHT_VERBS.has(w.canon) && !LIGHT_VERBS.has(w.raw);
}

/**
 * Distinct words of one term's definition that another's does not share, said in a clause, before
 * it counts as the other's (and at least twice as many as the clause says of its own term's).
 */
const SWAPPED_WORDS = 2;
/** Clause words a subject may follow ("The Factory", "and Decorator"). */
const LEADING: ReadonlySet<string> = new Set(['the', 'a', 'an', 'and', 'but', 'so', 'then', 'also', 'while', 'whereas']);

export interface Swap {
  /** The words (first and last index in the answer's words) that say of `said` what its references say of `meant`. */
  first: number;
  last: number;
  said: Term;
  meant: Term;
}

/**
 * The statements of an answer whose subject is one defined term and which say, in the words of
 * the references, what they say of another — at least SWAPPED_WORDS of the other's own words, and
 * twice as many as of its own: "Factory makes sure a class has exactly one instance" (the
 * references' Singleton). A statement runs from a clause that opens with the term to the end of its
 * sentence or the next term named ("…, while Adapter …"). One with a negator is a contrast
 * ("Factory, unlike Singleton, does not keep one instance"), not a swap.
 */
export function swappedClauses(words: readonly ClauseWord[], terms: readonly Term[], asked: ReadonlySet<string>, negated: (i: number) => boolean): Swap[] {
  if (terms.length < 2) return [];
  const swaps: Swap[] = [];
  const keys = new Set(terms.flatMap((t) => t.key));
  for (let i = 0; i < words.length; i++) {
    if (i > 0 && words[i - 1]!.clause === words[i]!.clause) continue;
    const swap = swapFrom(words, i, terms, keys, asked, negated);
    if (swap) swaps.push(swap);
  }
  return swaps;
}

function swapFrom(words: readonly ClauseWord[], from: number, terms: readonly Term[], keys: ReadonlySet<string>, asked: ReadonlySet<string>, negated: (i: number) => boolean): Swap | null {
  let at = from;
  while (at < words.length && words[at]!.clause === words[from]!.clause && LEADING.has(words[at]!.raw)) at++;
  if (at >= words.length || words[at]!.clause !== words[from]!.clause) return null;
  const head = new Set(words.slice(at, at + TERM_WORDS).map((w) => w.canon));
  const said = terms.find((t) => t.key.includes(words[at]!.canon) && t.key.every((k) => head.has(k)));
  if (!said) return null;
  const rest = new Set<string>();
  let last = at;
  for (let i = at; i < words.length && words[i]!.sentence === words[at]!.sentence; i++) {
    const w = words[i]!;
    // (What follows another term's name is said of that term: "consistency: the latest write;
    // availability: every request answered" in one run.)
    if (i >= at + said.key.length && keys.has(w.canon) && !said.key.includes(w.canon)) break;
    if (negated(i)) return null;
    if (meaningful(w) && !keys.has(w.canon) && !asked.has(w.canon)) rest.add(w.canon);
    last = i;
  }
  const count = (a: Term, b: Term): number => [...rest].filter((s) => a.words.has(s) && !b.words.has(s)).length;
  for (const meant of terms) {
    if (meant === said) continue;
    const theirs = count(meant, said);
    if (theirs >= SWAPPED_WORDS && theirs >= 2 * count(said, meant)) return { first: at, last, said, meant };
  }
  return null;
}
