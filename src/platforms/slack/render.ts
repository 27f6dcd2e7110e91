/**
 * Core view models → Slack Block Kit, within Slack's limits: ≤ 50 blocks per message, ≤ 3,000
 * characters per section, ≤ 150 per header, and ≤ 12,000 characters of block text per message in
 * total (`msg_blocks_too_long` beyond, bolt-js#2509). A long reveal continues in follow-up
 * messages; nothing is dropped. Only markup and splitting live here; every sentence comes from
 * the view model (src/core/text/views.ts).
 */
import type { RoundChoice } from '../../core/commands/index.js';
import type { NoticeView } from '../../core/ports.js';
import { TEXTS } from '../../core/text/texts.js';
import type { BoardViewModel, QuestionViewModel, RevealViewModel } from '../../core/text/views.js';
import { clip, packLines, splitText } from '../split.js';
import { SUGGESTION_LIMITS } from '../../content/authoring.js';

export const SECTION_MAX = 3000;
export const HEADER_MAX = 150;
export const BLOCKS_MAX = 50;
/** Slack's limit on all text in one message's blocks is ~12,000; a margin keeps us clear of it. */
export const MESSAGE_TEXT_MAX = 11_000;
export const BUTTON_TEXT_MAX = 75;
export const ANSWER_ACTION = 'qb_answer';
export const ANSWER_MODAL = 'qb_answer_modal';
/** Reveal-choice buttons: `qb_reveal_<n>`, value = round id. */
export const REVEAL_ACTION_PREFIX = 'qb_reveal_';

export type Block = Record<string, unknown>;
export interface SlackMessage {
  text: string;
  blocks: Block[];
}

/** Escapes user and content text: `<!channel>`, `<@U…>`, `<!subteam^…>` become inert text. */
export function esc(s: string): string {
  return s.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;');
}

/**
 * Content Markdown → Slack mrkdwn, escaped: `**bold**` → `*bold*`, `*italic*`/`_italic_` →
 * `_italic_` (in mrkdwn a single `*` is bold, so italics would otherwise turn bold).
 */
export function mrkdwn(markdown: string): string {
  const BOLD = '\u0001';
  return esc(markdown)
    .replace(/\*\*(?=\S)([^*\n]+?)\*\*/g, `${BOLD}$1${BOLD}`)
    .replace(/(^|[^\w*])\*(?=\S)([^*\n]+?)\*(?![\w*])/g, '$1_$2_')
    .replace(/^#{1,6}\s+(.+)$/gm, `${BOLD}$1${BOLD}`)
    .replaceAll(BOLD, '*');
}

const section = (text: string): Block => ({ type: 'section', text: { type: 'mrkdwn', text, verbatim: true } });
const header = (text: string): Block => ({ type: 'header', text: { type: 'plain_text', text: clip(text, HEADER_MAX), emoji: true } });

/** Characters of text a block carries, counted the way Slack's total limit counts them. */
export function blockText(b: Block): number {
  let n = 0;
  const walk = (x: unknown): void => {
    if (Array.isArray(x)) x.forEach(walk);
    else if (x && typeof x === 'object') {
      for (const [k, v] of Object.entries(x)) {
        if (k === 'text' && typeof v === 'string') n += v.length;
        else walk(v);
      }
    }
  };
  walk(b);
  return n;
}

const revealTime = (ms: number) => `<!date^${Math.floor(ms / 1000)}^{date_short_pretty} at {time}|${new Date(ms).toISOString()}>`;

/** The question post; once revealed, without its button and with the revealed note. */
export function questionMessage(v: QuestionViewModel): SlackMessage {
  const when = v.revealAt === null ? esc(v.manualReveal) : `Reveal: ${revealTime(v.revealAt)}`;
  const blocks: Block[] = [
    header(`${v.practice ? '🧪' : '📌'} ${v.heading}`),
    ...splitText(mrkdwn(v.prompt), SECTION_MAX).map(section),
    {
      type: 'context',
      elements: [
        { type: 'mrkdwn', text: esc(v.meta) },
        { type: 'mrkdwn', text: when },
        { type: 'mrkdwn', text: esc(v.footer) },
      ],
    },
  ];
  // The opt-in notify user group: the only mention quizbot sends (every other text is escaped).
  const ping = v.mention ? `<!subteam^${v.mention}>` : null;
  if (ping) blocks.push(section(`${ping} ${esc(v.notifyHint)}`));
  if (v.revealedNote) blocks.push(section(`✅ ${esc(v.revealedNote)}`));
  else {
    blocks.push(section(esc(v.howToAnswer)));
    blocks.push({
      type: 'actions',
      elements: [
        {
          type: 'button',
          action_id: ANSWER_ACTION,
          value: v.roundId,
          text: { type: 'plain_text', text: clip(v.answerButton, BUTTON_TEXT_MAX) },
          style: 'primary',
        },
      ],
    });
  }
  return { text: `${ping ? `${ping} ` : ''}${esc(`${v.heading} — ${clip(v.prompt, 300)}`)}`, blocks };
}

/** Packs blocks into messages within the block count and the total text limit. */
export function packBlocks(blocks: Block[], fallback: (i: number) => string): SlackMessage[] {
  const out: SlackMessage[] = [];
  let cur: Block[] = [];
  let size = 0;
  for (const b of blocks) {
    const n = blockText(b);
    if (cur.length > 0 && (cur.length >= BLOCKS_MAX || size + n > MESSAGE_TEXT_MAX)) {
      out.push({ text: fallback(out.length), blocks: cur });
      cur = [];
      size = 0;
    }
    cur.push(b);
    size += n;
  }
  if (cur.length) out.push({ text: fallback(out.length), blocks: cur });
  return out;
}

/** The reveal as one or more thread messages, each within Slack's limits. */
export function revealMessages(v: RevealViewModel): SlackMessage[] {
  const blocks: Block[] = [header(`🔓 ${v.heading}`)];
  for (const s of v.samples) {
    blocks.push(section(`*${esc(s.heading)}*${s.credit ? ` _(${esc(s.credit)})_` : ''}`));
    for (const part of splitText(mrkdwn(s.text), SECTION_MAX)) blocks.push(section(part));
  }
  if (v.editorNote) for (const part of splitText(`✏️ *${esc(v.editorNoteHeading)}:* ${mrkdwn(v.editorNote)}`, SECTION_MAX)) blocks.push(section(part));
  blocks.push({ type: 'divider' });
  for (const part of packLines([`*${esc(v.keyPointsHeading)}*`, ...v.keyPoints.map((k) => `• ${esc(k)}`)], SECTION_MAX)) blocks.push(section(part));
  const lines: string[] = [];
  if (v.empty) lines.push(esc(v.empty));
  else lines.push(`*${esc(v.answersHeading)}*`);
  for (const a of v.answers) {
    lines.push(`*${esc(a.who)}*: ${esc(a.score)}`);
    if (a.quote !== null)
      lines.push(
        ...esc(a.quote)
          .split('\n')
          .map((l) => `> ${l}`),
      );
    for (const c of a.covered) lines.push(`   ✅ ${esc(c)}`);
    for (const m of a.missed) lines.push(`   ❌ ${esc(m)}`);
    for (const n of a.notes) lines.push(`   ⚠️ _${esc(n)}_`);
  }
  lines.push('', esc(v.closing));
  for (const part of packLines(lines, SECTION_MAX)) blocks.push(section(part));
  return packBlocks(blocks, (i) => esc(i === 0 ? v.heading : `${v.heading} (continued)`));
}

export function boardText(v: BoardViewModel): string {
  const lines = [`🏆 *${esc(v.title)}*`];
  if (v.empty) lines.push(esc(v.empty));
  for (const r of v.rows) lines.push(`${r.rank}. ${esc(r.name)} — ${esc(r.pointsText)}`);
  return lines.join('\n');
}

/** Several open rounds: one button per round (clicking reveals that one). */
export function chooseRoundBlocks(text: string, choices: RoundChoice[]): Block[] {
  return [
    section(esc(text)),
    {
      type: 'actions',
      elements: choices.slice(0, 25).map((c) => ({
        type: 'button',
        action_id: `${REVEAL_ACTION_PREFIX}${c.index}`,
        value: c.roundId,
        text: { type: 'plain_text', text: clip(c.label, BUTTON_TEXT_MAX) },
      })),
    },
  ];
}

export function answerModal(roundId: string, channel: string): Block {
  return {
    type: 'modal',
    callback_id: ANSWER_MODAL,
    private_metadata: JSON.stringify({ roundId, channel }),
    title: { type: 'plain_text', text: TEXTS.privateForm.shortTitle },
    submit: { type: 'plain_text', text: TEXTS.privateForm.submit },
    close: { type: 'plain_text', text: TEXTS.privateForm.cancel },
    blocks: [
      {
        type: 'input',
        block_id: 'answer',
        label: { type: 'plain_text', text: TEXTS.privateForm.hint },
        element: { type: 'plain_text_input', action_id: 'text', multiline: true, max_length: 3000 },
      },
    ],
  };
}

export const SUGGEST_MODAL = 'qb_suggest';

/** `/quiz suggest` with nothing after it: the suggestion form (limits from content/authoring.ts). */
export function suggestModal(channel: string): Block {
  const f = TEXTS.suggestForm;
  const L = SUGGESTION_LIMITS;
  const input = (id: string, label: string, [min, max]: readonly [number, number], multiline: boolean, optional = false) => ({
    type: 'input',
    block_id: id,
    ...(optional ? { optional: true } : {}),
    label: { type: 'plain_text', text: label },
    element: { type: 'plain_text_input', action_id: 'value', multiline, ...(min > 0 ? { min_length: min } : {}), max_length: max },
  });
  return {
    type: 'modal',
    callback_id: SUGGEST_MODAL,
    private_metadata: JSON.stringify({ channel }),
    title: { type: 'plain_text', text: f.title },
    submit: { type: 'plain_text', text: f.submit },
    close: { type: 'plain_text', text: f.cancel },
    blocks: [
      input('title', f.questionTitle, L.title, false),
      input('question', f.question, L.question, true),
      input('sample', f.sample, L.sample, true),
      { ...input('keyPoints', f.keyPoints, L.keyPointsText, true, true), hint: { type: 'plain_text', text: f.keyPointsHint } },
    ],
  };
}

/** A recap or a reminder: a header and the lines, escaped (member names never mention anyone). */
export function noticeMessage(n: NoticeView): SlackMessage {
  const blocks: Block[] = [header(n.title)];
  for (const part of packLines(
    n.lines.map((l) => esc(l)),
    SECTION_MAX,
  ))
    blocks.push(section(part));
  return { text: esc(`${n.title} — ${clip(n.lines.join(' · '), 300)}`), blocks };
}
