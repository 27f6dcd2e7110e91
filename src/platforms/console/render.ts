/** Plain-text rendering of core views for the terminal transcript. */
import type { QuestionPost, RevealView } from '../../core/ports.js';
import type { Board, BoardScope } from '../../core/types.js';

export function renderQuestion(post: QuestionPost): string[] {
  const { question: q, round } = post;
  const lines = [
    `📌 ${round.mode === 'practice' ? 'Practice question' : `Question of the day (${round.localDate})`}: ${q.title}`,
    `   ${q.level} · ${q.kind} · ${q.topics.join(', ')}`,
    '',
    ...indent(q.prompt),
    '',
    round.revealAt !== null
      ? `   Reply in the thread. The answer is revealed at ${new Date(round.revealAt).toISOString().replace('T', ' ').slice(0, 16)} UTC.`
      : '   Reply in the thread. Reveal with /quiz reveal.',
  ];
  if (post.requestedBy) lines.push(`   (asked for by ${post.requestedBy.name})`);
  return lines;
}

export function renderReveal(view: RevealView): string[] {
  const { question: q, feedback } = view;
  const lines = [`🔓 Reveal: ${q.title}`, ''];
  q.sampleAnswers.forEach((a, i) => {
    lines.push(q.sampleAnswers.length > 1 ? `   Sample answer ${i + 1}${a.source ? ` (${a.source})` : ''}:` : '   Sample answer:');
    lines.push(...indent(a.text, '     '));
    lines.push('');
  });
  if (q.editorNote) lines.push(`   Editor's note: ${q.editorNote}`, '');
  lines.push('   Key points:');
  for (const k of q.keyPoints) lines.push(`     • ${k.point}`);
  lines.push('');
  if (feedback.length === 0) {
    lines.push('   Nobody answered this time.');
  } else {
    lines.push('   Your answers:');
    for (const f of feedback) {
      const tag = f.private ? ' (answered privately)' : '';
      lines.push(`     ${f.member.name}${tag}: ${f.points} pts, ${f.covered.length}/${f.covered.length + f.missed.length} key points`);
      if (f.private) lines.push(...indent(`“${f.text}”`, '       '));
      if (f.covered.length) lines.push(`       ✓ ${f.covered.map((k) => k.point).join('; ')}`);
      if (f.missed.length) lines.push(`       ✗ ${f.missed.map((k) => k.point).join('; ')}`);
      const notes = f.flags.filter((x) => x !== 'empty');
      if (notes.length) lines.push(`       ! ${notes.map(flagText).join('; ')}`);
    }
  }
  return lines;
}

function flagText(flag: string): string {
  switch (flag) {
    case 'too-short':
      return 'too short to score';
    case 'keyword-salad':
      return 'a list of keywords scores less than an explanation';
    case 'echo':
      return 'mostly the question repeated';
    default:
      return flag;
  }
}

export function scopeLabel(scope: BoardScope): string {
  switch (scope.kind) {
    case 'channel':
      return `#${scope.channel.channelId}`;
    case 'server':
      return 'server';
    case 'practice':
      return 'practice';
    case 'group':
      return `group ${scope.group}`;
  }
}

export function renderBoard(board: Board): string[] {
  const when = board.period === 'all' ? 'all time' : board.periodKey;
  const lines = [`🏆 Leaderboard — ${scopeLabel(board.scope)}, ${when}`];
  if (board.top.length === 0) lines.push('   No points yet.');
  for (const e of board.top) lines.push(`   ${String(e.rank).padStart(2)}. ${e.name} — ${e.points} pts`);
  if (board.caller && !board.top.some((e) => e.memberId === board.caller!.memberId)) {
    lines.push('   …', `   ${String(board.caller.rank).padStart(2)}. ${board.caller.name} — ${board.caller.points} pts (you)`);
  }
  return lines;
}

export function indent(text: string, prefix = '   '): string[] {
  return text.split('\n').map((l) => (l.trim() === '' ? '' : prefix + l));
}
