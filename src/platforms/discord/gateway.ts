/** Gateway events → core calls: replies (and edits, deletions) are answers, 👍 are votes, a new server is welcomed. */
import {
  ChannelType,
  type Guild,
  type GuildBasedChannel,
  type TextChannel,
  Client,
  Events,
  type GatewayIntentBits,
  Partials,
  PermissionFlagsBits,
  type Interaction,
  type Message,
  type MessageReaction,
  type PartialMessage,
  type PartialMessageReaction,
  type PartialUser,
  type User,
  type RESTGetAPIGatewayBotResult,
  type ReadonlyCollection,
} from 'discord.js';
import { privateAnswerReceipt } from '../../core/rounds/quiz.js';
import { claimWelcome } from '../../core/community/welcome.js';
import { lateResponse, wantsAck, type LateOutcome } from '../../core/rounds/answer-buffer.js';
import type { ChannelRef, Member } from '../../core/types.js';
import { TEXTS } from '../../core/text/texts.js';

import { CONTENT_UNAVAILABLE, NO_MENTIONS, REST_OPTIONS } from './common.js';
import type { DiscordRoom } from './room.js';
import { isVote } from './chat.js';
import { guardGatewayPackets, sharedIdentifyThrottler } from './shards.js';

export function channelOf(m: Message | PartialMessage): { channel: ChannelRef; threadRef: string } | null {
  if (!m.guildId) return null;
  const ch = m.channel;
  if (ch.isThread()) return { channel: { platform: 'discord', serverId: m.guildId, channelId: ch.parentId ?? ch.id }, threadRef: ch.id };
  return { channel: { platform: 'discord', serverId: m.guildId, channelId: ch.id }, threadRef: ch.id };
}

export function memberOf(m: Message | PartialMessage | Interaction): Member {
  const user = 'author' in m ? m.author! : m.user;
  const display = m.member && 'displayName' in m.member ? m.member.displayName : (user.globalName ?? user.username);
  return { id: user.id, name: display };
}

async function onDelete(room: DiscordRoom, m: Message | PartialMessage): Promise<void> {
  const { core } = room;
  if (!m.guildId || m.author?.bot) return;
  await core.withdrawAnswer({ platform: 'discord', serverId: m.guildId, channelId: m.channelId }, m.id);
}

async function onMessage(room: DiscordRoom, m: Message | PartialMessage, update: boolean): Promise<void> {
  const { core, chat, cfg, logger, noticed } = room;
  // MESSAGE_UPDATE also arrives for link embeds resolving and pins: only a non-null
  // edited_timestamp is an edit, and only an edit can change an answer.
  if (update && m.editedTimestamp === null) return void core.recordMetric({ kind: 'answer', platform: 'discord', outcome: 'not-an-edit' });
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
  if (!update && wantsAck(receipt)) await chat.acknowledge(m.channelId, m.id);
}

async function onReaction(room: DiscordRoom, reaction: MessageReaction | PartialMessageReaction, user: User | PartialUser, added: boolean): Promise<void> {
  const { core, logger } = room;
  if (!isVote(reaction.emoji.name) || user.bot) return;
  const m = reaction.message;
  if (!m.guildId) return;
  const channel: ChannelRef = { platform: 'discord', serverId: m.guildId, channelId: m.channelId };
  const voter: Member = { id: user.id, name: user.globalName ?? user.username ?? user.id };
  if (added) {
    const out = await core.vote({ channel, messageRef: m.id, voter, deliveryId: `react:${m.id}:${user.id}` });
    logger.debug('vote', { outcome: out, message: m.id });
  } else await core.retractVote({ channel, messageRef: m.id, voter });
}

/**
 * An event handler whose failure is logged, never thrown into discord.js, and that runs only
 * while this process holds the shard (`owns`): an event a paused process buffered is dropped.
 * While the lease is fresh the handler starts at once, in the order discord.js emits (it updates
 * cached messages in place: a handler started later would read a later edit).
 */
function guard<A extends unknown[]>(
  room: DiscordRoom,
  owns: () => boolean | Promise<boolean>,
  what: string,
  fn: (...a: A) => Promise<void>,
): (...a: A) => void {
  const { logger, core } = room;
  const failed = (err: unknown) => logger.error(`${what} failed`, { err });
  return (...a: A) => {
    const held = owns();
    if (held === true) return void fn(...a).catch(failed);
    void (async () => {
      if (!(await held)) {
        core.recordMetric({ kind: 'event-dropped', platform: 'discord' });
        logger.warn('discord: an event arrived while this process did not hold its shard; dropped', { what });
        return;
      }
      await fn(...a);
    })().catch(failed);
  };
}

/** One gateway client per shard: a process can take over any shard whose holder went away. */
export function shardClient(
  room: DiscordRoom,
  intents: GatewayIntentBits[],
  onInteraction: (i: Interaction) => Promise<void>,
  shardId: number,
  shardCount: number,
  owns: () => boolean | Promise<boolean> = () => true,
): Client {
  const { core, cfg, logger } = room;
  const client = new Client({
    intents,
    partials: [Partials.Message, Partials.Reaction, Partials.User, Partials.Channel],
    allowedMentions: NO_MENTIONS,
    rest: { ...REST_OPTIONS, ...(cfg.apiUrl ? { api: cfg.apiUrl } : {}) },
    shards: [shardId],
    shardCount,
    ws: {
      buildIdentifyThrottler:
        room.identifyThrottle === false
          ? () => Promise.resolve({ waitForIdentify: async () => {} })
          : async (manager: { fetchGatewayInformation(): Promise<RESTGetAPIGatewayBotResult> }) =>
              sharedIdentifyThrottler(core, cfg.applicationId, (await manager.fetchGatewayInformation()).session_start_limit.max_concurrency),
    },
  });
  client.on(
    Events.MessageCreate,
    guard(room, owns, 'message handling', (m: Message) => onMessage(room, m, false)),
  );
  client.on(
    Events.MessageUpdate,
    guard(room, owns, 'edit handling', (_old: Message | PartialMessage, m: Message | PartialMessage) => onMessage(room, m, true)),
  );
  // A member who deletes their answer before the reveal withdraws it (a moderator's purge too).
  client.on(
    Events.MessageDelete,
    guard(room, owns, 'deletion', (m: Message | PartialMessage) => onDelete(room, m)),
  );
  client.on(
    Events.MessageBulkDelete,
    guard(room, owns, 'bulk deletion', async (ms: ReadonlyCollection<string, Message | PartialMessage>) => {
      for (const m of ms.values()) await onDelete(room, m);
    }),
  );
  client.on(
    Events.MessageReactionAdd,
    guard(room, owns, 'vote', (r: MessageReaction | PartialMessageReaction, u: User | PartialUser) => onReaction(room, r, u, true)),
  );
  client.on(
    Events.MessageReactionRemove,
    guard(room, owns, 'vote retraction', (r: MessageReaction | PartialMessageReaction, u: User | PartialUser) => onReaction(room, r, u, false)),
  );
  client.on(
    Events.InteractionCreate,
    guard(room, owns, 'interaction', (i: Interaction) => onInteraction(i)),
  );
  client.on(
    Events.GuildCreate,
    guard(room, owns, 'welcome', (g: Guild) => onGuildJoin(room, g)),
  );
  client.on(Events.Error, (err) => logger.error('discord client error', { shard: shardId, err }));
  client.rest.on('rateLimited', () => core.recordMetric({ kind: 'rate-limited', platform: 'discord' }));
  guardGatewayPackets(client, logger);
  return client;
}

/**
 * A server that just added quizbot (discord.js emits GuildCreate only for new guilds): one
 * welcome, across replicas and restarts, in the first channel quizbot may post in (the system
 * channel first); where it may post nowhere, the owner hears it privately.
 */
async function onGuildJoin(room: DiscordRoom, g: Guild): Promise<void> {
  const { core, chat, logger } = room;
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
