/**
 * Discord adapter: gateway events and interactions → core calls; core output → Discord messages.
 * No business rule lives here. Every message the bot sends sets allowed mentions to none, so
 * user text echoed at the reveal never pings anyone.
 */
import {
  ActionRowBuilder,
  Client,
  DiscordAPIError,
  Events,
  GatewayIntentBits,
  MessageFlags,
  ModalBuilder,
  Partials,
  PermissionFlagsBits,
  TextInputBuilder,
  TextInputStyle,
  ThreadAutoArchiveDuration,
  type ChatInputCommandInteraction,
  type Interaction,
  type Message,
  type PartialMessage,
  type SendableChannels,
} from 'discord.js';
import type { App } from '../../app.js';
import type { DiscordConfig } from '../../config/env.js';
import type { Reply } from '../../core/commands.js';
import type { ChatPort, QuestionPost, RevealView } from '../../core/ports.js';
import { privateAnswerReceipt } from '../../core/quiz.js';
import type { ChannelRef, Member } from '../../core/types.js';
import { answerButtonId, boardEmbed, questionPayload, revealPayloads, threadName, type DiscordPayload } from './render.js';

const NO_MENTIONS = { parse: [] as [] };
const MODAL_PREFIX = 'qb:modal:';
const BUTTON_PREFIX = 'qb:answer:';
/** Stand-in text when the Message Content intent is off: counts as taking part, not as content. */
export const CONTENT_UNAVAILABLE = '(answer text unavailable: the bot runs without the Message Content intent)';

export interface DiscordHandle {
  client: Client;
  stop(): Promise<void>;
}

function isPermissionError(err: unknown): boolean {
  return err instanceof DiscordAPIError && (err.code === 50013 || err.code === 50001);
}

export class DiscordChat implements ChatPort {
  constructor(
    private readonly client: Client,
    private readonly app: App,
  ) {}

  private async sendable(id: string): Promise<SendableChannels> {
    const ch = await this.client.channels.fetch(id);
    if (!ch || !ch.isSendable()) throw new Error(`Discord channel ${id} is not a text channel the bot can see`);
    return ch;
  }

  private send(ch: SendableChannels, p: DiscordPayload): Promise<Message> {
    return ch.send({ ...p, allowedMentions: NO_MENTIONS } as Parameters<SendableChannels['send']>[0]);
  }

  async postQuestion(channel: ChannelRef, post: QuestionPost): Promise<{ threadRef: string }> {
    const ch = await this.sendable(channel.channelId);
    let message: Message;
    try {
      message = await this.send(ch, questionPayload(post));
    } catch (err) {
      if (isPermissionError(err)) await this.tellAdmin(channel, `I cannot post the question in <#${channel.channelId}>: I am missing the permission to send messages or embed links there. The round is kept and will be posted when the permission is fixed.`);
      throw err;
    }
    try {
      const thread = await message.startThread({ name: threadName(post), autoArchiveDuration: ThreadAutoArchiveDuration.OneDay });
      return { threadRef: thread.id };
    } catch (err) {
      if (!isPermissionError(err)) throw err;
      // The round is not lost: answers are collected from the channel itself instead.
      this.app.logger.warn('cannot create a thread; collecting answers in the channel', { channel: channel.channelId, err: (err as Error).message });
      await this.tellAdmin(channel, `I cannot create threads in <#${channel.channelId}> (missing Create Public Threads). Today's answers are collected from replies in the channel; please grant the permission.`);
      return { threadRef: channel.channelId };
    }
  }

  async postReveal(channel: ChannelRef, threadRef: string, view: RevealView): Promise<void> {
    const ch = await this.sendable(threadRef || channel.channelId);
    if (ch.isThread() && ch.archived) await ch.setArchived(false).catch(() => undefined);
    for (const p of revealPayloads(view)) await this.send(ch, p);
  }

  async sendPublic(channel: ChannelRef, p: DiscordPayload): Promise<void> {
    await this.send(await this.sendable(channel.channelId), p);
  }

  async postNotice(channel: ChannelRef, threadRef: string | null, text: string): Promise<void> {
    const ch = await this.sendable(threadRef ?? channel.channelId);
    await this.send(ch, { content: text.slice(0, 2000) });
  }

  /** Tells the server owner by DM (logged whatever happens). */
  async tellAdmin(channel: ChannelRef, text: string): Promise<void> {
    this.app.logger.warn('telling the server admin', { guild: channel.serverId, text });
    try {
      const guild = await this.client.guilds.fetch(channel.serverId);
      const owner = await guild.fetchOwner();
      await owner.send({ content: text, allowedMentions: NO_MENTIONS });
    } catch (err) {
      this.app.logger.warn('could not reach the server owner', { guild: channel.serverId, err: (err as Error).message });
    }
  }
}

export async function startDiscord(app: App, cfg: DiscordConfig, opts: { identifyThrottle?: boolean } = {}): Promise<DiscordHandle> {
  const intents = [GatewayIntentBits.Guilds, GatewayIntentBits.GuildMessages];
  if (cfg.messageContent) intents.push(GatewayIntentBits.MessageContent);
  const client = new Client({
    intents,
    partials: [Partials.Message],
    allowedMentions: NO_MENTIONS,
    rest: cfg.apiUrl ? { api: cfg.apiUrl } : {},
    ...(opts.identifyThrottle === false ? { ws: { buildIdentifyThrottler: () => Promise.resolve({ waitForIdentify: async () => {} }) } } : {}),
  } as ConstructorParameters<typeof Client>[0]);
  const chat = new DiscordChat(client, app);
  app.chat.register('discord', chat);
  const { logger } = app;
  const noticed = new Set<string>();

  const channelOf = (m: Message | PartialMessage): { channel: ChannelRef; threadRef: string } | null => {
    if (!m.guildId) return null;
    const ch = m.channel;
    if (ch.isThread()) return { channel: { platform: 'discord', serverId: m.guildId, channelId: ch.parentId ?? ch.id }, threadRef: ch.id };
    return { channel: { platform: 'discord', serverId: m.guildId, channelId: ch.id }, threadRef: ch.id };
  };
  const memberOf = (m: Message | PartialMessage | Interaction): Member => {
    const user = 'author' in m ? m.author! : m.user;
    const display = m.member && 'displayName' in m.member ? m.member.displayName : (user.globalName ?? user.username);
    return { id: user.id, name: display };
  };

  const onMessage = async (m: Message | PartialMessage, edited: boolean) => {
    if (m.partial) m = await m.fetch();
    if (m.author?.bot || m.system) return;
    const where = channelOf(m);
    if (!where) return;
    let text = m.content ?? '';
    if (!cfg.messageContent && text === '') {
      text = CONTENT_UNAVAILABLE;
      const marker = `discord-no-content-notice:${where.channel.serverId}`;
      if (!noticed.has(marker)) {
        noticed.add(marker);
        // A year-long claim in Redis: the owner hears it once, across restarts and replicas.
        if (await app.store.tryLock(marker, 365 * 86_400_000)) {
          await chat.tellAdmin(where.channel, 'quizbot runs without the Message Content intent, so it can see that members answered but not what they wrote: answers earn participation points only. Enable the intent in the Developer Portal and set DISCORD_MESSAGE_CONTENT=true for graded feedback.');
        }
      }
    }
    const sentAt = edited ? (m.editedTimestamp ?? Date.now()) : m.createdTimestamp;
    const receipt = await app.quiz.recordAnswer({
      channel: where.channel,
      threadRef: where.threadRef,
      member: memberOf(m),
      text,
      deliveryId: edited ? `${m.id}:${sentAt}` : m.id,
      sentAt,
    });
    if (receipt.outcome !== 'unknown-round') logger.debug('answer', { outcome: receipt.outcome, message: m.id });
  };
  client.on(Events.MessageCreate, (m) => void onMessage(m, false).catch((err) => logger.error('message handling failed', { err })));
  client.on(Events.MessageUpdate, (_old, m) => void onMessage(m, true).catch((err) => logger.error('edit handling failed', { err })));
  client.on(Events.InteractionCreate, (i) => void onInteraction(i).catch((err) => logger.error('interaction failed', { err: (err as Error).message })));

  async function onInteraction(i: Interaction): Promise<void> {
    if (!i.guildId || !i.channelId) return;
    const channel: ChannelRef = { platform: 'discord', serverId: i.guildId, channelId: i.channel?.isThread() ? (i.channel.parentId ?? i.channelId) : i.channelId };
    if (i.isAutocomplete()) {
      const focused = String(i.options.getFocused());
      const list = app.quiz.bank.suggest(focused, 25).map((s) => ({ name: s.title.slice(0, 100), value: s.id }));
      await i.respond(list);
      return;
    }
    if (i.isButton() && i.customId.startsWith(BUTTON_PREFIX)) {
      const roundId = i.customId.slice(BUTTON_PREFIX.length);
      const modal = new ModalBuilder()
        .setCustomId(`${MODAL_PREFIX}${roundId}`)
        .setTitle('Your answer (hidden until the reveal)')
        .addComponents(new ActionRowBuilder<TextInputBuilder>().addComponents(new TextInputBuilder().setCustomId('answer').setLabel('Answer').setStyle(TextInputStyle.Paragraph).setMaxLength(4000).setRequired(true)));
      await i.showModal(modal);
      return;
    }
    if (i.isModalSubmit() && i.customId.startsWith(MODAL_PREFIX)) {
      const receipt = await app.quiz.recordAnswer({
        channel,
        threadRef: null,
        roundId: i.customId.slice(MODAL_PREFIX.length),
        member: memberOf(i),
        text: i.fields.getTextInputValue('answer'),
        deliveryId: `modal:${i.id}`,
        private: true,
        sentAt: i.createdTimestamp,
      });
      await i.reply({ content: privateAnswerReceipt(receipt.outcome), flags: MessageFlags.Ephemeral, allowedMentions: NO_MENTIONS });
      return;
    }
    if (!i.isChatInputCommand()) return;
    await i.deferReply({ flags: MessageFlags.Ephemeral });
    const isAdmin = i.memberPermissions?.has(PermissionFlagsBits.ManageGuild) ?? false;
    const text = commandText(i);
    if (text === null) {
      await i.editReply({ content: 'Unknown command.', allowedMentions: NO_MENTIONS });
      return;
    }
    const reply = await app.commands.run({ channel, member: memberOf(i), isAdmin }, text);
    const shared = reply.visibility === 'channel' && !(reply.kind === 'text' && reply.error) && (reply.kind === 'board' || reply.kind === 'text');
    if (shared) {
      // Leaderboards and group news are for everyone: post them in the channel.
      await chat.sendPublic(channel, replyPayload(reply));
      await i.editReply({ content: '✅ Shared in the channel.', allowedMentions: NO_MENTIONS });
    } else {
      await i.editReply({ ...replyPayload(reply), allowedMentions: NO_MENTIONS });
    }
  }

  const ready = new Promise<void>((resolve) => client.once(Events.ClientReady, () => resolve()));
  await client.login(cfg.token);
  await ready;
  logger.info('discord connected', { user: client.user?.tag, guilds: client.guilds.cache.size, messageContent: cfg.messageContent });
  const stop = async () => {
    await client.destroy();
  };
  app.onClose(stop);
  return { client, stop };
}

/** Slash command → the `/quiz` text the CommandRunner understands (one grammar for every platform). */
export function commandText(i: ChatInputCommandInteraction): string | null {
  const q = (s: string) => `"${s.replace(/"/g, '')}"`;
  switch (i.commandName) {
    case 'quiz':
      return i.options.getString('topic') ?? '';
    case 'leaderboard': {
      const scope = i.options.getString('scope') ?? 'channel';
      const group = i.options.getString('group');
      return ['leaderboard', i.options.getString('period') ?? 'week', scope, scope === 'group' ? q(group ?? '') : ''].join(' ').trim();
    }
    case 'quizstats': {
      const user = i.options.getUser('member');
      return user ? `stats ${user.id}` : 'stats';
    }
    case 'quizgroup':
      return `group ${i.options.getString('action', true)} ${i.options.getString('name') ?? ''}`.trim();
    case 'quizadmin': {
      const sub = i.options.getSubcommand();
      if (sub === 'schedule') {
        return ['schedule set', q(i.options.getString('cron', true)), i.options.getString('timezone') ?? '', i.options.getString('reveal') ? q(i.options.getString('reveal')!) : ''].join(' ').trim();
      }
      if (sub === 'show') return 'schedule show';
      if (sub === 'topics') return `schedule ${i.options.getString('mode', true)} ${i.options.getString('list', true)}`;
      return sub;
    }
  }
  return null;
}

export function replyPayload(reply: Reply): DiscordPayload {
  switch (reply.kind) {
    case 'text':
      return { content: (reply.error ? `⚠️ ${reply.text}` : reply.text).slice(0, 2000) };
    case 'board':
      return { embeds: [boardEmbed(reply.board)] };
    case 'posted':
      return { content: `📌 Posted “${reply.question.title}” — answer in its thread.` };
    case 'revealed':
      return { content: `🔓 Revealed “${reply.view.question.title}”.` };
  }
}
