/** The chat port on Discord (REST): questions, threads, reveals, notices, private messages, roles. */
import {
  RateLimitError,
  DiscordAPIError,
  ThreadAutoArchiveDuration,
  type REST,
  RESTJSONErrorCodes,
  Routes,
  type RESTGetAPIGuildResult,
  type RESTGetAPIUserResult,
  makeURLSearchParams,
  type APIMessage,
  type RESTGetAPIChannelMessagesResult,
  type RESTPostAPIChannelMessageResult,
  type RESTPostAPIChannelMessagesThreadsResult,
} from 'discord.js';
import { ChannelGoneError, ChannelUnavailableError, QuizError, RateLimitedError } from '../../core/text/errors.js';
import type { PlatformFacade } from '../../core/facade.js';
import type { ChatPort, NoticeSendOptions, NoticeView, QuestionPost, RevealProgress, RevealView } from '../../core/ports.js';
import { messageNonce } from '../../core/rounds/round-ids.js';
import type { ChannelRef } from '../../core/types.js';
import { TEXTS } from '../../core/text/texts.js';
import { questionView, revealViewModel } from '../../core/text/views.js';
import {
  answerButtonId,
  hinted,
  noticePayload,
  questionPayload,
  revealMarkerOf,
  revealPayloads,
  threadName,
  withRevealMarker,
  type DiscordPayload,
} from './render.js';

import { AckBudget } from '../ack-budget.js';
import { NO_MENTIONS } from './common.js';

function isPermissionError(err: unknown): boolean {
  return err instanceof DiscordAPIError && (err.code === 50013 || err.code === 50001);
}

/** A 👍 in any skin tone is a vote. */
export const isVote = (emoji: string | null) => emoji !== null && emoji.startsWith('👍');
/** What the bot adds to each recorded thread reply. */
export const ACK_EMOJI = '✅';

/** Unknown Channel / Unknown Guild: retrying can never post there. */
function isGone(err: unknown): boolean {
  return err instanceof DiscordAPIError && (err.code === RESTJSONErrorCodes.UnknownChannel || err.code === RESTJSONErrorCodes.UnknownGuild);
}

/** A refused post as the core understands it: the channel is gone, or needs a person to act. */
export function postError(err: unknown, channelId: string): unknown {
  // A long rate limit goes back to the job (discord.js would wait it out in place, past the lease).
  if (err instanceof RateLimitError) return new RateLimitedError(err.retryAfter);
  if (isGone(err)) return new ChannelGoneError(`Discord channel ${channelId} is gone: ${(err as Error).message}`);
  if (isPermissionError(err)) return new ChannelUnavailableError('missing-permissions', `Discord refused the post in ${channelId}: ${(err as Error).message}`);
  return err;
}

/**
 * A refused reveal as the core understands it: a thread that was deleted is gone; one that is
 * archived for good or locked by a moderator, or where the bot lost access, needs a person (the
 * core then reveals in the channel itself, or gives up once and tells the admin).
 */
function revealError(err: unknown, target: string): unknown {
  if (err instanceof DiscordAPIError && (err.code === RESTJSONErrorCodes.InvalidActionOnArchivedThread || err.code === RESTJSONErrorCodes.ThreadLocked))
    return new ChannelUnavailableError('missing-permissions', `Discord thread ${target} is archived or locked: ${err.message}`);
  return postError(err, target);
}

/**
 * Everything the bot sends goes through REST only: any process (a shard, or a worker with no
 * gateway at all) can post to any guild, with no reliance on a gateway cache.
 */
export class DiscordChat implements ChatPort {
  private me: Promise<string> | null = null;
  private readonly acks = new AckBudget();

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
      if (!found) {
        try {
          await this.create(target, payload, messageNonce(view.round.id, `reveal-${i}`));
        } catch (err) {
          throw revealError(err, target);
        }
      }
      await progress.sent(i);
    }
  }

  async markRevealed(channel: ChannelRef, messageRef: string, post: QuestionPost): Promise<void> {
    await this.rest.patch(Routes.channelMessage(channel.channelId, messageRef), {
      body: { ...hinted(questionPayload(questionView(post, { revealed: true }))), allowed_mentions: NO_MENTIONS },
    });
  }

  async sendNotice(channel: ChannelRef, threadRef: string | null, notice: NoticeView, opts: NoticeSendOptions): Promise<void> {
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
  /** ✅ on a recorded reply, within the acks' own budget (skipped beyond it, never queued before a post). */
  async acknowledge(channelId: string, messageId: string): Promise<void> {
    if (!this.acks.take()) return this.core.logger.debug('✅ skipped: over the acks budget', { message: messageId });
    await this.rest
      .put(Routes.channelMessageOwnReaction(channelId, messageId, encodeURIComponent(ACK_EMOJI)))
      .catch((err: unknown) => this.core.logger.debug('could not add the ✅ reaction', { err: (err as Error).message }));
  }
}
