/**
 * Key-point coverage of a free-text answer. Text and phrases are normalised the same way
 * (lowercase, accents and punctuation removed, stopwords dropped, Porter stems), and a key point
 * is covered when any of its phrases occurs in order with at most MAX_GAP other words between
 * its words ("choose between consistency and availability" covers "choose consistency availability").
 *
 * Anti-gaming: an empty or very short reply earns nothing, the question pasted back earns no
 * quality, and a bare list of keywords without sentences (a "keyword salad") earns a quarter.
 */
import { STOPWORDS, stem, terms, words } from './text.js';
import type { GradeFlag, GradeResult, KeyPoint, Question } from './types.js';

export const MIN_WORDS = 5;
const MAX_GAP = 2;
const SALAD_PENALTY = 0.25;
/** Words that hold sentences together; a reply with almost none is a list of terms, not an answer. */
const GLUE = new Set(
  'a an the is are was were be been it its this that these those and or but so because since then if when while we i you they he she my our your their to of in on for with as by can will would should must not no do does did has have had there which who what how why'.split(' '),
);

interface Token {
  raw: string;
  stem: string;
}

/** Content words of a text: raw (lowercase) and stemmed. */
function tokens(text: string): Token[] {
  return words(text)
    .filter((w) => !STOPWORDS.has(w))
    .map((raw) => ({ raw, stem: stem(raw) }));
}

/**
 * A phrase word matches an answer word with the same stem, or — for word stems written as such in
 * the content ("cach", "scalab", "optimiz", 4+ letters) — an answer word that starts with it.
 */
function wordMatches(p: Token, a: Token): boolean {
  return a.stem === p.stem || (p.raw.length >= 4 && a.raw.startsWith(p.raw));
}

function phraseOccurs(phrase: Token[], answer: Token[]): boolean {
  if (phrase.length === 0) return false;
  outer: for (let s = 0; s < answer.length; s++) {
    if (!wordMatches(phrase[0]!, answer[s]!)) continue;
    let at = s;
    for (let i = 1; i < phrase.length; i++) {
      let next = -1;
      for (let j = at + 1; j < answer.length && j - at - 1 <= MAX_GAP; j++) {
        if (wordMatches(phrase[i]!, answer[j]!)) {
          next = j;
          break;
        }
      }
      if (next < 0) continue outer;
      at = next;
    }
    return true;
  }
  return false;
}

export function covers(point: KeyPoint, answer: Token[]): boolean {
  return point.phrases.some((p) => phraseOccurs(tokens(p), answer));
}

export function grade(question: Question, text: string): GradeResult {
  const all = words(text);
  const content = terms(text);
  const answer = tokens(text);
  const covered = question.keyPoints.filter((k) => covers(k, answer));
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
    const functionWords = all.filter((w) => GLUE.has(w)).length;
    const commas = (text.match(/[,;/|]/g) ?? []).length;
    const lines = text.split(/\n/).filter((l) => l.trim()).length;
    const listy = commas + lines - 1 >= Math.max(3, all.length / 3);
    if (!flags.includes('echo') && all.length >= MIN_WORDS && (functionWords / all.length < 0.1 || (listy && functionWords / all.length < 0.2))) {
      flags.push('keyword-salad');
    }
  }
  let quality = coverage;
  if (flags.includes('empty') || flags.includes('too-short') || flags.includes('echo')) quality = 0;
  else if (flags.includes('keyword-salad')) quality = coverage * SALAD_PENALTY;
  return { covered, missed, coverage, quality, flags };
}
