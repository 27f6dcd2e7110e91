/**
 * `content check` lint for key-point phrases: things that make the grader reward the wrong
 * answers. Warnings (a failure with --strict, which CI uses):
 * - normalisation drops a meaningful word of a phrase (only articles and the like may go);
 * - a phrase is a single common word (it appears in many questions' sample answers);
 * - a key point is covered by the sample answer of an unrelated question but not by its own;
 * - a counter-phrase fires on the sample answer of an unrelated question (correct text, so the
 *   counter is too generic: a false hit costs an answer the point and two more);
 * - a counter-phrase fires on its own question's sample answer (the curated answer would lose the
 *   point it makes) — but for a seed answer an editor's note corrects, where it is expected.
 */
import { analyse, judgePoint, occurrences, phraseWords, writtenWords } from './grading.js';
import type { Question } from './types.js';

/** Words a phrase may lose to normalisation without changing what it says. */
const TRIVIAL = new Set(
  ('a an the of to and or is are was were be been being am it its in into on onto for with as by at from that this these those ' +
    'i me my we us our you your they them their he him his she her there here so such too very just also then if when while ' +
    'do does did has have had can could will would shall should may might must which who whom what how why where than')
    .split(/\s+/),
);
/** A single word that appears in this share of questions' sample answers is too common to be a phrase. */
const COMMON_SHARE = 0.2;

export interface LintWarning {
  file: string;
  where: string;
  message: string;
}

export function lintBank(questions: readonly Question[]): LintWarning[] {
  const out: LintWarning[] = [];
  const samples = new Map(questions.map((q) => [q.id, analyse(q.sampleAnswers.map((a) => a.text).join('\n'))]));
  // How many questions' sample answers use each word (by canonical stem).
  const df = new Map<string, number>();
  for (const words of samples.values()) for (const c of new Set(words.map((w) => w.canon))) df.set(c, (df.get(c) ?? 0) + 1);
  const common = (canon: string) => (df.get(canon) ?? 0) / Math.max(1, questions.length) >= COMMON_SHARE;

  for (const q of questions) {
    // (A seed answer an editor's note corrects says the misconception: a counter is for it.)
    const trusted = q.sampleAnswers.filter((a) => !(q.editorNote && a.source)).map((a) => analyse(a.text));
    q.keyPoints.forEach((k, i) => {
      for (const field of ['phrases', 'negated', 'counter'] as const) {
        (k[field] ?? []).forEach((p, j) => {
          const where = `keyPoints[${i}].${field}[${j}]`;
          // Every written word (clause words such as "because" included) against what matching keeps.
          const kept = new Set(phraseWords(p).map((w) => w.raw));
          const dropped = writtenWords(p).filter((w) => !kept.has(w) && !TRIVIAL.has(w));
          if (dropped.length) out.push({ file: q.file, where, message: `“${p}” loses ${dropped.map((d) => `“${d}”`).join(', ')} when matched; rephrase without it` });
          const pw = phraseWords(p);
          if (field === 'counter') {
            if (trusted.some((ws) => occurrences(p, ws).some((m) => !m.negated))) out.push({ file: q.file, where, message: `counter “${p}” fires on this question's own sample answer (it matches as “${pw.map((w) => w.raw).join(' ')}”): the curated answer would lose the point; make it say the wrong claim itself` });
            const fires = questions.find((o) => o !== q && !o.topics.some((t) => q.topics.includes(t)) && occurrences(p, samples.get(o.id)!).some((m) => !m.negated));
            if (fires) out.push({ file: q.file, where, message: `counter “${p}” fires on “${fires.id}”'s sample answer (correct text): it matches as “${pw.map((w) => w.raw).join(' ')}”; make it say the wrong claim itself` });
          }
          if (field !== 'counter' && pw.length === 1 && common(pw[0]!.canon)) {
            const alone = pw[0]!.raw === p.trim().toLowerCase() ? `“${p}” is a single common word` : `“${p}” matches as the single common word “${pw[0]!.raw}”`;
            out.push({ file: q.file, where, message: `${alone} (in ${df.get(pw[0]!.canon)} questions' sample answers): any answer using it earns the point` });
          }
        });
      }
      // A point its own sample answers miss but an unrelated question's sample answer covers.
      // Each sample answer on its own: a second sample's misconception must not hide the first's coverage.
      if (q.sampleAnswers.some((a) => judgePoint(k, a.text, analyse(a.text)).covered)) return;
      for (const other of questions) {
        if (other === q || other.topics.some((t) => q.topics.includes(t))) continue;
        const text = other.sampleAnswers.map((a) => a.text).join('\n');
        const r = judgePoint(k, text, samples.get(other.id)!);
        if (r.covered) {
          out.push({ file: q.file, where: `keyPoints[${i}]`, message: `“${k.id}” is not covered by this question's sample answers but is by “${other.id}”'s (“${r.evidence}”): its phrases match the wrong topic` });
          break;
        }
      }
    });
  }
  return out;
}
