/**
 * Key-point coverage of a free-text answer. Text and phrases are normalised the same way
 * (lowercase, accents and punctuation removed, stopwords dropped, Porter stems), and a key point
 * is covered when any of its phrases occurs in order with at most MAX_GAP other words between
 * its words ("choose between consistency and availability" covers "choose consistency availability").
 *
 * Anti-gaming: an empty or very short reply earns nothing, the question pasted back earns no
 * quality, and a bare list of keywords without sentences (a "keyword salad") earns a quarter.
 */
import { STOPWORDS, terms, words } from './text.js';
import type { GradeFlag, GradeResult, KeyPoint, Question } from './types.js';

export const MIN_WORDS = 5;
const MAX_GAP = 2;
const SALAD_PENALTY = 0.25;

/** Positions of each stemmed term in the answer, computed once per answer. */
function positions(tokens: string[]): Map<string, number[]> {
  const m = new Map<string, number[]>();
  tokens.forEach((t, i) => {
    const arr = m.get(t);
    if (arr) arr.push(i);
    else m.set(t, [i]);
  });
  return m;
}

function phraseOccurs(phrase: string[], pos: Map<string, number[]>): boolean {
  if (phrase.length === 0) return false;
  const starts = pos.get(phrase[0]!) ?? [];
  outer: for (const s of starts) {
    let at = s;
    for (let i = 1; i < phrase.length; i++) {
      const next = (pos.get(phrase[i]!) ?? []).find((p) => p > at && p - at - 1 <= MAX_GAP);
      if (next === undefined) continue outer;
      at = next;
    }
    return true;
  }
  return false;
}

export function covers(point: KeyPoint, pos: Map<string, number[]>): boolean {
  return point.phrases.some((p) => phraseOccurs(terms(p), pos));
}

export function grade(question: Question, text: string): GradeResult {
  const all = words(text);
  const content = terms(text);
  const pos = positions(content);
  const covered = question.keyPoints.filter((k) => covers(k, pos));
  const missed = question.keyPoints.filter((k) => !covered.includes(k));
  const coverage = question.keyPoints.length ? covered.length / question.keyPoints.length : 0;
  const flags: GradeFlag[] = [];
  if (all.length === 0) flags.push('empty');
  else if (all.length < MIN_WORDS) flags.push('too-short');
  else {
    // The question pasted back: nearly every content word comes from the prompt, and the reply
    // is not much longer than it.
    const prompt = new Set(terms(question.prompt));
    const fromPrompt = content.filter((t) => prompt.has(t)).length;
    if (content.length > 0 && fromPrompt / content.length >= 0.8 && content.length <= prompt.size + 4) flags.push('echo');
    // Keyword salad: hardly any function words (no sentences), or a comma-separated term list.
    const functionWords = all.filter((w) => STOPWORDS.has(w)).length;
    const commas = (text.match(/[,;/|]/g) ?? []).length;
    const lines = text.split(/\n/).filter((l) => l.trim()).length;
    const listy = commas + lines - 1 >= Math.max(3, all.length / 3);
    if (!flags.includes('echo') && all.length >= MIN_WORDS && (functionWords / all.length < 0.12 || (listy && functionWords / all.length < 0.25))) {
      flags.push('keyword-salad');
    }
  }
  let quality = coverage;
  if (flags.includes('empty') || flags.includes('too-short') || flags.includes('echo')) quality = 0;
  else if (flags.includes('keyword-salad')) quality = coverage * SALAD_PENALTY;
  return { covered, missed, coverage, quality, flags };
}
