/**
 * Core view models → Discord message payloads (embeds, buttons), within Discord's limits. Only
 * markup and splitting live here; every sentence comes from the view model (src/core/text/views.ts).
 */
import { commandHints } from '../../core/text/hints.js';
import {
  ActionRowBuilder,
  ButtonStyle,
  ComponentType,
  ModalBuilder,
  TextInputBuilder,
  TextInputStyle,
  escapeMarkdown,
  type APIActionRowComponent,
  type APIButtonComponent,
  type APIEmbed,
} from 'discord.js';
import { SUGGESTION_LIMITS } from '../../content/authoring.js';
import type { RoundChoice } from '../../core/commands/index.js';
import type { NoticeView } from '../../core/ports.js';
import { TEXTS } from '../../core/text/texts.js';
import type { BoardViewModel, QuestionViewModel, RevealViewModel } from '../../core/text/views.js';
import { clip, packLines, splitText } from '../split.js';

export const MESSAGE_MAX = 2000;
export const EMBED_DESCRIPTION_MAX = 4096;
export const EMBED_TITLE_MAX = 256;
export const EMBED_FOOTER_MAX = 2048;
export const EMBED_FIELD_VALUE_MAX = 1024;
/** Discord counts every embed's title, description, fields, footer and author together. */
export const EMBEDS_TOTAL_MAX = 6000;
const COLOR = 0x5865f2;
const REVEALED_COLOR = 0x57f287;

export interface DiscordPayload {
  content?: string;
  /** Set only for the notify role's ping; every other message mentions nobody. */
  allowed_mentions?: { parse: []; roles?: string[] };
  embeds?: APIEmbed[];
  components?: APIActionRowComponent<APIButtonComponent>[];
}

const name = (s: string) => escapeMarkdown(s);

export function answerButtonId(roundId: string): string {
  return `qb:answer:${roundId}`;
}

const ts = (ms: number, style: 'F' | 'R') => `<t:${Math.floor(ms / 1000)}:${style}>`;

/** The question post; once revealed, without its button and with the revealed note. */
export function questionPayload(v: QuestionViewModel): DiscordPayload {
  const fields = [
    ...(v.topics.length ? [{ name: 'Topic', value: clip(v.topics.join(', '), EMBED_FIELD_VALUE_MAX), inline: true }] : []),
    { name: 'Level', value: `${v.level} · ${v.kind}`, inline: true },
    { name: 'Reveal', value: v.revealAt !== null ? `${ts(v.revealAt, 'F')} (${ts(v.revealAt, 'R')})` : v.manualReveal, inline: false },
  ];
  const description = v.revealedNote ? `${v.prompt}\n\n✅ ${v.revealedNote}` : `${v.prompt}\n\n${v.howToAnswer}`;
  return {
    // The opt-in notify role: the only mention quizbot sends, and only that role may ping.
    ...(v.mention ? { content: `<@&${v.mention}> ${v.notifyHint}`, allowed_mentions: { parse: [] as [], roles: [v.mention] } } : {}),
    embeds: [
      {
        title: clip(`${v.practice ? '🧪' : '📌'} ${v.heading}`, EMBED_TITLE_MAX),
        description: clip(description, EMBED_DESCRIPTION_MAX),
        color: v.revealedNote ? REVEALED_COLOR : COLOR,
        fields,
        footer: { text: clip(v.footer, EMBED_FOOTER_MAX) },
      },
    ],
    components: v.revealedNote
      ? []
      : [
          {
            type: ComponentType.ActionRow,
            components: [{ type: ComponentType.Button, style: ButtonStyle.Primary, custom_id: answerButtonId(v.roundId), label: v.answerButton }],
          },
        ],
  };
}

export function threadName(v: QuestionViewModel): string {
  return clip(v.threadName, 100);
}

/** The reveal as a sequence of messages: sample answers as embeds, then key points and feedback. */
export function revealPayloads(v: RevealViewModel): DiscordPayload[] {
  const out: DiscordPayload[] = [];
  for (const s of v.samples) {
    const parts = splitText(s.text, EMBED_DESCRIPTION_MAX);
    parts.forEach((part, j) => {
      const embed: APIEmbed = { description: part, color: COLOR };
      if (j === 0) embed.title = clip(`🔓 ${v.heading} — ${s.heading}`, EMBED_TITLE_MAX);
      if (j === parts.length - 1 && s.credit) embed.footer = { text: clip(s.credit, 200) };
      out.push({ embeds: [embed] });
    });
  }
  if (v.editorNote)
    for (const part of splitText(v.editorNote, EMBED_DESCRIPTION_MAX))
      out.push({ embeds: [{ title: `✏️ ${v.editorNoteHeading}`, description: part, color: 0xfee75c }] });
  const lines = [`**${v.keyPointsHeading}**`, ...v.keyPoints.map((k) => `• ${k}`), ''];
  if (v.empty) lines.push(v.empty);
  else {
    lines.push(`**${v.answersHeading}**`);
    for (const a of v.answers) {
      lines.push(`**${name(a.who)}**: ${a.score}`);
      if (a.quote !== null) lines.push(...a.quote.split('\n').map((l) => `> ${l}`));
      for (const c of a.covered) lines.push(`  ✅ ${c}`);
      for (const m of a.missed) lines.push(`  ❌ ${m}`);
      for (const n of a.notes) lines.push(`  ⚠️ ${n}`);
    }
  }
  lines.push('', v.closing);
  // Room is kept for the "part i of n" marker added to each message.
  for (const chunk of packLines(lines, MESSAGE_MAX)) out.push({ content: chunk });
  return out;
}

export function boardEmbed(v: BoardViewModel): APIEmbed {
  const lines = v.rows.length ? v.rows.map((r) => `**${r.rank}.** ${name(r.name)} — ${r.pointsText}`) : [v.empty ?? ''];
  return { title: clip(`🏆 ${v.title}`, EMBED_TITLE_MAX), description: clip(lines.join('\n'), EMBED_DESCRIPTION_MAX), color: COLOR };
}

/** Several open rounds: the list, and how to pick one with /quizreveal's autocompleted option. */
export function chooseRoundText(text: string, choices: RoundChoice[]): string {
  const lines = [text, ...choices.map((c) => `${c.index}. ${c.label}`), '', TEXTS.pickRoundDiscord];
  return clip(lines.join('\n'), MESSAGE_MAX);
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

/** A recap or a reminder: one embed; its footer carries the notice's marker (found on resume). */
export function noticePayload(n: NoticeView, marker: string): DiscordPayload {
  return {
    embeds: [
      {
        title: clip(n.title, EMBED_TITLE_MAX),
        description: clip(n.lines.map((l) => escapeMarkdown(l)).join('\n'), EMBED_DESCRIPTION_MAX),
        color: COLOR,
        footer: { text: marker },
      },
    ],
  };
}

export const SUGGEST_MODAL = 'qb:suggest';

/** `/quizsuggest`: the suggestion form (Discord allows five text inputs of up to 4,000 characters). */
export function suggestModal(): ModalBuilder {
  const f = TEXTS.suggestForm;
  const L = SUGGESTION_LIMITS;
  const input = (id: string, label: string, style: TextInputStyle, [min, max]: readonly [number, number], required = true, placeholder?: string) => {
    const field = new TextInputBuilder().setCustomId(id).setLabel(label).setStyle(style).setMinLength(min).setMaxLength(max).setRequired(required);
    return new ActionRowBuilder<TextInputBuilder>().addComponents(placeholder ? field.setPlaceholder(placeholder) : field);
  };
  return new ModalBuilder()
    .setCustomId(SUGGEST_MODAL)
    .setTitle(f.title)
    .addComponents(
      input('title', f.questionTitle, TextInputStyle.Short, L.title),
      input('question', f.question, TextInputStyle.Paragraph, L.question),
      input('sample', f.sample, TextInputStyle.Paragraph, L.sample),
      input('keyPoints', f.keyPoints, TextInputStyle.Paragraph, L.keyPointsText, false, f.keyPointsPlaceholder),
    );
}

/** Command hints in Discord's own command names (core writes them as `/quiz <verb>`). */
export const hint = (text: string): string => commandHints(text, 'discord');

/** A payload with every text a member reads given Discord's command names. */
export function hinted(p: DiscordPayload): DiscordPayload {
  return {
    ...p,
    ...(p.content !== undefined ? { content: hint(p.content) } : {}),
    ...(p.embeds
      ? {
          embeds: p.embeds.map((e) => ({
            ...e,
            ...(e.title !== undefined ? { title: hint(e.title) } : {}),
            ...(e.description !== undefined ? { description: hint(e.description) } : {}),
            ...(e.fields ? { fields: e.fields.map((f) => ({ ...f, value: hint(f.value) })) } : {}),
            ...(e.footer ? { footer: { ...e.footer, text: hint(e.footer.text) } } : {}),
          })),
        }
      : {}),
  };
}
