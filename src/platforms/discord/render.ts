/** Core output → Discord message payloads (embeds, buttons), within Discord's limits. */
import { ButtonStyle, ComponentType, type APIEmbed, type APIActionRowComponent, type APIButtonComponent } from 'discord.js';
import type { QuestionPost, RevealView } from '../../core/ports.js';
import type { Board } from '../../core/types.js';
import { packLines, splitText } from '../split.js';

export const MESSAGE_MAX = 2000;
export const EMBED_DESCRIPTION_MAX = 4096;
export const EMBED_TITLE_MAX = 256;
const COLOR = 0x5865f2;

export interface DiscordPayload {
  content?: string;
  embeds?: APIEmbed[];
  components?: APIActionRowComponent<APIButtonComponent>[];
}

const clip = (s: string, n: number) => (s.length > n ? `${s.slice(0, n - 1)}…` : s);

export function answerButtonId(roundId: string): string {
  return `qb:answer:${roundId}`;
}

export function questionPayload(post: QuestionPost): DiscordPayload {
  const { round, question: q } = post;
  const fields = [
    { name: 'Topics', value: q.topics.join(', '), inline: true },
    { name: 'Level', value: `${q.level} · ${q.kind}`, inline: true },
  ];
  if (round.revealAt !== null) fields.push({ name: 'Reveal', value: `<t:${Math.floor(round.revealAt / 1000)}:F> (<t:${Math.floor(round.revealAt / 1000)}:R>)`, inline: false });
  return {
    embeds: [
      {
        title: clip(`${round.mode === 'practice' ? '🧪 Practice' : '📌 Question of the day'}: ${q.title}`, EMBED_TITLE_MAX),
        description: clip(`${q.prompt}\n\nAnswer in the thread below, or privately with the button (hidden until the reveal).`, EMBED_DESCRIPTION_MAX),
        color: COLOR,
        fields,
        footer: { text: post.requestedBy ? `Asked for by ${post.requestedBy.name}` : `Round ${round.localDate}` },
      },
    ],
    components: [
      {
        type: ComponentType.ActionRow,
        components: [{ type: ComponentType.Button, style: ButtonStyle.Primary, custom_id: answerButtonId(round.id), label: 'Answer privately' }],
      },
    ],
  };
}

export function threadName(post: QuestionPost): string {
  return clip(post.question.title, 100);
}

/** The reveal as a sequence of messages: sample answers as embeds, then key points and feedback. */
export function revealPayloads(view: RevealView): DiscordPayload[] {
  const { question: q, feedback } = view;
  const out: DiscordPayload[] = [];
  q.sampleAnswers.forEach((a, i) => {
    const parts = splitText(a.text, EMBED_DESCRIPTION_MAX);
    parts.forEach((part, j) => {
      const embed: APIEmbed = { description: part, color: COLOR };
      if (j === 0) embed.title = clip(`🔓 ${q.title} — sample answer${q.sampleAnswers.length > 1 ? ` ${i + 1}` : ''}`, EMBED_TITLE_MAX);
      if (j === parts.length - 1 && a.source) embed.footer = { text: `Source: ${a.source}` };
      out.push({ embeds: [embed] });
    });
  });
  if (q.editorNote) for (const part of splitText(q.editorNote, EMBED_DESCRIPTION_MAX)) out.push({ embeds: [{ title: '✏️ Editor’s note', description: part, color: 0xfee75c }] });
  const lines = ['**Key points**', ...q.keyPoints.map((k) => `• ${k.point}`), ''];
  if (feedback.length === 0) lines.push('Nobody answered this time.');
  else {
    lines.push('**Your answers**');
    for (const f of feedback) {
      lines.push(`**${f.member.name}**${f.private ? ' (answered privately)' : ''}: ${f.points} pts, ${f.covered.length}/${f.covered.length + f.missed.length} key points`);
      if (f.private) lines.push(...f.text.split('\n').map((l) => `> ${l}`));
      if (f.covered.length) lines.push(`  ✅ ${f.covered.map((k) => k.point).join('; ')}`);
      if (f.missed.length) lines.push(`  ❌ ${f.missed.map((k) => k.point).join('; ')}`);
      if (f.flags.length) lines.push(`  ⚠️ ${f.flags.join(', ')}`);
    }
  }
  lines.push('', 'The thread stays open for discussion.');
  for (const chunk of packLines(lines, MESSAGE_MAX)) out.push({ content: chunk });
  return out;
}

export function boardEmbed(board: Board): APIEmbed {
  const scope = board.scope.kind === 'group' ? `group ${board.scope.group}` : board.scope.kind;
  const lines = board.top.length ? board.top.map((e) => `**${e.rank}.** ${e.name} — ${e.points} pts`) : ['No points yet.'];
  if (board.caller && !board.top.some((e) => e.memberId === board.caller!.memberId)) lines.push('…', `**${board.caller.rank}.** ${board.caller.name} — ${board.caller.points} pts (you)`);
  return { title: `🏆 Leaderboard — ${scope}, ${board.period === 'all' ? 'all time' : board.periodKey}`, description: clip(lines.join('\n'), EMBED_DESCRIPTION_MAX), color: COLOR };
}

/** Marks a reveal part so a resumed reveal can find the parts already sent (footer "part i of n"). */
export function withRevealMarker(p: DiscordPayload, part: number, total: number): DiscordPayload {
  const marker = `part ${part + 1} of ${total}`;
  const embeds = p.embeds?.length ? p.embeds.map((e) => ({ ...e })) : [{ description: p.content ?? '', color: COLOR }];
  const last = embeds[embeds.length - 1]!;
  last.footer = { text: last.footer?.text ? `${last.footer.text} · ${marker}` : marker };
  return { ...(p.components ? { components: p.components } : {}), embeds };
}

/** The "part i of n" marker of a message, if it is a reveal part. */
export function revealMarkerOf(m: { embeds?: { footer?: { text?: string } }[] }): string | null {
  const text = m.embeds?.[m.embeds.length - 1]?.footer?.text ?? '';
  const match = /part (\d+) of (\d+)$/.exec(text);
  return match ? match[0] : null;
}
