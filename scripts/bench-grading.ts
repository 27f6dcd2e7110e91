/**
 * `npm run bench:grading [-- <mohler-layout.csv> [--keypoints <file.yaml>]]`
 *
 * 1. Any dataset in the Mohler CSV layout (id, question, desired_answer, student_answer, score_me,
 *    score_other, score_avg): grades every student answer against key points written from the
 *    question and reference answer only (bench/mohler-keypoints.yaml by default) and prints Pearson
 *    and Spearman correlation with the human average, the humans' agreement with each other, and the
 *    mean quality of answers humans scored ≥ 4.5. The dataset is read from the given path only.
 * 2. The project's labelled set (test/grading/labelled.jsonl, bank questions): mean quality per label
 *    (good, partial, paraphrase, wrong-right-words, negated, salad, copied, off-topic), each sample
 *    answer graded as an answer, and copy detection — against the issue's targets.
 * 3. The held-out set (test/grading/heldout.jsonl): answers written after the key points, never
 *    used to tune them.
 * Everything is measured in this one run; nothing is asserted here (tests check behaviour).
 */
import { readFileSync, existsSync } from 'node:fs';
import { parse as parseCsv } from 'csv-parse/sync';
import { parse as parseYaml } from 'yaml';
import { COPY_THRESHOLD, copiedShare, grade, shingles } from '../src/content/grading.js';
import { loadBank } from '../src/content/loader.js';
import type { KeyPoint, Question } from '../src/content/types.js';

const args = process.argv.slice(2);
const kpAt = args.indexOf('--keypoints');
const keypointsFile = kpAt >= 0 ? args[kpAt + 1]! : 'bench/mohler-keypoints.yaml';
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

function benchMohler(): void {
  if (!existsSync(csvPath)) {
    console.log(`Mohler-layout data: ${csvPath} not found (pass its path as the first argument)`);
    return;
  }
  if (!existsSync(keypointsFile)) {
    console.log(`Mohler-layout data: no key points file ${keypointsFile}`);
    return;
  }
  const rows: Record<string, string>[] = parseCsv(readFileSync(csvPath, 'utf8'), { columns: true, skip_empty_lines: true });
  const kps = parseYaml(readFileSync(keypointsFile, 'utf8')) as Record<string, Omit<KeyPoint, 'id'>[]>;
  const questions = new Map<string, Question>();
  const qualities: number[] = [];
  const humans: number[] = [];
  const me: number[] = [];
  const other: number[] = [];
  let skipped = 0;
  for (const r of rows) {
    const points = kps[r.id!];
    if (!points) {
      skipped++;
      continue;
    }
    let q = questions.get(r.id!);
    if (!q) {
      q = {
        id: r.id!,
        title: r.question!.slice(0, 80),
        topics: ['mohler'],
        aliases: [],
        level: 'junior',
        kind: 'technical',
        sources: [],
        keyPoints: points.map((p, i) => ({ ...p, id: `k${i}` })),
        prompt: r.question!,
        lookFor: '',
        sampleAnswers: [{ source: null, text: r.desired_answer! }],
        editorNote: null,
        file: keypointsFile,
      };
      questions.set(r.id!, q);
    }
    qualities.push(grade(q, r.student_answer!).quality);
    humans.push(Number(r.score_avg));
    me.push(Number(r.score_me));
    other.push(Number(r.score_other));
  }
  const top = qualities.filter((_, i) => humans[i]! >= 4.5);
  const r = pearson(qualities, humans);
  console.log(
    `Mohler-layout data: ${csvPath} (${qualities.length} answers, ${questions.size} questions${skipped ? `, ${skipped} without key points skipped` : ''}; key points: ${keypointsFile})`,
  );
  console.log(`  Pearson r (grader vs human average)     ${f(r)}   target ≥ 0.62  ${mark(r >= 0.62)}`);
  console.log(`  Spearman ρ (grader vs human average)    ${f(spearman(qualities, humans))}`);
  console.log(`  Pearson r between the two human graders ${f(pearson(me, other))}`);
  console.log(`  mean quality of answers humans scored ≥ 4.5 (${top.length})  ${f(mean(top))}   target ≥ 0.75  ${mark(mean(top) >= 0.75)}`);
  console.log(
    `  mean quality of answers humans scored ≤ 2 (${qualities.filter((_, i) => humans[i]! <= 2).length})      ${f(mean(qualities.filter((_, i) => humans[i]! <= 2)))}`,
  );
}

interface Labelled {
  id: string;
  label: string;
  text: string;
  original?: string;
}

const TARGETS: Record<string, { max?: number; min?: number }> = {
  'wrong-right-words': { max: 0.35 },
  negated: { max: 0.35 },
  salad: { max: 0.35 },
  paraphrase: { min: 0.45 },
};

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
    const target = t ? (t.max !== undefined ? `target ≤ ${t.max}  ${mark(m <= t.max)}` : `target ≥ ${t.min}  ${mark(m >= t.min!)}`) : '';
    console.log(`  ${label.padEnd(18)} n=${String(qs.length).padStart(3)}  mean quality ${f(m)}   ${target}`);
  }
}

async function benchLabelled(): Promise<void> {
  const file = 'test/grading/labelled.jsonl';
  const bank = await loadBank();
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
    console.log(`Labelled set: ${file} (${items.length} answers, ${new Set(items.map((i) => i.id)).size} bank questions)`);
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
    console.log(`Held-out set: ${heldOut} (${items.length} answers, ${new Set(items.map((i) => i.id)).size} bank questions; never used to write key points)`);
    printLabels(by);
  }
  const samples = bank.all().map((q) => ({ q, best: Math.max(...q.sampleAnswers.map((a) => grade(q, a.text).quality)) }));
  const low = samples.filter((s) => s.best < 0.85);
  console.log(
    `Sample answers graded as answers: mean best quality ${f(mean(samples.map((s) => s.best)))}; ${samples.length - low.length}/${samples.length} questions ≥ 0.85   target: all  ${mark(low.length === 0)}`,
  );
  if (low.length) console.log(`  below 0.85: ${low.map((s) => `${s.q.id} ${s.best.toFixed(2)}`).join(', ')}`);
}

benchMohler();
await benchLabelled();
