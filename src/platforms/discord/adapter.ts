/**
 * Discord adapter: gateway events and interactions → core calls; core output → Discord messages.
 * No business rule lives here. Every message the bot sends sets allowed mentions to none, so
 * user text echoed at the reveal never pings anyone.
 */
import { packLines } from '../split.js';
import {
  ActionRowBuilder,
  ChannelType,
  type Guild,
  type GuildBasedChannel,
  type TextChannel,
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
  type MessageReaction,
  type PartialMessage,
  type PartialMessageReaction,
  type PartialUser,
  type User,
  REST,
  RESTJSONErrorCodes,
  Routes,
  type RESTGetAPIGatewayBotResult,
  type RESTGetAPIGuildResult,
  type RESTGetAPIUserResult,
  makeURLSearchParams,
  type APIMessage,
  type RESTGetAPIChannelMessagesResult,
  type RESTPostAPIChannelMessageResult,
  type RESTPostAPIChannelMessagesThreadsResult,
  type ReadonlyCollection,
} from 'discord.js';
import { randomUUID } from 'node:crypto';
import type { DiscordConfig } from '../../config/env.js';
import { discordInvocation, placedOf } from './commands.js';
import { ChannelGoneError, ChannelUnavailableError, QuizError } from '../../core/errors.js';
import { THREAD_TOKEN } from '../../core/commands/history.js';
import type { PlatformFacade } from '../../core/facade.js';
import type { ChatPort, NoticeView, QuestionPost, RevealProgress, RevealView } from '../../core/ports.js';
import { messageNonce } from '../../core/round-ids.js';
import { privateAnswerReceipt } from '../../core/quiz.js';
import { claimWelcome } from '../../core/welcome.js';
import { lateResponse, type LateOutcome } from '../../core/answer-buffer.js';
import type { ChannelRef, Member } from '../../core/types.js';
import { TEXTS } from '../../core/texts.js';
import { clip } from '../split.js';
import { questionView, revealViewModel } from '../../core/views.js';
import {
  answerButtonId,
  boardEmbed,
  hint,
  hinted,
  chooseRoundText,
  noticePayload,
  suggestModal,
  SUGGEST_MODAL,
  questionPayload,
  revealMarkerOf,
  revealPayloads,
  threadName,
  withRevealMarker,
  MESSAGE_MAX,
  type DiscordPayload,
} from './render.js';

const NO_MENTIONS = { parse: [] as [] };
const MODAL_PREFIX = 'qb:modal:';
const BUTTON_PREFIX = 'qb:answer:';
/** Stand-in text when the Message Content intent is off: counts as taking part, not as content. */
export const CONTENT_UNAVAILABLE = TEXTS.contentUnavailable;

export interface DiscordHandle {
  /** REST for everything the bot sends (posting needs no gateway). */
  rest: REST;
  /** Shard ids this process runs a gateway session for now (empty: standby, or REST only). */
  shards(): number[];
  /** Readiness: every shard this process holds is connected. */
  ready(): boolean;
  stop(): Promise<void>;
}

export interface DiscordStartOptions {
  /** false: tests skip the cross-process identify throttle. */
  identifyThrottle?: boolean;
  /** false: REST only, no gateway session (`quizbot worker`). */
  gateway?: boolean;
  /** How long a shard's lease lasts without renewal (ms); renewed every third of it. */
  leaseMs?: number;
}

function isPermissionError(err: unknown): boolean {
  return err instanceof DiscordAPIError && (err.code === 50013 || err.code === 50001);
}

/** A 👍 in any skin tone is a vote. */
const isVote = (emoji: string | null) => emoji !== null && emoji.startsWith('👍');
/** What the bot adds to each recorded thread reply. */
export const ACK_EMOJI = '✅';

/** Unknown Channel / Unknown Guild: retrying can never post there. */
function isGone(err: unknown): boolean {
  return err instanceof DiscordAPIError && (err.code === RESTJSONErrorCodes.UnknownChannel || err.code === RESTJSONErrorCodes.UnknownGuild);
}

/** A refused post as the core understands it: the channel is gone, or needs a person to act. */
function postError(err: unknown, channelId: string): unknown {
  if (isGone(err)) return new ChannelGoneError(`Discord channel ${channelId} is gone: ${(err as Error).message}`);
  if (isPermissionError(err)) return new ChannelUnavailableError('missing-permissions', `Discord refused the post in ${channelId}: ${(err as Error).message}`);
  return err;
}

/**
 * Everything the bot sends goes through REST only: any process (a shard, or a worker with no
 * gateway at all) can post to any guild, with no reliance on a gateway cache.
 */
export class DiscordChat implements ChatPort {
  private me: Promise<string> | null = null;

  constructor(
    private readonly rest: REST,
    private readonly core: PlatformFacade,
  ) {}

  private async create(channelId: string, p: DiscordPayload, nonce?: string): Promise<RESTPostAPIChannelMessageResult> {
    const body = { ...hinted(p), allowed_mentions: p.allowed_mentions ?? NO_MENTIONS, ...(nonce ? { nonce, enforce_nonce: true } : {}) };
    return (await this.rest.post(Routes.channelMessages(channelId), { body })) as RESTPostAPIChannelMessageResult;
  }

  /** The bot's own user id (GET /users/@me once). */
  private botId(): Promise<string> {
    this.me ??= (this.rest.get(Routes.user('@me')) as Promise<RESTGetAPIUserResult>).then(
      (u) => u.id,
      (err: unknown) => {
        this.me = null;
        throw err;
      },
    );
    return this.me;
  }

  /** The bot's recent message in a channel that satisfies `match` (resuming after a crash). */
  private async findRecent(channelId: string, match: (m: APIMessage) => boolean): Promise<APIMessage | null> {
    const recent = (await this.rest.get(Routes.channelMessages(channelId), {
      query: makeURLSearchParams({ limit: 50 }),
    })) as RESTGetAPIChannelMessagesResult;
    const me = await this.botId();
    return recent.find((m) => m.author.id === me && match(m)) ?? null;
  }

  async sendQuestion(channel: ChannelRef, post: QuestionPost, opts: { resume: boolean }): Promise<{ messageRef: string }> {
    const button = answerButtonId(post.round.id);
    try {
      if (opts.resume) {
        // Discord does not echo nonces on fetched messages: the round's button id marks ours.
        const found = await this.findRecent(channel.channelId, (m) =>
          (m.components ?? []).some((row) => 'components' in row && row.components.some((c) => 'custom_id' in c && c.custom_id === button)),
        );
        if (found) return { messageRef: found.id };
      }
      const m = await this.create(channel.channelId, questionPayload(questionView(post)), messageNonce(post.round.id, 'question'));
      return { messageRef: m.id };
    } catch (err) {
      throw postError(err, channel.channelId);
    }
  }

  async openThread(channel: ChannelRef, messageRef: string, post: QuestionPost): Promise<{ threadRef: string }> {
    try {
      const thread = (await this.rest.post(Routes.threads(channel.channelId, messageRef), {
        body: { name: threadName(questionView(post)), auto_archive_duration: ThreadAutoArchiveDuration.OneDay },
      })) as RESTPostAPIChannelMessagesThreadsResult;
      return { threadRef: thread.id };
    } catch (err) {
      // A retry after the thread was made: a message's thread has the message's id.
      if (err instanceof DiscordAPIError && err.code === RESTJSONErrorCodes.ThreadAlreadyCreatedForMessage) return { threadRef: messageRef };
      if (!isPermissionError(err)) throw err;
      // The round is not lost: answers are collected from the channel itself instead.
      this.core.logger.warn('cannot create a thread; collecting answers in the channel', { channel: channel.channelId, err });
      if (await this.core.claimOnce(`discord-no-threads:${channel.channelId}`, 7 * 86_400_000)) {
        await this.tellMember(channel, null, TEXTS.noThreads);
      }
      return { threadRef: channel.channelId };
    }
  }

  async postReveal(channel: ChannelRef, threadRef: string, view: RevealView, progress: RevealProgress): Promise<void> {
    const target = threadRef || channel.channelId;
    if (target !== channel.channelId) {
      // An archived thread refuses messages: unarchive it first (a no-op when it is open).
      await this.rest.patch(Routes.channel(target), { body: { archived: false } }).catch(() => undefined);
    }
    const parts = revealPayloads(revealViewModel(view));
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

  async markRevealed(channel: ChannelRef, messageRef: string, post: QuestionPost): Promise<void> {
    await this.rest.patch(Routes.channelMessage(channel.channelId, messageRef), {
      body: { ...hinted(questionPayload(questionView(post, { revealed: true }))), allowed_mentions: NO_MENTIONS },
    });
  }

  async sendNotice(channel: ChannelRef, threadRef: string | null, notice: NoticeView, opts: { resume: boolean }): Promise<void> {
    const target = threadRef || channel.channelId;
    const nonce = messageNonce(notice.key, 'notice');
    const marker = `quizbot ${notice.kind} · ${nonce.slice(0, 10)}`;
    try {
      // The nonce dedupes a resend within Discord's window; after it, the marker finds ours.
      if (opts.resume && (await this.findRecent(target, (m) => m.embeds?.[0]?.footer?.text === marker))) return;
      await this.create(target, noticePayload(notice, marker), nonce);
    } catch (err) {
      throw postError(err, target);
    }
  }

  async setRoleMember(channel: ChannelRef, role: string, memberId: string, on: boolean): Promise<void> {
    const route = Routes.guildMemberRole(channel.serverId, memberId, role);
    try {
      if (on) await this.rest.put(route, { reason: 'quizbot: /quiz notify on' });
      else await this.rest.delete(route, { reason: 'quizbot: /quiz notify off' });
    } catch (err) {
      if (err instanceof DiscordAPIError && err.code === RESTJSONErrorCodes.UnknownRole) throw QuizError.of('notify-role-gone');
      if (isPermissionError(err)) throw QuizError.of('notify-forbidden');
      throw err;
    }
  }

  async sendPublic(channel: ChannelRef, p: DiscordPayload): Promise<void> {
    await this.create(channel.channelId, p);
  }

  /** A DM to a member, or to the server owner when memberId is null (logged whatever happens). */
  async tellMember(channel: ChannelRef, memberId: string | null, text: string): Promise<void> {
    const content = text.replaceAll('{channel}', `<#${channel.channelId}>`).slice(0, 2000);
    // A notice for the owner is the operator's business too; a member's private message is not logged.
    if (memberId) this.core.logger.debug('telling a member privately', { guild: channel.serverId, member: memberId });
    else this.core.logger.warn('a notice for the server owner', { guild: channel.serverId, text: content });
    try {
      let userId = memberId;
      if (!userId) userId = ((await this.rest.get(Routes.guild(channel.serverId))) as RESTGetAPIGuildResult).owner_id;
      const dm = (await this.rest.post(Routes.userChannels(), { body: { recipient_id: userId } })) as { id: string };
      await this.create(dm.id, { content });
    } catch (err) {
      this.core.logger.warn('could not reach the member', { guild: channel.serverId, err: (err as Error).message });
    }
  }

  /** ✅ on a recorded reply (best effort: a missing Add Reactions permission loses nothing). */
  async acknowledge(channelId: string, messageId: string): Promise<void> {
    await this.rest
      .put(Routes.channelMessageOwnReaction(channelId, messageId, encodeURIComponent(ACK_EMOJI)))
      .catch((err: unknown) => this.core.logger.debug('could not add the ✅ reaction', { err: (err as Error).message }));
  }
}

export async function startDiscord(core: PlatformFacade, cfg: DiscordConfig, opts: DiscordStartOptions = {}): Promise<DiscordHandle> {
  const rest = new REST(cfg.apiUrl ? { api: cfg.apiUrl } : {}).setToken(cfg.token);
  rest.on('rateLimited', () => core.recordMetric({ kind: 'rate-limited', platform: 'discord' }));
  const chat = new DiscordChat(rest, core);
  core.registerChat('discord', chat);
  if (opts.gateway === false) {
    core.logger.info('discord: REST only (no gateway session in this process)');
    return { rest, shards: () => [], ready: () => true, stop: async () => {} };
  }
  // Reactions (peer votes) need GuildMessageReactions, which is not privileged.
  const intents = [GatewayIntentBits.Guilds, GatewayIntentBits.GuildMessages, GatewayIntentBits.GuildMessageReactions];
  if (cfg.messageContent) intents.push(GatewayIntentBits.MessageContent);
  const { logger } = core;
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

  const onDelete = async (m: Message | PartialMessage) => {
    if (!m.guildId || m.author?.bot) return;
    await core.withdrawAnswer({ platform: 'discord', serverId: m.guildId, channelId: m.channelId }, m.id);
  };

  const onMessage = async (m: Message | PartialMessage, update: boolean) => {
    // MESSAGE_UPDATE also arrives for link embeds resolving and pins: only a non-null
    // edited_timestamp is an edit, and only an edit can change an answer.
    if (update && m.editedTimestamp === null) return core.recordMetric({ kind: 'answer', platform: 'discord', outcome: 'not-an-edit' });
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
        if (await core.claimOnce(marker, 365 * 86_400_000)) {
          await chat.tellMember(where.channel, null, TEXTS.noContentIntent);
        }
      }
    }
    const sentAt = update ? m.editedTimestamp! : m.createdTimestamp;
    const member = memberOf(m);
    // Held during a Redis outage: acknowledged when recorded, or the member is told it was not.
    const late = (o: LateOutcome) => {
      const r = lateResponse(o);
      void ('ack' in r ? chat.acknowledge(m.channelId, m.id) : chat.tellMember(where.channel, member.id, r.tell)).catch((err: unknown) =>
        logger.debug('could not tell the outcome of a held answer', { err }),
      );
    };
    const receipt = await core.recordAnswer(
      {
        channel: where.channel,
        threadRef: where.threadRef,
        member,
        text,
        deliveryId: update ? `${m.id}:${sentAt}` : m.id,
        sentAt,
        messageRef: m.id,
        messageAt: m.createdTimestamp,
        ...(text === CONTENT_UNAVAILABLE ? { textAvailable: false } : {}),
      },
      late,
    );
    if (receipt.outcome === 'too-long' || receipt.outcome === 'not-recorded')
      await chat.tellMember(where.channel, member.id, privateAnswerReceipt(receipt.outcome));
    logger.debug('answer', { outcome: receipt.outcome, message: m.id, channel: where.channel.channelId, thread: where.threadRef });
    if (!update && (receipt.outcome === 'recorded' || receipt.outcome === 'replaced')) await chat.acknowledge(m.channelId, m.id);
  };

  const onReaction = async (reaction: MessageReaction | PartialMessageReaction, user: User | PartialUser, added: boolean) => {
    if (!isVote(reaction.emoji.name) || user.bot) return;
    const m = reaction.message;
    if (!m.guildId) return;
    const channel: ChannelRef = { platform: 'discord', serverId: m.guildId, channelId: m.channelId };
    const voter: Member = { id: user.id, name: user.globalName ?? user.username ?? user.id };
    if (added) {
      const out = await core.vote({ channel, messageRef: m.id, voter, deliveryId: `react:${m.id}:${user.id}` });
      logger.debug('vote', { outcome: out, message: m.id });
    } else await core.retractVote({ channel, messageRef: m.id, voter });
  };

  const guard =
    <A extends unknown[]>(what: string, fn: (...a: A) => Promise<void>) =>
    (...a: A) =>
      void fn(...a).catch((err: unknown) => logger.error(`${what} failed`, { err }));

  /** One gateway client per shard: a process can take over any shard whose holder went away. */
  const shardClient = (shardId: number, shardCount: number): Client => {
    const client = new Client({
      intents,
      partials: [Partials.Message, Partials.Reaction, Partials.User, Partials.Channel],
      allowedMentions: NO_MENTIONS,
      rest: cfg.apiUrl ? { api: cfg.apiUrl } : {},
      shards: [shardId],
      shardCount,
      ws: {
        buildIdentifyThrottler:
          opts.identifyThrottle === false
            ? () => Promise.resolve({ waitForIdentify: async () => {} })
            : async (manager: { fetchGatewayInformation(): Promise<RESTGetAPIGatewayBotResult> }) =>
                sharedIdentifyThrottler(core, cfg.applicationId, (await manager.fetchGatewayInformation()).session_start_limit.max_concurrency),
      },
    });
    client.on(
      Events.MessageCreate,
      guard('message handling', (m: Message) => onMessage(m, false)),
    );
    client.on(
      Events.MessageUpdate,
      guard('edit handling', (_old: Message | PartialMessage, m: Message | PartialMessage) => onMessage(m, true)),
    );
    // A member who deletes their answer before the reveal withdraws it (a moderator's purge too).
    client.on(
      Events.MessageDelete,
      guard('deletion', (m: Message | PartialMessage) => onDelete(m)),
    );
    client.on(
      Events.MessageBulkDelete,
      guard('bulk deletion', async (ms: ReadonlyCollection<string, Message | PartialMessage>) => {
        for (const m of ms.values()) await onDelete(m);
      }),
    );
    client.on(
      Events.MessageReactionAdd,
      guard('vote', (r: MessageReaction | PartialMessageReaction, u: User | PartialUser) => onReaction(r, u, true)),
    );
    client.on(
      Events.MessageReactionRemove,
      guard('vote retraction', (r: MessageReaction | PartialMessageReaction, u: User | PartialUser) => onReaction(r, u, false)),
    );
    client.on(
      Events.InteractionCreate,
      guard('interaction', (i: Interaction) => onInteraction(i)),
    );
    client.on(
      Events.GuildCreate,
      guard('welcome', (g: Guild) => onGuildJoin(g)),
    );
    client.on(Events.Error, (err) => logger.error('discord client error', { shard: shardId, err }));
    client.rest.on('rateLimited', () => core.recordMetric({ kind: 'rate-limited', platform: 'discord' }));
    guardGatewayPackets(client, logger);
    return client;
  };

  /**
   * A server that just added quizbot (discord.js emits GuildCreate only for new guilds): one
   * welcome, across replicas and restarts, in the first channel quizbot may post in (the system
   * channel first); where it may post nowhere, the owner hears it privately.
   */
  async function onGuildJoin(g: Guild): Promise<void> {
    if (!(await claimWelcome(core, 'discord', g.id))) return;
    const me = g.members.me ?? (await g.members.fetchMe());
    const canPost = (c: GuildBasedChannel | null | undefined): c is TextChannel =>
      !!c && c.type === ChannelType.GuildText && c.permissionsFor(me).has([PermissionFlagsBits.ViewChannel, PermissionFlagsBits.SendMessages]);
    const texts = [...g.channels.cache.values()].filter((c) => c.type === ChannelType.GuildText).sort((a, b) => a.position - b.position);
    const target = [g.systemChannel, ...texts].find(canPost);
    const where: ChannelRef = { platform: 'discord', serverId: g.id, channelId: target?.id ?? '' };
    if (target) await chat.sendPublic(where, { content: TEXTS.welcome });
    else await chat.tellMember(where, g.ownerId, TEXTS.welcome);
    logger.info('welcomed a new server', { guild: g.id, channel: target?.id ?? 'owner DM' });
  }

  async function onInteraction(i: Interaction): Promise<void> {
    if (!i.guildId || !i.channelId) {
      // A DM: /quizhelp answers; the rest work in a server's channels, and say so.
      if (i.isChatInputCommand()) await replyInParts(i, placedOf(i)?.leaf.dm ? `${TEXTS.dmHelpIntro}\n${core.helpText()}` : TEXTS.guildOnly);
      return;
    }
    const channel: ChannelRef = {
      platform: 'discord',
      serverId: i.guildId,
      channelId: i.channel?.isThread() ? (i.channel.parentId ?? i.channelId) : i.channelId,
    };
    const isAdmin = i.memberPermissions?.has(PermissionFlagsBits.ManageGuild) ?? false;
    const threadRef = i.channel?.isThread() ? i.channelId : null;
    const ctx = { channel, member: memberOf(i), isAdmin, threadRef };
    if (i.isAutocomplete()) {
      const focused = i.options.getFocused(true);
      const option = placedOf(i)?.leaf.options?.find((o) => o.name.toLowerCase() === focused.name);
      if (option?.autocomplete === 'round') {
        const choices = await core.revealChoices(ctx);
        await i.respond(choices.slice(0, 25).map((c) => ({ name: clip(`${c.index}. ${c.label}`, 100), value: c.roundId.slice(0, 100) })));
        return;
      }
      const list = core.suggestTopics(String(focused.value), 25).map((s) => ({ name: clip(s.title, 100), value: s.id }));
      await i.respond(list);
      return;
    }
    if (i.isButton() && i.customId.startsWith(BUTTON_PREFIX)) {
      const roundId = i.customId.slice(BUTTON_PREFIX.length);
      const modal = new ModalBuilder()
        .setCustomId(`${MODAL_PREFIX}${roundId}`)
        .setTitle(TEXTS.privateForm.title)
        .addComponents(
          new ActionRowBuilder<TextInputBuilder>().addComponents(
            new TextInputBuilder()
              .setCustomId('answer')
              .setLabel(TEXTS.privateForm.label)
              .setStyle(TextInputStyle.Paragraph)
              .setMaxLength(4000)
              .setRequired(true),
          ),
        );
      await i.showModal(modal);
      return;
    }
    if (i.isModalSubmit() && i.customId.startsWith(MODAL_PREFIX)) {
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
      return;
    }
    if (i.isChatInputCommand() && placedOf(i)?.leaf.form) {
      await i.showModal(suggestModal());
      return;
    }
    if (i.isModalSubmit() && i.customId === SUGGEST_MODAL) {
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
      return;
    }
    if (!i.isChatInputCommand()) return;
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

  const shardCount = cfg.shards === 'auto' ? ((await rest.get(Routes.gatewayBot())) as RESTGetAPIGatewayBotResult).shards : cfg.shards;
  const wanted = cfg.shardIds ?? Array.from({ length: shardCount }, (_, i) => i);
  const beyond = wanted.filter((id) => id >= shardCount);
  if (beyond.length > 0)
    throw new Error(`DISCORD_SHARD_IDS names shard ${beyond.join(', ')}, but Discord recommends ${shardCount} shards (ids 0–${shardCount - 1})`);
  const supervisor = new ShardSupervisor(core, cfg.applicationId, shardCount, wanted, opts.leaseMs ?? cfg.shardLeaseMs, async (id) => {
    const client = shardClient(id, shardCount);
    const ready = new Promise<void>((resolve) => client.once(Events.ClientReady, () => resolve()));
    await client.login(cfg.token);
    await ready;
    logger.info('discord shard connected', {
      shard: id,
      of: shardCount,
      user: client.user?.tag,
      guilds: client.guilds.cache.size,
      messageContent: cfg.messageContent,
    });
    return client;
  });
  const stop = () => supervisor.stop();
  // Registered before starting: shards that connected before another one failed are closed too.
  core.onClose(stop);
  await supervisor.start();
  return { rest, shards: () => supervisor.held(), ready: () => supervisor.ready(), stop };
}

/**
 * Each shard's gateway session runs in exactly one process: a process runs a shard only while it
 * holds that shard's lease in Redis (renewed every third of its duration). Several replicas may
 * want the same shards; the others stand by and take a shard over when its holder stops renewing
 * (crash, shutdown), so every event is handled once and none is lost for longer than a lease.
 */
class ShardSupervisor {
  private readonly holder = randomUUID();
  private readonly clients = new Map<number, Client>();
  /** Shards being connected (an IDENTIFY may wait its turn): renewals never wait behind them. */
  private readonly connecting = new Map<number, Promise<void>>();
  private timer: NodeJS.Timeout | null = null;
  private ticking: Promise<void> | null = null;
  private stopped = false;

  constructor(
    private readonly core: PlatformFacade,
    private readonly applicationId: string,
    private readonly count: number,
    private readonly wanted: number[],
    private readonly leaseMs: number,
    private readonly connect: (shardId: number) => Promise<Client>,
  ) {}

  private lease(id: number): string {
    return `discord-shard:${this.applicationId}:${id}/${this.count}`;
  }

  /** Takes the free shards and waits until they are connected (a connection failure is thrown). */
  async start(): Promise<void> {
    await this.tick();
    await Promise.all(this.connecting.values());
    const failed = this.wanted.filter((id) => this.failures.has(id));
    if (failed.length > 0) throw this.failures.get(failed[0]!)!;
    if (this.clients.size === 0) {
      this.core.logger.info('discord: standing by; another process runs every shard this one may run', { shards: this.wanted, of: this.count });
    }
    this.timer = setInterval(() => {
      this.ticking ??= this.tick()
        .catch((err: unknown) => this.core.logger.warn('discord shard supervision failed', { err }))
        .finally(() => (this.ticking = null));
    }, this.leaseMs / 3);
    this.timer.unref();
  }

  private readonly failures = new Map<number, Error>();

  /** Renews every lease this process holds, takes free ones, and starts connecting them. */
  private async tick(): Promise<void> {
    for (const id of this.wanted) {
      if (this.stopped) return;
      let held: boolean;
      try {
        held = await this.core.holdLease(this.lease(id), this.holder, this.leaseMs);
      } catch (err) {
        // Redis unreachable: keep the session; the lease still stands until it expires.
        this.core.logger.warn('discord: could not renew a shard lease', { shard: id, err });
        continue;
      }
      const client = this.clients.get(id);
      if (held && !client && !this.connecting.has(id)) {
        this.failures.delete(id);
        const attempt = this.connect(id)
          .then(async (c) => {
            // The lease may have gone while the IDENTIFY waited: never run a shard we do not hold.
            if (this.stopped || !(await this.core.holdLease(this.lease(id), this.holder, this.leaseMs).catch(() => false))) {
              await c.destroy();
              if (this.stopped) await this.core.releaseLease(this.lease(id), this.holder).catch(() => undefined);
              return;
            }
            this.clients.set(id, c);
          })
          .catch(async (err: unknown) => {
            this.failures.set(id, err as Error);
            this.core.logger.error('discord: a shard could not connect; its lease is released', { shard: id, err });
            await this.core.releaseLease(this.lease(id), this.holder).catch(() => undefined);
          })
          .finally(() => this.connecting.delete(id));
        this.connecting.set(id, attempt);
      } else if (!held && client) {
        this.core.logger.warn('discord: another process holds this shard now; closing its session here', { shard: id });
        this.clients.delete(id);
        await client.destroy();
      }
    }
  }

  held(): number[] {
    return [...this.clients.keys()].sort((a, b) => a - b);
  }

  ready(): boolean {
    return [...this.clients.values()].every((c) => c.isReady());
  }

  async stop(): Promise<void> {
    this.stopped = true;
    if (this.timer) clearInterval(this.timer);
    await this.ticking;
    await Promise.all(this.connecting.values());
    for (const [id, client] of this.clients) {
      await client.destroy();
      await this.core.releaseLease(this.lease(id), this.holder).catch(() => undefined);
    }
    this.clients.clear();
  }
}

/**
 * Discord allows `max_concurrency` IDENTIFYs per 5 seconds for the whole bot, across every
 * process: each shard waits for its rate-limit bucket's slot, claimed in Redis.
 */
function sharedIdentifyThrottler(core: PlatformFacade, applicationId: string, maxConcurrency: number) {
  return {
    async waitForIdentify(shardId: number, signal: AbortSignal): Promise<void> {
      const bucket = shardId % Math.max(1, maxConcurrency);
      while (!(await core.claimOnce(`discord-identify:${applicationId}:${bucket}`, 5_000))) {
        if (signal.aborted) throw new Error('identify aborted');
        await new Promise((r) => setTimeout(r, 250));
      }
    },
  };
}

/**
 * A gateway payload discord.js cannot build (an interaction missing a field it requires) throws
 * inside its packet handler, outside any listener of ours, and would end the process as an
 * unhandled error. Each packet is handled in isolation instead: the bad one is logged, the next
 * one is handled. (main.ts also installs process-level handlers as the last line of defence.)
 */
function guardGatewayPackets(client: Client, logger: PlatformFacade['logger']): void {
  const ws = client.ws as unknown as { handlePacket?: (packet: { t?: string } | undefined, shard: unknown) => boolean };
  const original = ws.handlePacket?.bind(ws);
  if (!original) return;
  ws.handlePacket = (packet, shard) => {
    try {
      return original(packet, shard);
    } catch (err) {
      logger.error('discord: a gateway event could not be handled; skipped', { event: packet?.t, err });
      return true;
    }
  };
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
