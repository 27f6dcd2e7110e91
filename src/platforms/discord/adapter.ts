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
  RESTJSONErrorCodes,
  Routes,
  makeURLSearchParams,
  type APIMessage,
  type RESTGetAPIChannelMessagesResult,
  type RESTPostAPIChannelMessageResult,
  type RESTPostAPIChannelMessagesThreadsResult,
} from 'discord.js';
import type { App } from '../../app.js';
import type { DiscordConfig } from '../../config/env.js';
import type { Reply } from '../../core/commands.js';
import { ChannelGoneError } from '../../core/errors.js';
import type { ChatPort, QuestionPost, RevealProgress, RevealView } from '../../core/ports.js';
import { messageNonce } from '../../core/round-ids.js';
import { privateAnswerReceipt } from '../../core/quiz.js';
import type { ChannelRef, Member } from '../../core/types.js';
import { answerButtonId, boardEmbed, questionPayload, revealMarkerOf, revealPayloads, threadName, withRevealMarker, type DiscordPayload } from './render.js';

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

/** Unknown Channel / Unknown Guild: retrying can never post there. */
function isGone(err: unknown): boolean {
  return err instanceof DiscordAPIError && (err.code === RESTJSONErrorCodes.UnknownChannel || err.code === RESTJSONErrorCodes.UnknownGuild);
}

export class DiscordChat implements ChatPort {
  constructor(
    private readonly client: Client,
    private readonly app: App,
  ) {}

  /** POST through REST only: any worker can post to any guild, with no gateway cache. */
  private async create(channelId: string, p: DiscordPayload, nonce?: string): Promise<RESTPostAPIChannelMessageResult> {
    const body = { ...p, allowed_mentions: NO_MENTIONS, ...(nonce ? { nonce, enforce_nonce: true } : {}) };
    return (await this.client.rest.post(Routes.channelMessages(channelId), { body })) as RESTPostAPIChannelMessageResult;
  }

  /** The bot's recent message in a channel that satisfies `match` (resuming after a crash). */
  private async findRecent(channelId: string, match: (m: APIMessage) => boolean): Promise<APIMessage | null> {
    const recent = (await this.client.rest.get(Routes.channelMessages(channelId), { query: makeURLSearchParams({ limit: 50 }) })) as RESTGetAPIChannelMessagesResult;
    const me = this.client.user?.id;
    return recent.find((m) => (!me || m.author.id === me) && match(m)) ?? null;
  }

  async sendQuestion(channel: ChannelRef, post: QuestionPost, opts: { resume: boolean }): Promise<{ messageRef: string }> {
    const button = answerButtonId(post.round.id);
    try {
      if (opts.resume) {
        // Discord does not echo nonces on fetched messages: the round's button id marks ours.
        const found = await this.findRecent(channel.channelId, (m) => (m.components ?? []).some((row) => 'components' in row && row.components.some((c) => 'custom_id' in c && c.custom_id === button)));
        if (found) return { messageRef: found.id };
      }
      const m = await this.create(channel.channelId, questionPayload(post), messageNonce(post.round.id, 'question'));
      return { messageRef: m.id };
    } catch (err) {
      if (isGone(err)) throw new ChannelGoneError(`Discord channel ${channel.channelId} is gone: ${(err as Error).message}`);
      if (isPermissionError(err)) await this.tellAdmin(channel, `I cannot post the question in <#${channel.channelId}>: I am missing the permission to send messages or embed links there. The round is kept and will be posted when the permission is fixed.`);
      throw err;
    }
  }

  async openThread(channel: ChannelRef, messageRef: string, post: QuestionPost): Promise<{ threadRef: string }> {
    try {
      const thread = (await this.client.rest.post(Routes.threads(channel.channelId, messageRef), {
        body: { name: threadName(post), auto_archive_duration: ThreadAutoArchiveDuration.OneDay },
      })) as RESTPostAPIChannelMessagesThreadsResult;
      return { threadRef: thread.id };
    } catch (err) {
      // A retry after the thread was made: a message's thread has the message's id.
      if (err instanceof DiscordAPIError && err.code === RESTJSONErrorCodes.ThreadAlreadyCreatedForMessage) return { threadRef: messageRef };
      if (!isPermissionError(err)) throw err;
      // The round is not lost: answers are collected from the channel itself instead.
      this.app.logger.warn('cannot create a thread; collecting answers in the channel', { channel: channel.channelId, err });
      await this.tellAdmin(channel, `I cannot create threads in <#${channel.channelId}> (missing Create Public Threads). Today's answers are collected from replies in the channel; please grant the permission.`);
      return { threadRef: channel.channelId };
    }
  }

  async postReveal(channel: ChannelRef, threadRef: string, view: RevealView, progress: RevealProgress): Promise<void> {
    const target = threadRef || channel.channelId;
    if (target !== channel.channelId) {
      // An archived thread refuses messages: unarchive it first (a no-op when it is open).
      await this.client.rest.patch(Routes.channel(target), { body: { archived: false } }).catch(() => undefined);
    }
    const parts = revealPayloads(view);
    for (let i = progress.from; i < parts.length; i++) {
      const resume = await progress.before(i);
      const payload = withRevealMarker(parts[i]!, i, parts.length);
      const marker = revealMarkerOf(payload);
      // A resent part returns the first one within Discord's nonce window; after a longer outage
      // the thread's recent messages are checked for the part an earlier attempt sent.
      const found = resume ? await this.findRecent(target, (m) => revealMarkerOf(m) === marker) : null;
      if (!found) await this.create(target, payload, messageNonce(view.round.id, `reveal-${i}`));
      await progress.sent(i);
    }
  }

  async sendPublic(channel: ChannelRef, p: DiscordPayload): Promise<void> {
    await this.create(channel.channelId, p);
  }

  async postNotice(channel: ChannelRef, threadRef: string | null, text: string): Promise<void> {
    await this.create(threadRef ?? channel.channelId, { content: text.slice(0, 2000) });
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
    const threadRef = i.channel?.isThread() ? i.channelId : null;
    const reply = await app.commands.run({ channel, member: memberOf(i), isAdmin, threadRef }, text);
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
    case 'quizreveal':
      return 'reveal';
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
