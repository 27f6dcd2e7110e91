/**
 * Loads and validates the question bank: one Markdown file per question in content/questions/
 * (format: content/FORMAT.md) plus the seed manifest content/sources.yaml. Every problem is
 * reported as `<file>: <field>: <problem>` and nothing half-valid is ever loaded.
 */
import { readdir, readFile } from 'node:fs/promises';
import { basename, join, relative, isAbsolute } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parse as parseYaml, YAMLParseError } from 'yaml';
import { z } from 'zod';
import { QuestionBank } from './bank.js';
import { phraseWords, warmGrader } from './grading.js';
import { lintBank } from './lint.js';
import { KINDS, LEVELS, type Question, type SampleAnswer } from './types.js';

/** content/ shipped with the project (resolved from this file, not the working directory). */
export const DEFAULT_CONTENT_DIR = fileURLToPath(new URL('../../content', import.meta.url));

export class ContentError extends Error {
  constructor(readonly problems: string[]) {
    super(`The question bank is invalid (${problems.length} problem${problems.length === 1 ? '' : 's'}):\n${problems.join('\n')}`);
    this.name = 'ContentError';
  }
}

const slug = z.string().regex(/^[a-z0-9]+(?:-[a-z0-9]+)*$/, 'must be a slug: lowercase letters, digits and single hyphens, e.g. cap-theorem');
const tag = z.string().regex(/^[a-z0-9][a-z0-9+#.-]*$/, 'must be a lowercase tag without spaces, e.g. distributed-systems');
const text = (max: number) => z.string().trim().min(1, 'must not be empty').max(max, `must be at most ${max} characters`);

const FrontMatter = z.strictObject({
  id: slug,
  title: text(80),
  topics: z.array(tag).min(1, 'needs at least one topic, e.g. [cap, distributed-systems]').max(10, 'at most 10 topics'),
  aliases: z.array(text(80)).default([]),
  level: z.enum(LEVELS as [string, ...string[]], { error: `must be one of ${LEVELS.join(', ')}` }),
  kind: z.enum(KINDS as [string, ...string[]], { error: `must be one of ${KINDS.join(', ')}` }),
  sources: z
    .array(z.strictObject({ seed: text(200), position: z.number().int().positive('must be a positive line or question number') }))
    .default([]),
  keyPoints: z
    .array(
      z.strictObject({
        id: slug,
        point: text(160),
        phrases: z.array(text(80)).min(1, 'needs at least one phrase'),
        negated: z.array(text(80)).optional(),
        counter: z.array(text(80)).optional(),
        bonus: z.boolean().optional(),
        /** Drafted from the sample answer (a member's suggestion), not written by an editor. */
        drafted: z.boolean().optional(),
      }),
    )
    .min(3, 'needs 3 to 6 key points')
    .max(6, 'needs 3 to 6 key points'),
  /** The member who suggested the question (credited in the post). */
  author: z.strictObject({ id: text(100), name: text(100) }).optional(),
});

const SECTION_QUESTION = 'question';
const SECTION_LOOK_FOR = 'what interviewers look for';
const SECTION_NOTE = "editor's note";
/** A seed passage reference (`003#116`, `001_4ed4479f1e41f6b8.txt#7`) in user-visible text. */
const SEED_REF_RE = /\b\d{3}(?:_[0-9a-f]{16}\.txt)?#\d+\b/;
const SAMPLE_RE = /^sample answer(?:\s*[—–-]\s*(.+))?$/i;

function displayPath(file: string): string {
  const rel = relative(process.cwd(), file);
  return rel && !rel.startsWith('..') && !isAbsolute(rel) ? rel : file;
}

function formatPath(path: readonly PropertyKey[]): string {
  return path.map((p, i) => (typeof p === 'number' ? `[${p}]` : `${i ? '.' : ''}${String(p)}`)).join('') || '(front matter)';
}

export function sourceKey(seed: string, position: number): string {
  return `${seed}#${position}`;
}

type Fail = (field: string, problem: string) => void;
type Section = { heading: string; text: string; line: number };
type FrontMatterData = z.infer<typeof FrontMatter>;

/** Parses one question file. Returns the question or the list of problems (never both). */
export function parseQuestionFile(file: string, raw: string): { question: Question | null; problems: string[] } {
  const where = displayPath(file);
  const problems: string[] = [];
  const fail: Fail = (field, problem) => problems.push(`${where}: ${field}: ${problem}`);
  const src = raw.replace(/^\uFEFF/, '').replace(/\r\n?/g, '\n');
  const head = readFrontMatter(src, fail);
  if (!head) return { question: null, problems };
  const { meta, block } = head;
  const expectedId = basename(file, '.md');
  if (meta.id !== expectedId) fail('id', `“${meta.id}” must equal the file name “${expectedId}”`);
  checkKeyPoints(meta, fail);
  const sections = splitSections(src.slice(block.length), block.split('\n').length - 1, fail);
  const { prompt, lookFor, editorNote, sampleAnswers } = readSections(sections, fail);
  checkSources(meta, sampleAnswers, fail);
  if (problems.length) return { question: null, problems };
  return {
    question: {
      id: meta.id,
      title: meta.title,
      topics: meta.topics,
      aliases: meta.aliases,
      level: meta.level as Question['level'],
      kind: meta.kind as Question['kind'],
      sources: meta.sources,
      keyPoints: meta.keyPoints,
      prompt: prompt!,
      lookFor,
      sampleAnswers,
      editorNote,
      ...(meta.author ? { author: meta.author } : {}),
      file: where,
    },
    problems,
  };
}


/** The YAML front matter, validated (null after reporting why it is unusable). */
function readFrontMatter(src: string, fail: Fail): { meta: FrontMatterData; block: string } | null {
  const fm = /^---\n([\s\S]*?)\n---[ \t]*(?:\n|$)/.exec(src);
  if (!fm) {
    fail('front matter', 'the file must start with a YAML front matter block between two "---" lines');
    return null;
  }
  let data: unknown;
  try {
    data = parseYaml(fm[1]!, { prettyErrors: false });
  } catch (e) {
    const line = e instanceof YAMLParseError && e.linePos ? ` (line ${e.linePos[0].line + 1})` : '';
    fail('front matter', `invalid YAML${line}: ${(e as Error).message.split('\n')[0]}`);
    return null;
  }
  const parsed = FrontMatter.safeParse(data ?? {});
  if (!parsed.success) {
    for (const issue of parsed.error.issues) fail(formatPath(issue.path), issue.message);
    return null;
  }
  return { meta: parsed.data, block: fm[0] };
}

function checkKeyPoints(meta: FrontMatterData, fail: Fail): void {
  const pointIds = new Set<string>();
  meta.keyPoints.forEach((k, i) => {
    if (pointIds.has(k.id)) fail(`keyPoints[${i}].id`, `duplicate key point id “${k.id}”`);
    pointIds.add(k.id);
    for (const field of ['phrases', 'negated', 'counter'] as const) {
      (k[field] ?? []).forEach((p, j) => {
        if (phraseWords(p).length === 0) fail(`keyPoints[${i}].${field}[${j}]`, `“${p}” has no matchable words (only stopwords, punctuation, or one quantifier such as “two”)`);
      });
    }
  });
  if (meta.keyPoints.length > 0 && meta.keyPoints.every((k) => k.bonus)) fail('keyPoints', 'needs at least one required point (not bonus)');
}

/** The body's "## Heading" sections, with the file line each starts on. */
function splitSections(body: string, fmLines: number, fail: Fail): Section[] {
  const sections: { heading: string; text: string; line: number }[] = [];
  const lines = body.split('\n');
  let current: { heading: string; text: string[]; line: number } | null = null;
  lines.forEach((line, i) => {
    const h = /^##\s+(.+?)\s*$/.exec(line);
    if (h) {
      if (current) sections.push({ heading: current.heading, text: current.text.join('\n').trim(), line: current.line });
      current = { heading: h[1]!, text: [], line: fmLines + i + 1 };
    } else if (current) {
      current.text.push(line);
    } else if (line.trim()) {
      fail(`line ${fmLines + i + 1}`, 'text before the first "## " section');
    }
  });
  if (current) {
    const c = current as { heading: string; text: string[]; line: number };
    sections.push({ heading: c.heading, text: c.text.join('\n').trim(), line: c.line });
  }
  return sections;
}

function readSections(sections: Section[], fail: Fail): { prompt: string | null; lookFor: string; editorNote: string | null; sampleAnswers: SampleAnswer[] } {
  let prompt: string | null = null;
  let lookFor = '';
  let editorNote: string | null = null;
  const sampleAnswers: SampleAnswer[] = [];
  for (const s of sections) {
    const name = s.heading.toLowerCase().replace(/[’`]/g, "'");
    const label = `section "## ${s.heading}" (line ${s.line})`;
    if (!s.text) fail(label, 'is empty');
    // Members read these sections; seed file names and positions mean nothing to them.
    const seedRef = SEED_REF_RE.exec(s.text);
    if (seedRef) fail(label, `mentions the seed passage “${seedRef[0]}”, which members would see; write “sample answer N” or the document's title instead`);
    if (name === SECTION_QUESTION) {
      if (prompt !== null) fail(label, 'appears twice');
      prompt = s.text;
    } else if (name === SECTION_LOOK_FOR) {
      lookFor = s.text;
    } else if (name === SECTION_NOTE) {
      editorNote = s.text;
    } else {
      const m = SAMPLE_RE.exec(s.heading);
      if (!m) {
        fail(label, `unknown section; expected "## Question", "## What interviewers look for", "## Sample answer — <seed file>#<position>" or "## Editor's note"`);
        continue;
      }
      const source = m[1]?.trim() ?? null;
      if (source && !/^[^#\s]+#\d+$/.test(source)) fail(label, `source must read <seed file>#<position>, e.g. 001_4ed4479f1e41f6b8.txt#7`);
      sampleAnswers.push({ source, text: s.text });
    }
  }
  if (prompt === null) fail('section "## Question"', 'is missing');
  if (sampleAnswers.length === 0) fail('section "## Sample answer"', 'is missing: at least one sample answer is required');
  return { prompt, lookFor, editorNote, sampleAnswers };
}

/** Sources in the front matter and sample-answer headings must agree. */
function checkSources(meta: FrontMatterData, sampleAnswers: SampleAnswer[], fail: Fail): void {
  const declared = new Set(meta.sources.map((s) => sourceKey(s.seed, s.position)));
  if (declared.size !== meta.sources.length) fail('sources', 'lists the same seed passage twice');
  for (const a of sampleAnswers) {
    if (a.source && !declared.has(a.source)) fail('sources', `the sample answer from ${a.source} is not listed in sources`);
  }
  const credited = new Set(sampleAnswers.map((a) => a.source));
  meta.sources.forEach((s, i) => {
    if (!credited.has(sourceKey(s.seed, s.position))) fail(`sources[${i}]`, `${sourceKey(s.seed, s.position)} has no "## Sample answer — ${sourceKey(s.seed, s.position)}" section`);
  });
}

async function readQuestions(dir: string): Promise<{ questions: Question[]; problems: string[] }> {
  const qdir = join(dir, 'questions');
  let names: string[];
  try {
    names = (await readdir(qdir)).filter((n) => n.endsWith('.md')).sort();
  } catch {
    return { questions: [], problems: [`${displayPath(qdir)}: directory not found (expected one Markdown file per question)`] };
  }
  const questions: Question[] = [];
  const problems: string[] = [];
  const seen = new Map<string, string>();
  for (const name of names) {
    const file = join(qdir, name);
    const { question, problems: p } = parseQuestionFile(file, await readFile(file, 'utf8'));
    problems.push(...p);
    if (!question) continue;
    const other = seen.get(question.id);
    if (other) problems.push(`${question.file}: id: “${question.id}” is already used by ${other}`);
    seen.set(question.id, question.file);
    questions.push(question);
  }
  if (names.length === 0) problems.push(`${displayPath(qdir)}: no question files`);
  return { questions, problems };
}

const ManifestEntry = z
  .strictObject({
    position: z.number().int().positive(),
    excerpt: z.string().min(1),
    id: slug.optional(),
    excluded: z.string().min(3).optional(),
  })
  .refine((e) => (e.id === undefined) !== (e.excluded === undefined), 'needs exactly one of id or excluded');
const Manifest = z.record(z.string(), z.array(ManifestEntry));
export type ManifestData = z.infer<typeof Manifest>;

/** Reads content/sources.yaml; problems name the file and the entry. */
export async function readManifest(dir: string): Promise<{ manifest: ManifestData | null; problems: string[] }> {
  const file = join(dir, 'sources.yaml');
  const where = displayPath(file);
  let raw: string;
  try {
    raw = await readFile(file, 'utf8');
  } catch {
    return { manifest: null, problems: [`${where}: file not found (the seed manifest, see content/FORMAT.md)`] };
  }
  let data: unknown;
  try {
    data = parseYaml(raw);
  } catch (e) {
    return { manifest: null, problems: [`${where}: invalid YAML: ${(e as Error).message.split('\n')[0]}`] };
  }
  const parsed = Manifest.safeParse(data ?? {});
  if (!parsed.success) return { manifest: null, problems: parsed.error.issues.map((i) => `${where}: ${formatPath(i.path)}: ${i.message}`) };
  return { manifest: parsed.data, problems: [] };
}

/** Cross-checks questions and manifest: every source listed once, pointing at its question. */
export function checkManifest(manifest: ManifestData, questions: Question[], where = 'content/sources.yaml'): string[] {
  const problems: string[] = [];
  const byId = new Map(questions.map((q) => [q.id, q]));
  const entries = new Map<string, string>();
  for (const [seed, list] of Object.entries(manifest)) {
    list.forEach((e, i) => {
      const key = sourceKey(seed, e.position);
      if (entries.has(key)) problems.push(`${where}: ${seed}[${i}]: position ${e.position} is listed twice`);
      if (e.id !== undefined) {
        entries.set(key, e.id);
        if (!byId.has(e.id)) problems.push(`${where}: ${seed}[${i}]: id “${e.id}” has no file content/questions/${e.id}.md`);
      } else {
        entries.set(key, '');
      }
    });
  }
  for (const q of questions) {
    for (const s of q.sources) {
      const key = sourceKey(s.seed, s.position);
      const target = entries.get(key);
      if (target === undefined) problems.push(`${q.file}: sources: ${key} is not listed in ${where}`);
      else if (target !== q.id) problems.push(`${q.file}: sources: ${key} is listed in ${where} as ${target ? `“${target}”` : 'excluded'}`);
    }
  }
  for (const [key, id] of entries) {
    const q = id ? byId.get(id) : undefined;
    if (q && !q.sources.some((s) => sourceKey(s.seed, s.position) === key)) {
      problems.push(`${where}: ${key} points at “${id}”, whose sources do not list it`);
    }
  }
  return problems;
}

const Documents = z.record(z.string(), text(200));

/** content/documents.yaml: seed file → document title (optional; without it no credit is shown). */
export async function readDocuments(dir: string): Promise<{ titles: Map<string, string>; problems: string[] }> {
  const file = join(dir, 'documents.yaml');
  let raw: string;
  try {
    raw = await readFile(file, 'utf8');
  } catch {
    return { titles: new Map(), problems: [] };
  }
  const where = displayPath(file);
  try {
    const parsed = Documents.safeParse(parseYaml(raw) ?? {});
    if (!parsed.success) return { titles: new Map(), problems: parsed.error.issues.map((i) => `${where}: ${formatPath(i.path)}: ${i.message}`) };
    return { titles: new Map(Object.entries(parsed.data)), problems: [] };
  } catch (e) {
    return { titles: new Map(), problems: [`${where}: invalid YAML: ${(e as Error).message.split('\n')[0]}`] };
  }
}

/** Adds each sample answer's source document title (users see titles, never seed file names). */
function withSourceTitles(questions: Question[], titles: Map<string, string>): Question[] {
  return questions.map((q) => ({
    ...q,
    sampleAnswers: q.sampleAnswers.map((a) => ({ ...a, sourceTitle: a.source ? (titles.get(a.source.split('#')[0]!) ?? null) : null })),
  }));
}

/** Loads the bank for running: any invalid question file stops start-up with every problem listed. */
export async function loadBank(dir: string = DEFAULT_CONTENT_DIR): Promise<QuestionBank> {
  const { questions, problems } = await readQuestions(dir);
  const docs = await readDocuments(dir);
  problems.push(...docs.problems);
  if (problems.length) throw new ContentError(problems);
  // The grader's model and lexicon load now, with the bank, not inside the first reveal.
  warmGrader(questions[0]);
  return new QuestionBank(withSourceTitles(questions, docs.titles));
}

/** `quizbot content check`: every question file and the seed manifest. */
export async function checkContent(dir: string = DEFAULT_CONTENT_DIR): Promise<{ count: number; problems: string[]; warnings: string[] }> {
  const { questions, problems } = await readQuestions(dir);
  const { manifest, problems: mp } = await readManifest(dir);
  problems.push(...mp);
  const docs = await readDocuments(dir);
  problems.push(...docs.problems);
  if (manifest && docs.titles.size > 0) {
    for (const seed of Object.keys(manifest)) if (!docs.titles.has(seed)) problems.push(`${displayPath(join(dir, 'documents.yaml'))}: ${seed}: needs the document's title`);
  }
  if (manifest) problems.push(...checkManifest(manifest, questions, displayPath(join(dir, 'sources.yaml'))));
  const warnings = lintBank(questions).map((w) => `${w.file}: ${w.where}: ${w.message}`);
  return { count: questions.length, problems, warnings };
}
