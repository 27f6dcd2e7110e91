/** Interactions → core calls: slash commands, autocomplete, the private-answer button and the forms. */
import { packLines } from '../split.js';
import {
  type AutocompleteInteraction,
  type ButtonInteraction,
  type ModalSubmitInteraction,
  ActionRowBuilder,
  MessageFlags,
  ModalBuilder,
  PermissionFlagsBits,
  TextInputBuilder,
  TextInputStyle,
  type ChatInputCommandInteraction,
  type Interaction,
} from 'discord.js';
import { discordInvocation, placedOf } from './commands.js';
import { THREAD_TOKEN } from '../../core/commands/history.js';
import { privateAnswerReceipt } from '../../core/rounds/quiz.js';
import type { ChannelRef, Member } from '../../core/types.js';
import { TEXTS } from '../../core/text/texts.js';
import { clip } from '../split.js';
import { boardEmbed, hint, chooseRoundText, suggestModal, SUGGEST_MODAL, MESSAGE_MAX } from './render.js';

import { BUTTON_PREFIX, MODAL_PREFIX, NO_MENTIONS } from './common.js';
import type { DiscordRoom } from './room.js';
import { memberOf } from './gateway.js';

type Ctx = { channel: ChannelRef; member: Member; isAdmin: boolean; threadRef: string | null };

export async function onInteraction(room: DiscordRoom, i: Interaction): Promise<void> {
  if (!i.guildId || !i.channelId) {
    // A DM: /quizhelp answers; the rest work in a server's channels, and say so.
    if (i.isChatInputCommand()) await replyInParts(i, placedOf(i)?.leaf.dm ? `${TEXTS.dmHelpIntro}\n${room.core.helpText()}` : TEXTS.guildOnly);
    return;
  }
  const channel: ChannelRef = {
    platform: 'discord',
    serverId: i.guildId,
    channelId: i.channel?.isThread() ? (i.channel.parentId ?? i.channelId) : i.channelId,
  };
  const isAdmin = i.memberPermissions?.has(PermissionFlagsBits.ManageGuild) ?? false;
  const threadRef = i.channel?.isThread() ? i.channelId : null;
  const ctx: Ctx = { channel, member: memberOf(i), isAdmin, threadRef };
  if (i.isAutocomplete()) return onAutocomplete(room, i, ctx);
  if (i.isButton() && i.customId.startsWith(BUTTON_PREFIX)) return showAnswerForm(i);
  if (i.isModalSubmit() && i.customId.startsWith(MODAL_PREFIX)) return onPrivateAnswer(room, i, ctx);
  if (i.isChatInputCommand() && placedOf(i)?.leaf.form) return void (await i.showModal(suggestModal()));
  if (i.isModalSubmit() && i.customId === SUGGEST_MODAL) return onSuggestForm(room, i, ctx);
  if (i.isChatInputCommand()) return onCommand(room, i, ctx);
}

/** Topics while typing `/quiz topic:`, or the open rounds for `round:`. */
async function onAutocomplete(room: DiscordRoom, i: AutocompleteInteraction, ctx: Ctx): Promise<void> {
  const { core } = room;
  const focused = i.options.getFocused(true);
  const option = placedOf(i)?.leaf.options?.find((o) => o.name.toLowerCase() === focused.name);
  if (option?.autocomplete === 'round') {
    const choices = await core.revealChoices(ctx);
    await i.respond(choices.slice(0, 25).map((c) => ({ name: clip(`${c.index}. ${c.label}`, 100), value: c.roundId.slice(0, 100) })));
    return;
  }
  const list = core.suggestTopics(String(focused.value), 25).map((s) => ({ name: clip(s.title, 100), value: s.id }));
  await i.respond(list);
}

/** The question's "answer privately" button: a form with one paragraph. */
async function showAnswerForm(i: ButtonInteraction): Promise<void> {
  const roundId = i.customId.slice(BUTTON_PREFIX.length);
  const modal = new ModalBuilder()
    .setCustomId(`${MODAL_PREFIX}${roundId}`)
    .setTitle(TEXTS.privateForm.title)
    .addComponents(
      new ActionRowBuilder<TextInputBuilder>().addComponents(
        new TextInputBuilder().setCustomId('answer').setLabel(TEXTS.privateForm.label).setStyle(TextInputStyle.Paragraph).setMaxLength(4000).setRequired(true),
      ),
    );
  await i.showModal(modal);
}

async function onPrivateAnswer(room: DiscordRoom, i: ModalSubmitInteraction, ctx: Ctx): Promise<void> {
  const { core } = room;
  const { channel } = ctx;
  const receipt = await core.recordAnswer({
    channel,
    threadRef: null,
    roundId: i.customId.slice(MODAL_PREFIX.length),
    member: memberOf(i),
    text: i.fields.getTextInputValue('answer'),
    deliveryId: `modal:${i.id}`,
    private: true,
    sentAt: i.createdTimestamp,
  });
  await i.reply({ content: hint(privateAnswerReceipt(receipt.outcome)), flags: MessageFlags.Ephemeral, allowedMentions: NO_MENTIONS });
}

async function onSuggestForm(room: DiscordRoom, i: ModalSubmitInteraction, ctx: Ctx): Promise<void> {
  const { core } = room;
  await i.deferReply({ flags: MessageFlags.Ephemeral });
  const value = (id: string) => {
    try {
      return i.fields.getTextInputValue(id);
    } catch {
      return ''; // an optional input left empty may be absent
    }
  };
  const reply = await core.runCommand(ctx, {
    verb: 'suggest',
    opts: { title: value('title'), question: value('question'), sample: value('sample'), keyPoints: value('keyPoints') },
  });
  const text = reply.kind === 'text' ? (reply.error ? `⚠️ ${reply.text}` : reply.text) : TEXTS.sharedInChannel;
  await i.editReply({ content: hint(text).slice(0, 2000), allowedMentions: NO_MENTIONS });
}

/** A slash command: deferred (ephemeral), run by the core, answered by reply kind. */
async function onCommand(room: DiscordRoom, i: ChatInputCommandInteraction, ctx: Ctx): Promise<void> {
  const { core, chat } = room;
  const { channel } = ctx;
  await i.deferReply({ flags: MessageFlags.Ephemeral });
  const command = discordInvocation(i);
  if (command === null) {
    await i.editReply({ content: hint(TEXTS.unknownCommand), allowedMentions: NO_MENTIONS });
    return;
  }
  const reply = await core.runCommand(ctx, command);
  switch (reply.kind) {
    case 'board':
      // The board is for everyone; the caller's own rank only for the caller.
      await chat.sendPublic(channel, { embeds: [boardEmbed(reply.board)] });
      await i.editReply({ content: hint(reply.mine.text).slice(0, 2000), allowedMentions: NO_MENTIONS });
      return;
    case 'text':
      if (reply.visibility === 'channel' && !reply.error) {
        await chat.sendPublic(channel, { content: threadLinks(reply.text).slice(0, 2000) });
        await i.editReply({ content: hint(TEXTS.sharedInChannel), allowedMentions: NO_MENTIONS });
      } else {
        await replyInParts(i, threadLinks(reply.error ? `⚠️ ${reply.text}` : reply.text));
      }
      return;
    case 'choose-round':
      await i.editReply({ content: hint(chooseRoundText(reply.text, reply.choices)).slice(0, 2000), allowedMentions: NO_MENTIONS });
      return;
    case 'posted':
    case 'revealed':
      await i.editReply({ content: hint(reply.text).slice(0, 2000), allowedMentions: NO_MENTIONS });
      return;
  }
}

/** Thread tokens of core texts (`/quiz history`) → Discord channel mentions, which link to the thread. */
export function threadLinks(text: string): string {
  return text.replace(THREAD_TOKEN, (_, _channel: string, ref: string) => `<#${ref}>`);
}

/**
 * An ephemeral answer of any length (the help): the first message — the deferred reply when the
 * interaction was deferred — then follow-ups, split at lines within Discord's limit.
 */
async function replyInParts(i: ChatInputCommandInteraction, text: string): Promise<void> {
  const [first = '', ...rest] = packLines(hint(text).split('\n'), MESSAGE_MAX);
  if (i.deferred) await i.editReply({ content: first, allowedMentions: NO_MENTIONS });
  else await i.reply({ content: first, flags: MessageFlags.Ephemeral, allowedMentions: NO_MENTIONS });
  for (const more of rest) await i.followUp({ content: more, flags: MessageFlags.Ephemeral, allowedMentions: NO_MENTIONS });
}
