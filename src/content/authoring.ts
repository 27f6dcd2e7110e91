/**
 * Questions written by members (suggestions): key points drafted from a sample answer, the
 * question rendered as a content file (front matter + sections, content/FORMAT.md) and read back
 * with the loader, so an approved suggestion passes the same schema as content/ and exports as a
 * file `content check` accepts.
 */
import { stringify } from 'yaml';
import { LIGHT_VERBS, STOPWORDS, isSpecific } from './text.js';
import { tagWords } from './claims.js';
import { analyse, occurrences, phraseWords } from './grading.js';
import { parseQuestionFile } from './loader.js';
import type { KeyPoint, Question } from './types.js';

export const SUGGESTION_LIMITS = {
  title: [5, 80],
  question: [15, 1000],
  sample: [40, 3000],
  keyPoint: [5, 160],
  keyPoints: 6,
  /** The form's key-points field: all of them, one per line (optional). */
  keyPointsText: [0, 1000],
} as const;

/** "What is a Bloom filter?" → what-is-a-bloom-filter (at most 60 characters). */
export function slugify(title: string): string {
  const s = title
    .normalize('NFKD')
    .replace(/[\u0300-\u036f]/g, '')
    .toLowerCase()
    .replace(/[^a-z0-9]+/g, '-')
    .replace(/^-+|-+$/g, '')
    .slice(0, 60)
    .replace(/-+$/, '');
  return s || 'question';
}

function sentences(text: string): string[] {
  return text
    .split(/(?<=[.!?])\s+|\n+/)
    .map((s) => s.trim())
    .filter((s) => s.length > 0);
}

/** Verbs whose object is what the claim removes ("eliminating transitive dependencies"): "no transitive dependencies" says it too. */
const REMOVING: ReadonlySet<string> = new Set(['remove', 'eliminate', 'avoid', 'prevent', 'minimize', 'minimise', 'reduce', 'drop', 'strip', 'stop', 'block']);

const NOMINAL: ReadonlySet<string> = new Set(['NOUN', 'PROPN', 'ADJ', 'NUM']);
/** What ends the search for a verb's object: a conjunction or another verb. */
const BETWEEN_BREAKS: ReadonlySet<string> = new Set(['CCONJ', 'SCONJ', 'VERB', 'PUNCT']);

interface Unit {
  phrase: string;
  /** Said negated in the source ("containers do not need a guest OS"): covered when the answer negates it too. */
  negated: boolean;
}

/**
 * The phrases a sentence's claim can be recognised by: its noun chunks ("consecutive memory
 * locations", and their last two words), a verb with its object ("rejecting requests", "serve
 * stale data") and a subject with its verb ("partitions happen"). Phrases of generic words or of
 * the question's own words only are dropped, and so are single words: they name the topic, they
 * do not state the point.
 */
function unitsOf(sentence: string, asked: ReadonlySet<string>, pairs = false): Unit[] {
  const words = analyse(sentence);
  if (words.length === 0) return [];
  const tags = tagWords(sentence, words);
  const specific = (i: number) => isSpecific(words[i]!) && words[i]!.raw.length > 1;
  const out: Unit[] = [];
  const seen = new Set<string>();
  const add = (idx: number[], removed = false) => {
    const ws = idx.filter((i) => words[i]!.content && !STOPWORDS.has(words[i]!.raw));
    if (ws.length === 0 || !ws.some(specific)) return;
    if (ws.every((i) => asked.has(words[i]!.canon))) return;
    // (One word alone names a thing; it states nothing: "Memcached" is no claim about caching.)
    if (ws.length < 2) return;
    const phrase = ws.map((i) => words[i]!.raw).join(' ');
    if (seen.has(phrase) || phraseWords(phrase).length === 0) return;
    seen.add(phrase);
    const negated = removed || occurrences(phrase, words).some((m) => m.negated);
    out.push({ phrase, negated });
  };
  // Two neighbours of one phrase: same clause, nothing but a space, a hyphen or a slash between
  // ("HTTPS/TLS" is one term; "connections (TLS)" and "A, B" are not).
  const joined = (i: number, j: number) => words[i]!.clause === words[j]!.clause && /^[\s/-]*$/.test(sentence.slice(words[i]!.end, words[j]!.start));
  // Noun chunks: runs of nouns and adjectives (one clause, nothing between) ending on a noun.
  const chunks: [number, number][] = [];
  for (let i = 0; i < words.length; ) {
    if (!NOMINAL.has(tags[i]!.pos) || !words[i]!.content) {
      i++;
      continue;
    }
    let j = i;
    while (j + 1 < words.length && NOMINAL.has(tags[j + 1]!.pos) && words[j + 1]!.content && joined(j, j + 1)) j++;
    let end = j;
    while (end > i && tags[end]!.pos === 'ADJ') end--;
    if (['NOUN', 'PROPN', 'NUM'].includes(tags[end]!.pos)) chunks.push([i, end]);
    i = j + 1;
  }
  const range = (a: number, b: number) => Array.from({ length: b - a + 1 }, (_, k) => a + k);
  if (pairs) {
    // A sentence with no chunk or verb phrase of its own: neighbouring words of substance.
    const content = words.map((w, i) => (w.content && !STOPWORDS.has(w.raw) ? i : -1)).filter((i) => i >= 0);
    for (let k = 0; k + 1 < content.length; k++) if (words[content[k]!]!.clause === words[content[k + 1]!]!.clause) add([content[k]!, content[k + 1]!]);
    return out;
  }
  const removedBy = new Map<number, boolean>();
  for (let v = 0; v < words.length; v++) {
    if (tags[v]!.pos !== 'VERB' || LIGHT_VERBS.has(tags[v]!.lemma)) continue;
    // The verb's object: the next chunk in its clause, at most two words (articles, prepositions)
    // away, no conjunction or other verb between.
    const obj = chunks.find(([a]) => a > v && a - v <= 3 && words[a]!.clause === words[v]!.clause && range(v + 1, a - 1).every((k) => !BETWEEN_BREAKS.has(tags[k]!.pos)));
    if (obj) {
      const removing = REMOVING.has(tags[v]!.lemma);
      if (removing) removedBy.set(obj[0], true);
      add([v, ...range(Math.max(obj[0], obj[1] - 1), obj[1])]);
    } else if (v + 1 < words.length && tags[v + 1]!.pos === 'VERB' && words[v + 1]!.clause === words[v]!.clause) {
      add([v, v + 1]); // "continue operating"
    }
    // How it is done: an adverb right before or after it ("rarely changes", "scales horizontally").
    if (v > 0 && tags[v - 1]!.pos === 'ADV' && joined(v - 1, v)) add([v - 1, v]);
    if (v + 1 < words.length && tags[v + 1]!.pos === 'ADV' && joined(v, v + 1)) add([v, v + 1]);
    // Its subject: a chunk ending just before it (an auxiliary or adverb between at most).
    const subj = chunks.filter(([, b]) => b < v && v - b <= 3 && words[b]!.clause === words[v]!.clause).at(-1);
    if (subj) add([subj[1], v]);
  }
  for (const [first, b] of chunks) {
    let a = first;
    let removed = removedBy.get(a) ?? false;
    if (a < b && REMOVING.has(tags[a]!.lemma)) {
      // "Eliminating/ADJ transitive dependencies": the tagger's adjective is the removing verb.
      add(range(a, Math.min(b, a + 2)));
      a++;
      removed = true;
    }
    if (b - a <= 2) add(range(a, b), removed);
    if (b - a >= 1) add([b - 1, b], removed);
  }
  return out;
}

/** Openers that tie a sentence to the one before it: a key point stands alone. */
const CONNECTIVE = /^(?:on the other hand|however|in contrast|for (?:instance|example)|moreover|also|additionally|furthermore|therefore|thus|so|in addition|apart from (?:this|that)|similarly|likewise|finally)\s*,?\s+/i;

/**
 * A sample's sentence as a key point the reveal shows: no Markdown emphasis or list marker, no
 * opener that leans on the sentence before ("On the other hand, …"), a capital first letter.
 */
function asStatement(sentence: string): string {
  const plain = sentence
    .replace(/\*\*|__|`/g, '')
    .replace(/^\s*(?:[-*•]|\d+[.)])\s+/, '')
    .replace(CONNECTIVE, '')
    .trim();
  return plain.charAt(0).toUpperCase() + plain.slice(1);
}

/** A point's phrases from its units: the positive ones as phrases, the negated ones as `negated` phrases. */
function pointFrom(id: string, statement: string, units: readonly Unit[], drafted: boolean): KeyPoint | null {
  const phrases = units.filter((u) => !u.negated).map((u) => u.phrase);
  const negated = units.filter((u) => u.negated).map((u) => u.phrase);
  if (phrases.length === 0 && negated.length === 0) return null;
  const space = statement.lastIndexOf(' ', 159);
  const point = statement.length > 160 ? `${statement.slice(0, space > 80 ? space : 159)}…` : statement;
  // (A point said only as a denial is covered by denying its phrases; the format still needs one
  // phrase, and its own words in full match only an answer that says all of them.)
  return { id, point, phrases: phrases.length ? phrases.slice(0, MAX_PHRASES) : [point.slice(0, 80)], ...(negated.length ? { negated: negated.slice(0, MAX_PHRASES) } : {}), ...(drafted ? { drafted } : {}) };
}

const MAX_PHRASES = 10;
/** Drafted points that are required; the rest are bonus. */
const REQUIRED_DRAFTED = 3;

/** The question's own words (canonical stems): a phrase of them only names the topic. */
function askedWords(asked: string): Set<string> {
  return new Set(analyse(asked).map((w) => w.canon));
}

/**
 * Key points drafted from a sample answer: the sentences that say the most (the most phrases),
 * at most five, in their order, each matched by its noun chunks and verbs with their objects (see
 * unitsOf; a phrase an earlier point has is not repeated). Marked `drafted` so the reveal and an
 * editor know no one wrote them.
 */
export function draftKeyPoints(sample: string, asked = ''): KeyPoint[] {
  const own = askedWords(asked);
  const score = (parts: string[]) =>
    parts
      .map((s, i) => {
        const units = unitsOf(s, own);
        return { s, i, units, n: units.length };
      })
      .filter((x) => x.n >= 1);
  let scored = score(sentences(sample));
  // Few sentences that say something: split them at semicolons and commas.
  if (scored.length < 3) scored = score(sentences(sample).flatMap((s) => s.split(/[;,]\s+/)).filter((s) => s.trim().length > 0));
  let chosen = scored
    .sort((a, b) => b.n - a.n || a.i - b.i)
    .slice(0, 5)
    .sort((a, b) => a.i - b.i);
  if (chosen.length < REQUIRED_DRAFTED) {
    // A short or plain sample: its other sentences, phrased by neighbouring words of substance,
    // make up three points (a member's sample of three sentences is enough to suggest a question).
    const taken = new Set(chosen.map((x) => x.s));
    const extra = sentences(sample)
      .filter((s) => !taken.has(s))
      .map((s, i) => ({ s, i: 100 + i, units: unitsOf(s, own, true), n: 0 }))
      .filter((x) => x.units.length > 0)
      .slice(0, REQUIRED_DRAFTED - chosen.length);
    chosen = [...chosen, ...extra];
  }
  // The three that say the most are required; the others are bonus points (a sample answer says
  // more than an answer needs to).
  const required = new Set([...chosen].sort((a, b) => b.n - a.n || a.i - b.i).slice(0, REQUIRED_DRAFTED));
  const used = new Set<string>();
  const out: KeyPoint[] = [];
  for (const x of chosen) {
    const fresh = x.units.filter((u) => !used.has(u.phrase));
    for (const u of fresh) used.add(u.phrase);
    const k = pointFrom(`point-${out.length + 1}`, asStatement(x.s), fresh, true);
    if (k) out.push(required.has(x) ? k : { ...k, bonus: true });
  }
  return out;
}

/**
 * A suggestion's key points: the member's (or the approving admin's) own, each matched by phrases
 * drafted from its words, or, when they wrote none, points drafted from the sample answer.
 */
export function suggestedKeyPoints(points: readonly string[], sample: string, asked = ''): KeyPoint[] {
  if (points.length === 0) return draftKeyPoints(sample, asked);
  const own = askedWords(asked);
  // (Points a person wrote are not `drafted`: only their phrases are, and the reveal says the
  // points come from the sample answer only when they do.)
  return points.map((point, i) => pointFrom(`point-${i + 1}`, point, unitsOf(point, own), false) ?? { id: `point-${i + 1}`, point, phrases: [point.slice(0, 80)] });
}

/** Member text inside a section: a line starting with "#" would open a section of its own. */
const body = (text: string) => text.replace(/\r\n?/g, '\n').replace(/^#+\s*/gm, '').trim();

/** The question as a content file (content/FORMAT.md). */
export function renderQuestionFile(q: Question): string {
  const front: Record<string, unknown> = {
    id: q.id,
    title: q.title,
    topics: q.topics,
    aliases: q.aliases,
    level: q.level,
    kind: q.kind,
    ...(q.author ? { author: q.author } : {}),
    keyPoints: q.keyPoints.map((k) => ({
      id: k.id,
      point: k.point,
      phrases: k.phrases,
      ...(k.negated ? { negated: k.negated } : {}),
      ...(k.counter ? { counter: k.counter } : {}),
      ...(k.bonus ? { bonus: true } : {}),
      ...(k.drafted ? { drafted: true } : {}),
    })),
  };
  const sections = [`## Question\n\n${body(q.prompt)}`];
  if (q.lookFor) sections.push(`## What interviewers look for\n\n${body(q.lookFor)}`);
  for (const a of q.sampleAnswers) sections.push(`## Sample answer\n\n${body(a.text)}`);
  if (q.editorNote) sections.push(`## Editor's note\n\n${body(q.editorNote)}`);
  return `---\n${stringify(front, { lineWidth: 0 }).trimEnd()}\n---\n\n${sections.join('\n\n')}\n`;
}

/** Renders and reads back a question: the loader's problems, or the question as content/ would load it. */
export function validateQuestion(q: Question): { question: Question | null; problems: string[]; file: string } {
  const file = renderQuestionFile(q);
  const { question, problems } = parseQuestionFile(`${q.id}.md`, file);
  return { question, problems: problems.map((p) => p.replace(/^[^:]+\.md: /, '')), file };
}
