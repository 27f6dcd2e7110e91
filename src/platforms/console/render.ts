/** Core view models → plain text for the terminal transcript (same wording as Discord and Slack). */
import type { RoundChoice } from '../../core/commands/index.js';
import type { NoticeView } from '../../core/ports.js';
import type { BoardViewModel, QuestionViewModel, RevealViewModel } from '../../core/text/views.js';

const utc = (ms: number) => `${new Date(ms).toISOString().replace('T', ' ').slice(0, 16)} UTC`;

export function renderQuestion(v: QuestionViewModel): string[] {
  return [
    `${v.practice ? '🧪' : '📌'} ${v.heading}`,
    `   ${v.meta}`,
    '',
    ...indent(v.prompt),
    '',
    `   ${v.howToAnswer.replace('with the button', 'with /private <answer>')}`,
    `   ${v.revealAt !== null ? `Reveal: ${utc(v.revealAt)}.` : v.manualReveal}`,
    `   (${v.footer})`,
  ];
}

export function renderReveal(v: RevealViewModel): string[] {
  const lines = [`🔓 ${v.heading}`, ''];
  for (const s of v.samples) {
    lines.push(`   ${s.heading}${s.credit ? ` (${s.credit})` : ''}:`);
    lines.push(...indent(s.text, '     '));
    lines.push('');
  }
  if (v.editorNote) lines.push(`   ${v.editorNoteHeading}:`, ...indent(v.editorNote, '     '), '');
  lines.push(`   ${v.keyPointsHeading}:`);
  for (const k of v.keyPoints) lines.push(`     • ${k}`);
  lines.push('');
  if (v.empty) lines.push(`   ${v.empty}`);
  else {
    lines.push(`   ${v.answersHeading}:`);
    for (const a of v.answers) {
      lines.push(`     ${a.who}: ${a.score}`);
      if (a.quote !== null) lines.push(...indent(`“${a.quote}”`, '       '));
      for (const c of a.covered) lines.push(`       ✅ ${c}`);
      for (const m of a.missed) lines.push(`       ❌ ${m}`);
      for (const n of a.notes) lines.push(`       ⚠️ ${n}`);
    }
  }
  lines.push('', `   ${v.closing}`);
  return lines;
}

export function renderBoard(v: BoardViewModel): string[] {
  const lines = [`🏆 ${v.title}`];
  if (v.empty) lines.push(`   ${v.empty}`);
  for (const r of v.rows) lines.push(`   ${String(r.rank).padStart(2)}. ${r.name} — ${r.pointsText}`);
  return lines;
}

export function renderChoices(text: string, choices: RoundChoice[]): string[] {
  return [text, ...choices.map((c) => `   ${c.index}. ${c.label}`), '   Reveal one with /quiz reveal <number>.'];
}

export function indent(text: string, prefix = '   '): string[] {
  return text.split('\n').map((l) => (l.trim() === '' ? '' : prefix + l));
}

export function renderNotice(n: NoticeView, inThread = false): string[] {
  return [`${inThread ? '↳ ' : ''}${n.title}`, ...n.lines.map((l) => `   ${l}`)];
}
