/**
 * Questions written by members (suggestions): key points drafted from a sample answer, the
 * question rendered as a content file (front matter + sections, content/FORMAT.md) and read back
 * with the loader, so an approved suggestion passes the same schema as content/ and exports as a
 * file `content check` accepts.
 */
import { stringify } from 'yaml';
import { STOPWORDS } from './text.js';
import { analyse, phraseWords } from './grading.js';
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

/** Two-word phrases of a sentence's content words, longest words first (at most four). */
function phrasesOf(sentence: string): string[] {
  const words = analyse(sentence).filter((w) => w.content && !STOPWORDS.has(w.raw) && w.raw.length > 2);
  const pairs: string[] = [];
  for (let i = 0; i + 1 < words.length; i++) pairs.push(`${words[i]!.raw} ${words[i + 1]!.raw}`);
  const ranked = [...new Set(pairs)].sort((a, b) => b.length - a.length).slice(0, 4);
  if (ranked.length === 0 && words[0]) ranked.push(words[0].raw);
  return ranked.filter((p) => phraseWords(p).length > 0);
}

/**
 * Key points drafted from a sample answer: its most informative sentences (most content words),
 * three to five, in their order, each matched by two-word phrases of its own words. Marked
 * `drafted` so the reveal and an editor know no one wrote them.
 */
export function draftKeyPoints(sample: string): KeyPoint[] {
  let parts = sentences(sample);
  // Few sentences: split long ones at semicolons and commas.
  if (parts.length < 3) parts = parts.flatMap((s) => s.split(/[;,]\s+/)).filter((s) => s.trim().length > 0);
  const scored = parts.map((s, i) => ({ s, i, n: analyse(s).filter((w) => w.content && !STOPWORDS.has(w.raw)).length }));
  const chosen = scored
    .filter((x) => x.n >= 2)
    .sort((a, b) => b.n - a.n)
    .slice(0, 5)
    .sort((a, b) => a.i - b.i);
  return chosen
    .map((x, k) => ({ id: `point-${k + 1}`, point: x.s.length > 160 ? `${x.s.slice(0, 159)}…` : x.s, phrases: phrasesOf(x.s), drafted: true }))
    .filter((k) => k.phrases.length > 0);
}

/**
 * A suggestion's key points: the member's own (one per line), each matched by phrases drafted from
 * its words, or, when the member wrote none, points drafted from the sample answer.
 */
export function suggestedKeyPoints(points: readonly string[], sample: string): KeyPoint[] {
  if (points.length === 0) return draftKeyPoints(sample);
  return points.map((point, i) => {
    const drafted = draftKeyPoints(point)[0];
    return { id: `point-${i + 1}`, point, phrases: drafted?.phrases.length ? drafted.phrases : [point.slice(0, 80)], drafted: true };
  });
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
