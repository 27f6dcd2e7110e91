/**
 * `npm run bench:grading [-- <mohler-layout.csv>] [--keypoints <file.yaml>]`
 *
 * Every figure is printed twice where the data allows: on the part the grader may be tuned on, and
 * on the held-out part nobody tunes on (../shared/EVALUATION.md). Nothing is asserted here.
 *
 * 1. Mohler-layout data (id, question, desired_answer, student_answer, score_me, score_other,
 *    score_avg) graded against key points in the bank's format written from the question and the
 *    reference only (bench/mohler-bank-keypoints.yaml, 3–6 per question). Chapters 3, 6, 9 and 12
 *    are held out. Pearson/Spearman with the human average, and the mean quality of answers humans
 *    scored ≥ 4.5.
 * 2. Adversarial answers to bank questions, written by someone who did not read the grader
 *    (test/grading/eval/tune.jsonl and tune2.jsonl, and held out: test/grading/eval/heldout*.jsonl): per-label mean
 *    quality against the targets, and the separation (AUC) of good+paraphrase from
 *    wrong+negated+swapped+misconception+salad. The older team-written sets (test/grading/*.jsonl)
 *    are printed last, for comparison only.
 * 3. Every bank sample answer graded as an answer (≥ 0.85), copy detection on the labelled copies.
 * With QUIZBOT_GRADER=openai (and QUIZBOT_GRADER_URL, QUIZBOT_GRADER_MODEL, …, as for the bot), the
 * model grader grades every answer first — the answers leave the machine — and every figure is its
 * own; an answer it could not grade is graded lexically, as in a reveal, and counted at the end.
 *
 * 4. The same adversarial answers against key points no editor wrote, as a member's suggestion
 *    gets them (`/quiz suggest`): drafted from the question's first seed sample answer, and the
 *    curated points' statements as a member would type them, with their phrases drafted. Tuned
 *    sets pooled, held-out sets pooled.
 */
import { readFileSync, existsSync } from 'node:fs';
import { parse as parseCsv } from 'csv-parse/sync';
import { parse as parseYaml } from 'yaml';
import { COPY_THRESHOLD, copiedShare, grade as lexicalGrade, shingles } from '../src/content/grading.js';
import { loadConfig } from '../src/config/env.js';
import { ModelGrader } from '../src/content/model-grader.js';
import { loadBank } from '../src/content/loader.js';
import { registerPeers } from '../src/content/peers.js';
import { suggestedKeyPoints } from '../src/content/authoring.js';
import type { QuestionBank as Bank } from '../src/content/bank.js';
import type { GradeResult, KeyPoint, Question } from '../src/content/types.js';

const args = process.argv.slice(2);
const kpAt = args.indexOf('--keypoints');
if (args.includes('--help') || args.includes('-h')) {
  console.log('usage: npm run bench:grading [-- <mohler-layout.csv>] [--keypoints <file.yaml>]');
  process.exit(0);
}
const keypointsFile = kpAt >= 0 ? args[kpAt + 1]! : 'bench/mohler-bank-keypoints.yaml';
/** Mohler chapters never tuned on. */
const HELD_OUT_CHAPTERS = new Set(['3', '6', '9', '12']);
const csvPath = args.find((a, i) => !a.startsWith('--') && (kpAt < 0 || i !== kpAt + 1)) ?? '../shared/benchmarks/grading/mohler.csv';

function pearson(x: number[], y: number[]): number {
  const n = x.length;
  const mx = x.reduce((a, b) => a + b, 0) / n;
  const my = y.reduce((a, b) => a + b, 0) / n;
  let sxy = 0;
  let sxx = 0;
  let syy = 0;
  for (let i = 0; i < n; i++) {
    sxy += (x[i]! - mx) * (y[i]! - my);
    sxx += (x[i]! - mx) ** 2;
    syy += (y[i]! - my) ** 2;
  }
  return sxy / Math.sqrt(sxx * syy);
}

function ranks(x: number[]): number[] {
  const idx = x.map((v, i) => [v, i] as const).sort((a, b) => a[0] - b[0]);
  const r = new Array<number>(x.length);
  for (let i = 0; i < idx.length;) {
    let j = i;
    while (j + 1 < idx.length && idx[j + 1]![0] === idx[i]![0]) j++;
    for (let k = i; k <= j; k++) r[idx[k]![1]] = (i + j) / 2 + 1;
    i = j + 1;
  }
  return r;
}

const spearman = (x: number[], y: number[]) => pearson(ranks(x), ranks(y));
const mean = (x: number[]) => (x.length ? x.reduce((a, b) => a + b, 0) / x.length : NaN);
const f = (x: number) => (Number.isFinite(x) ? x.toFixed(3) : '—');
const mark = (ok: boolean) => (ok ? 'PASS' : 'MISS');

/**
 * The model grader's settings, when the environment asks for it: read and validated by the bot's
 * own configuration, from the grader's variables only (the bench needs no platform's).
 */
const graderConfig = loadConfig(Object.fromEntries(Object.entries(process.env).filter(([k]) => k.startsWith('QUIZBOT_GRADER')))).grader;

function modelGrader(): ModelGrader | null {
  if (!graderConfig) return null;
  const log = (level: string) => (msg: string, meta?: Record<string, unknown>) => console.error(`${level}: ${msg}${meta ? ` ${JSON.stringify(meta)}` : ''}`);
  return new ModelGrader(graderConfig, { logger: { debug() {}, info: log('info'), warn: log('warn'), error: log('error') } });
}

const model = modelGrader();
const byModel = new WeakMap<Question, Map<string, GradeResult>>();
const modelCount = { graded: 0, lexical: 0 };

/** Each labelled answer with its question (answers to a question the bank does not have are left out). */
function answersOf(items: readonly Labelled[], question: (id: string) => Question | undefined): [Question, string][] {
  return items.flatMap((it) => {
    const q = question(it.id);
    return q ? [[q, it.text] as [Question, string]] : [];
  });
}

/** With the model grader on, grades these answers by it first (every question's at once, its concurrency bounding the requests). */
async function prefetch(pairs: Iterable<readonly [Question, string]>): Promise<void> {
  if (!model) return;
  const byQuestion = new Map<Question, Set<string>>();
  for (const [q, text] of pairs) byQuestion.set(q, (byQuestion.get(q) ?? new Set()).add(text));
  await Promise.all(
    [...byQuestion].map(async ([q, texts]) => {
      const out = await model.gradeMany(q, [...texts]);
      const known = byModel.get(q) ?? new Map<string, GradeResult>();
      for (const [text, g] of out) known.set(text, g);
      byModel.set(q, known);
      modelCount.graded += out.size;
      modelCount.lexical += texts.size - out.size;
    }),
  );
}

/** An answer's grade: the model's when it graded it, else the lexical grader's. */
function grade(q: Question, text: string): GradeResult {
  return byModel.get(q)?.get(text) ?? lexicalGrade(q, text);
}

async function benchMohler(): Promise<void> {
  if (!existsSync(csvPath)) {
    console.log(`Mohler-layout data: ${csvPath} not found (pass its path as the first argument)`);
    return;
  }
  if (!existsSync(keypointsFile)) {
    console.log(`Mohler-layout data: no key points file ${keypointsFile}`);
    return;
  }
  const rows: Record<string, string>[] = parseCsv(readFileSync(csvPath, 'utf8'), { columns: true, skip_empty_lines: true });
  const kps = parseYaml(readFileSync(keypointsFile, 'utf8')) as Record<string, (Omit<KeyPoint, 'id'> & { id?: string })[]>;
  const questions = new Map<string, Question>();
  const parts = {
    tuned: { q: [] as number[], h: [] as number[], me: [] as number[], other: [] as number[], ids: new Set<string>() },
    'held-out': { q: [] as number[], h: [] as number[], me: [] as number[], other: [] as number[], ids: new Set<string>() },
  };
  const graded = rows.filter((r) => kps[r.id!]);
  const skipped = rows.length - graded.length;
  for (const r of graded) {
    const points = kps[r.id!]!;
    if (!questions.has(r.id!)) {
      questions.set(r.id!, {
        id: r.id!,
        title: r.question!.slice(0, 80),
        topics: ['mohler'],
        aliases: [],
        level: 'junior',
        kind: 'technical',
        sources: [],
        keyPoints: points.map((p, i) => ({ ...p, id: p.id ?? `k${i}` })),
        prompt: r.question!,
        lookFor: '',
        sampleAnswers: [{ source: null, text: r.desired_answer! }],
        editorNote: null,
        file: keypointsFile,
      });
    }
  }
  // (The course's questions are each other's peers, as a bank's are: an answer to another of them is off-topic.)
  registerPeers([...questions.values()]);
  await prefetch(graded.map((r) => [questions.get(r.id!)!, r.student_answer!] as const));
  for (const r of graded) {
    const q = questions.get(r.id!)!;
    const part = parts[HELD_OUT_CHAPTERS.has(r.id!.split('.')[0]!) ? 'held-out' : 'tuned'];
    part.ids.add(r.id!);
    part.q.push(grade(q, r.student_answer!).quality);
    part.h.push(Number(r.score_avg));
    part.me.push(Number(r.score_me));
    part.other.push(Number(r.score_other));
  }
  console.log(`Mohler-layout data: ${csvPath} (key points: ${keypointsFile}${skipped ? `; ${skipped} answers without key points skipped` : ''})`);
  for (const [name, p] of Object.entries(parts)) {
    if (!p.q.length) continue;
    const top = p.q.filter((_, i) => p.h[i]! >= 4.5);
    const low = p.q.filter((_, i) => p.h[i]! <= 2);
    const r = pearson(p.q, p.h);
    console.log(`  ${name}: ${p.q.length} answers, ${p.ids.size} questions`);
    console.log(`    Pearson r (grader vs human average)     ${f(r)}   target ≥ 0.62  ${mark(r >= 0.62)}`);
    console.log(`    Spearman ρ (grader vs human average)    ${f(spearman(p.q, p.h))}`);
    console.log(`    Pearson r between the two human graders ${f(pearson(p.me, p.other))}`);
    console.log(`    mean quality, humans ≥ 4.5 (${top.length})  ${f(mean(top))}   target ≥ 0.75  ${mark(mean(top) >= 0.75)}`);
    console.log(`    mean quality, humans ≤ 2 (${low.length})    ${f(mean(low))}`);
  }
}

interface Labelled {
  id: string;
  label: string;
  text: string;
  original?: string;
}

const TARGETS: Record<string, { max?: number; min?: number }> = {
  good: { min: 0.85 },
  paraphrase: { min: 0.55 },
  partial: { min: 0.3, max: 0.75 },
  'wrong-right-words': { max: 0.3 },
  negated: { max: 0.25 },
  swapped: { max: 0.3 },
  salad: { max: 0.25 },
  'off-topic': { max: 0.1 },
};
const POSITIVE = new Set(['good', 'paraphrase']);
const NEGATIVE = new Set(['wrong-right-words', 'negated', 'swapped', 'misconception', 'salad']);

/** Probability that a positive answer outscores a negative one (ties count half). */
function auc(pos: number[], neg: number[]): number {
  if (!pos.length || !neg.length) return NaN;
  let wins = 0;
  for (const p of pos) for (const n of neg) wins += p > n ? 1 : p === n ? 0.5 : 0;
  return wins / (pos.length * neg.length);
}

function readJsonl(file: string): Labelled[] {
  return readFileSync(file, 'utf8')
    .split('\n')
    .filter((l) => l.trim())
    .map((l) => JSON.parse(l) as Labelled);
}

/** One line per label: mean quality and the issue's target for it, if any. */
function printLabels(by: Map<string, number[]>): void {
  for (const [label, qs] of [...by].sort()) {
    const t = TARGETS[label];
    const m = mean(qs);
    const ok = (t?.min === undefined || m >= t.min) && (t?.max === undefined || m <= t.max);
    const range = t ? (t.min !== undefined && t.max !== undefined ? `${t.min}–${t.max}` : t.max !== undefined ? `≤ ${t.max}` : `≥ ${t.min}`) : '';
    console.log(`  ${label.padEnd(18)} n=${String(qs.length).padStart(3)}  mean quality ${f(m)}   ${t ? `target ${range}  ${mark(ok)}` : ''}`);
  }
  const pos = [...by].filter(([l]) => POSITIVE.has(l)).flatMap(([, q]) => q);
  const neg = [...by].filter(([l]) => NEGATIVE.has(l)).flatMap(([, q]) => q);
  const a = auc(pos, neg);
  console.log(`  AUC good+paraphrase vs wrong+negated+swapped+misconception+salad  ${f(a)}   target ≥ 0.85  ${mark(a >= 0.85)}`);
}

/** The adversarial sets: tuned ones, then the held-out ones nobody tunes on (a reserved set is not listed until graded). */
const ADVERSARIAL = [
  ['test/grading/eval/tune.jsonl', 'tuned'],
  ['test/grading/eval/tune2.jsonl', 'tuned 2 (11 other questions, written 2026-12-06 without reading the grader; tuned on)'],
  [
    'test/grading/eval/tune3.jsonl',
    'tuned 3 (16 of the tuned questions, 149 answers written 2026-12-07 with a different glue per salad; first graded at 8d20ade; tuned on)',
  ],
  [
    'test/grading/eval/tune4.jsonl',
    'tuned 4 (15 of the tuned questions, 171 answers written 2026-12-07 at 6bd317b, 45 salads each with the writer’s own glue; tuned on)',
  ],
  ['test/grading/eval/tune5.jsonl', 'tuned 5 (the 3 behavioural questions no set used, 54 answers written 2026-12-07 at e7a50ec, 18 salads; tuned on)'],
  [
    'test/grading/eval/tune6.jsonl',
    'tuned 6 (12 tuned questions with two or more subjects, 120 answers written 2026-12-07 at 2ee0bd4: 36 swapped, 24 wrong-right-words; tuned on)',
  ],
  [
    'test/grading/eval/tune7.jsonl',
    'tuned 7 (12 tuned questions, 108 answers written 2026-12-07 at f6d21d5: 48 salads in 48 glues, with good, paraphrase, partial and misconception controls; tuned on)',
  ],
  ['test/grading/eval/heldout.jsonl', 'HELD-OUT (never tuned on)'],
  ['test/grading/eval/heldout2.jsonl', 'HELD-OUT 2 (14 other questions, written 2026-12-06 without reading the grader; never tuned on)'],
  ['test/grading/eval/heldout3.jsonl', 'HELD-OUT 3 (11 other questions, written 2026-12-06 before this round of changes; never tuned on)'],
  [
    'test/grading/eval/heldout4.jsonl',
    'HELD-OUT 4 (12 held-out questions no tuned set uses, written 2026-12-07 after the changes of that day; never tuned on)',
  ],
  ['test/grading/eval/heldout5.jsonl', 'HELD-OUT 5 (12 more held-out questions, written 2026-12-07 and first graded at 164707c; never tuned on)'],
  [
    'test/grading/eval/heldout6.jsonl',
    'HELD-OUT 6 (12 questions of earlier held-out sets, new answers written 2026-12-07 and first graded at 89c7c53; never tuned on)',
  ],
  [
    'test/grading/eval/heldout7.jsonl',
    'HELD-OUT 7 (12 questions, 127 answers written 2026-12-07 with no list of glue words; first graded at b50fd88; never tuned on)',
  ],
  [
    'test/grading/eval/heldout8.jsonl',
    'HELD-OUT 8 (12 held-out questions, 126 answers written 2026-12-07 at a3b3ef5, the salad glues the writer’s own; reserved until first graded on 2026-12-07; never tuned on)',
  ],
  [
    'test/grading/eval/heldout9.jsonl',
    'HELD-OUT 9 (12 questions, 120 answers written 2026-12-07 at bcab4f5, six questions no set had used; reserved until first graded at 3103fb1; never tuned on)',
  ],
  [
    'test/grading/eval/heldout10.jsonl',
    'HELD-OUT 10 (12 held-out questions, 128 answers written 2026-12-07 at 05a28ce, reserved until first graded at 0e64d82; never tuned on)',
  ],
  [
    'test/grading/eval/heldout11.jsonl',
    'HELD-OUT 11 (12 held-out questions, 126 answers written 2026-12-07 at 8940847, reserved until first graded at e8bc014; never tuned on)',
  ],
  [
    'test/grading/eval/heldout12.jsonl',
    'HELD-OUT 12 (12 held-out questions, 126 answers written 2026-12-07 at 8136b7b, reserved until first graded at d8a8c4a; never tuned on)',
  ],
  [
    'test/grading/eval/heldout13.jsonl',
    'HELD-OUT 13 (12 held-out questions, 125 answers written 2026-12-07 after 4715ffb, first graded at 4715ffb; never tuned on)',
  ],
  [
    'test/grading/eval/heldout14.jsonl',
    'HELD-OUT 14 (12 held-out questions, 125 answers written 2026-12-07 at 93137f7, reserved until first graded at ba5002f; never tuned on)',
  ],
  [
    'test/grading/eval/heldout15.jsonl',
    'HELD-OUT 15 (12 held-out questions, 125 answers written 2026-12-07 at 826aad7, first graded there and at ba5002f; never tuned on)',
  ],
  [
    'test/grading/eval/heldout16.jsonl',
    'HELD-OUT 16 (12 held-out questions, 125 answers written 2026-12-07 at 794b88f, reserved until first graded at 794b88f; never tuned on)',
  ],
  [
    'test/grading/eval/heldout17.jsonl',
    'HELD-OUT 17 (12 held-out questions, 132 answers written 2026-12-07 at ab5b9b0, reserved until first graded at 7267ae1; never tuned on)',
  ],
  [
    'test/grading/eval/heldout18.jsonl',
    'HELD-OUT 18 (12 held-out questions, 132 answers written 2026-12-07 at 7267ae1, reserved until first graded at cc793ee; never tuned on)',
  ],
  [
    'test/grading/eval/heldout19.jsonl',
    'HELD-OUT 19 (12 held-out questions, 132 answers written 2026-12-07 at da13f9a, reserved until first graded at af81098; never tuned on)',
  ],
] as const;

const isHeldOut = (what: string) => what.startsWith('HELD-OUT');

async function benchAdversarial(bank: Bank): Promise<void> {
  for (const [file] of ADVERSARIAL.filter(([file]) => !existsSync(file))) console.log(`Adversarial set ${file}: not found`);
  const sets = ADVERSARIAL.filter(([file]) => existsSync(file)).map(([file, what]) => ({ file, what, items: readJsonl(file) }));
  await prefetch(sets.flatMap(({ items }) => answersOf(items, (id) => bank.get(id))));
  // (Every set's answers pooled too, tuned and held out apart: one figure per label over all of them.)
  const pooled = { tuned: new Map<string, number[]>(), held: new Map<string, number[]>() };
  const counts = { tuned: 0, held: 0 };
  for (const { file, what, items } of sets) {
    const by = new Map<string, number[]>();
    const part = isHeldOut(what) ? 'held' : 'tuned';
    counts[part]++;
    for (const it of items) {
      const q = bank.get(it.id);
      if (!q) continue;
      const quality = grade(q, it.text).quality;
      by.set(it.label, [...(by.get(it.label) ?? []), quality]);
      pooled[part].set(it.label, [...(pooled[part].get(it.label) ?? []), quality]);
    }
    console.log(`Adversarial set, ${what}: ${file} (${items.length} answers, ${new Set(items.map((i) => i.id)).size} bank questions)`);
    printLabels(by);
  }
  for (const [part, name] of [
    ['tuned', 'tuned sets'],
    ['held', 'HELD-OUT sets (never tuned on)'],
  ] as const) {
    const n = [...pooled[part].values()].reduce((a, v) => a + v.length, 0);
    if (n === 0) continue;
    console.log(`Adversarial sets pooled, ${name}: ${counts[part]} sets, ${n} answers`);
    printLabels(pooled[part]);
  }
}

async function benchLabelled(bank: Bank): Promise<void> {
  const file = 'test/grading/labelled.jsonl';
  const answers = ['test/grading/labelled.jsonl', 'test/grading/heldout.jsonl'].filter((x) => existsSync(x)).flatMap(readJsonl);
  await prefetch([...answersOf(answers, (id) => bank.get(id)), ...bank.all().flatMap((q) => q.sampleAnswers.map((a) => [q, a.text] as const))]);
  if (existsSync(file)) {
    const items = readJsonl(file);
    const by = new Map<string, number[]>();
    let copiedFlagged = 0;
    let copiedTotal = 0;
    let falseCopies = 0;
    let pairs = 0;
    for (const it of items) {
      const q = bank.get(it.id);
      if (!q) continue;
      const g = grade(q, it.text);
      by.set(it.label, [...(by.get(it.label) ?? []), g.quality]);
      if (it.label === 'copied' && it.original) {
        copiedTotal++;
        if (copiedShare(shingles(it.text), shingles(it.original)) >= COPY_THRESHOLD) copiedFlagged++;
      }
    }
    // False copies: two different good/paraphrase answers to the same question must not look copied.
    const goodBy = new Map<string, string[]>();
    for (const it of items) if (it.label === 'good' || it.label === 'paraphrase') goodBy.set(it.id, [...(goodBy.get(it.id) ?? []), it.text]);
    for (const texts of goodBy.values()) {
      for (let i = 0; i < texts.length; i++) {
        for (let j = 0; j < i; j++) {
          pairs++;
          if (copiedShare(shingles(texts[i]!), shingles(texts[j]!)) >= COPY_THRESHOLD) falseCopies++;
        }
      }
    }
    console.log(
      `Team-written labelled set (for comparison; tuned on in the past): ${file} (${items.length} answers, ${new Set(items.map((i) => i.id)).size} bank questions)`,
    );
    printLabels(by);
    console.log(`  copied answers flagged ${copiedFlagged}/${copiedTotal}; distinct good answers flagged as copies ${falseCopies}/${pairs}`);
  } else {
    console.log(`Labelled set: ${file} not found`);
  }
  // Answers written after the key points were last authored and never used to tune them: how the
  // grader does on wrong answers nobody wrote counter-phrases for.
  const heldOut = 'test/grading/heldout.jsonl';
  if (existsSync(heldOut)) {
    const items = readJsonl(heldOut);
    const by = new Map<string, number[]>();
    for (const it of items) {
      const q = bank.get(it.id);
      if (q) by.set(it.label, [...(by.get(it.label) ?? []), grade(q, it.text).quality]);
    }
    console.log(
      `Team-written held-out set: ${heldOut} (${items.length} answers, ${new Set(items.map((i) => i.id)).size} bank questions; never used to write key points)`,
    );
    printLabels(by);
  }
  const samples = bank.all().map((q) => ({ q, best: Math.max(...q.sampleAnswers.map((a) => grade(q, a.text).quality)) }));
  const low = samples.filter((s) => s.best < 0.85);
  console.log(
    `Sample answers graded as answers: mean best quality ${f(mean(samples.map((s) => s.best)))}; ${samples.length - low.length}/${samples.length} questions ≥ 0.85   target: all  ${mark(low.length === 0)}`,
  );
  if (low.length) console.log(`  below 0.85: ${low.map((s) => `${s.q.id} ${s.best.toFixed(2)}`).join(', ')}`);
}

/**
 * A bank question as a member would have suggested it: its prompt, one sample answer (the first
 * from a seed, written by other people), and key points drafted as an approved suggestion's are.
 */
function asSuggested(q: Question, mode: 'sample' | 'points'): Question {
  const sample = q.sampleAnswers.find((a) => a.source) ?? q.sampleAnswers[0]!;
  const points = mode === 'points' ? q.keyPoints.filter((k) => !k.bonus).map((k) => k.point) : [];
  return {
    ...q,
    keyPoints: suggestedKeyPoints(points, sample.text, `${q.title} ${q.prompt}`),
    sampleAnswers: [{ source: null, text: sample.text }],
    aliases: [],
    author: { id: 'member', name: 'Member' },
  };
}

async function benchDrafted(bank: Bank): Promise<void> {
  const tuned = ADVERSARIAL.filter(([, what]) => !isHeldOut(what)).map(([file]) => file);
  const held = ADVERSARIAL.filter(([, what]) => isHeldOut(what)).map(([file]) => file);
  for (const [mode, how] of [
    ['sample', 'key points drafted from a seed sample answer (a suggestion without key points)'],
    ['points', 'the required points’ statements as a member’s key points, phrases drafted'],
  ] as const) {
    const suggested = new Map(bank.all().map((q) => [q.id, asSuggested(q, mode)]));
    for (const [files, what] of [
      [tuned, 'tuned sets'],
      [held, 'HELD-OUT sets (never tuned on)'],
    ] as const) {
      const items = files.filter((file) => existsSync(file)).flatMap(readJsonl);
      await prefetch(answersOf(items, (id) => suggested.get(id)));
      const by = new Map<string, number[]>();
      for (const it of items) {
        const q = suggested.get(it.id);
        if (q) by.set(it.label, [...(by.get(it.label) ?? []), grade(q, it.text).quality]);
      }
      console.log(`Suggested questions, ${how}; ${what} (${items.length} answers)`);
      printLabels(by);
    }
  }
}

console.log(
  model ? `Grader: the model grader (QUIZBOT_GRADER=openai, ${graderConfig!.model}); answers it cannot grade are graded lexically` : 'Grader: lexical',
);
await benchMohler();
const bank = await loadBank();
await benchAdversarial(bank);
await benchLabelled(bank);
await benchDrafted(bank);
if (model) console.log(`Model grader: ${modelCount.graded} answers graded by the model, ${modelCount.lexical} lexically (it could not grade them)`);
