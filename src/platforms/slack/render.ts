/** Core output → Slack Block Kit, within Slack's limits (≤ 50 blocks, ≤ 3,000 chars per section). */
import type { QuestionPost, RevealView } from '../../core/ports.js';
import type { Board } from '../../core/types.js';
import { packLines, splitText } from '../split.js';

export const SECTION_MAX = 3000;
export const BLOCKS_MAX = 50;
export const ANSWER_ACTION = 'qb_answer';
export const ANSWER_MODAL = 'qb_answer_modal';

export type Block = Record<string, unknown>;
export interface SlackMessage {
  text: string;
  blocks: Block[];
}

/** Escapes user and content text: `<!channel>`, `<@U…>`, `<!subteam^…>` become inert text. */
export function esc(s: string): string {
  return s.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;');
}

const section = (text: string): Block => ({ type: 'section', text: { type: 'mrkdwn', text, verbatim: true } });
const clip = (s: string, n: number) => (s.length > n ? `${s.slice(0, n - 1)}…` : s);

export function questionMessage(post: QuestionPost): SlackMessage {
  const { round, question: q } = post;
  const when =
    round.revealAt === null
      ? 'Reveal: when an admin runs `/quiz reveal`.'
      : `Reveal: <!date^${Math.floor(round.revealAt / 1000)}^{date_short_pretty} at {time}|${new Date(round.revealAt).toISOString()}>`;
  const heading = `${round.mode === 'practice' ? '🧪 Practice' : '📌 Question of the day'}: ${q.title}`;
  return {
    text: esc(`${heading} — ${q.prompt}`),
    blocks: [
      { type: 'header', text: { type: 'plain_text', text: clip(heading, 150), emoji: true } },
      ...splitText(esc(q.prompt), SECTION_MAX).map(section),
      { type: 'context', elements: [{ type: 'mrkdwn', text: esc(`${q.topics.join(', ')} · ${q.level} · ${q.kind}`) }, { type: 'mrkdwn', text: when }] },
      section('Answer in this thread, or privately (hidden until the reveal):'),
      { type: 'actions', elements: [{ type: 'button', action_id: ANSWER_ACTION, value: round.id, text: { type: 'plain_text', text: 'Answer privately' }, style: 'primary' }] },
    ],
  };
}

/** The reveal as one or more thread messages, each ≤ 50 blocks. */
export function revealMessages(view: RevealView): SlackMessage[] {
  const { question: q, feedback } = view;
  const blocks: Block[] = [{ type: 'header', text: { type: 'plain_text', text: clip(`🔓 ${q.title}`, 150), emoji: true } }];
  q.sampleAnswers.forEach((a, i) => {
    blocks.push(section(`*Sample answer${q.sampleAnswers.length > 1 ? ` ${i + 1}` : ''}*${a.source ? ` _(${esc(a.source)})_` : ''}`));
    for (const part of splitText(esc(a.text), SECTION_MAX)) blocks.push(section(part));
  });
  if (q.editorNote) for (const part of splitText(esc(`✏️ Editor's note: ${q.editorNote}`), SECTION_MAX)) blocks.push(section(part));
  blocks.push({ type: 'divider' });
  for (const part of packLines(['*Key points*', ...q.keyPoints.map((k) => `• ${esc(k.point)}`)], SECTION_MAX)) blocks.push(section(part));
  const lines: string[] = [];
  if (feedback.length === 0) lines.push('Nobody answered this time.');
  for (const f of feedback) {
    lines.push(`*${esc(f.member.name)}*${f.private ? ' (answered privately)' : ''}: ${f.points} pts, ${f.covered.length}/${f.covered.length + f.missed.length} key points`);
    if (f.private) lines.push(...esc(f.text).split('\n').map((l) => `> ${l}`));
    if (f.covered.length) lines.push(`   ✅ ${esc(f.covered.map((k) => k.point).join('; '))}`);
    if (f.missed.length) lines.push(`   ❌ ${esc(f.missed.map((k) => k.point).join('; '))}`);
  }
  for (const part of packLines(lines, SECTION_MAX)) blocks.push(section(part));
  const out: SlackMessage[] = [];
  for (let i = 0; i < blocks.length; i += BLOCKS_MAX) {
    out.push({ text: i === 0 ? esc(`Reveal: ${q.title}`) : esc(`Reveal: ${q.title} (continued)`), blocks: blocks.slice(i, i + BLOCKS_MAX) });
  }
  return out;
}

export function boardText(board: Board): string {
  const scope = board.scope.kind === 'group' ? `group ${board.scope.group}` : board.scope.kind;
  const lines = [`🏆 *Leaderboard — ${esc(scope)}, ${board.period === 'all' ? 'all time' : board.periodKey}*`];
  if (board.top.length === 0) lines.push('No points yet.');
  for (const e of board.top) lines.push(`${e.rank}. ${esc(e.name)} — ${e.points} pts`);
  if (board.caller && !board.top.some((e) => e.memberId === board.caller!.memberId)) lines.push('…', `${board.caller.rank}. ${esc(board.caller.name)} — ${board.caller.points} pts (you)`);
  return lines.join('\n');
}

export function answerModal(roundId: string, channel: string): Block {
  return {
    type: 'modal',
    callback_id: ANSWER_MODAL,
    private_metadata: JSON.stringify({ roundId, channel }),
    title: { type: 'plain_text', text: 'Your answer' },
    submit: { type: 'plain_text', text: 'Save' },
    close: { type: 'plain_text', text: 'Cancel' },
    blocks: [
      { type: 'input', block_id: 'answer', label: { type: 'plain_text', text: 'Hidden until the reveal' }, element: { type: 'plain_text_input', action_id: 'text', multiline: true, max_length: 3000 } },
    ],
  };
}
