/**
 * The chat port on Slack: questions, threads, reveals and notices as Block Kit messages, each
 * marked with message metadata so a retry finds what an earlier attempt sent (Slack has no
 * idempotency key); user groups for the notify role; private messages to members.
 */
import type { App as BoltApp } from '@slack/bolt';
import { ChannelGoneError, ChannelUnavailableError, QuizError, RateLimitedError } from '../../core/text/errors.js';
import type { PlatformFacade } from '../../core/facade.js';
import type { ChatPort, Logger, NoticeSendOptions, NoticeView, QuestionPost, RevealProgress, RevealView } from '../../core/ports.js';
import type { ChannelRef } from '../../core/types.js';
import { questionView, revealViewModel } from '../../core/text/views.js';
import { errorCode, METADATA_EVENT } from './client.js';
import { esc, noticeMessage, questionMessage, revealMessages, type SlackMessage } from './render.js';

/** Resume lookups: messages per page (the most Slack returns to apps outside the Marketplace), pages, skew allowed. */
const LOOKUP_PAGE = 15;
const LOOKUP_PAGES = 10;
const LOOKUP_SKEW_MS = 60_000;

const metadata = (roundId: string, part: string) => ({ event_type: METADATA_EVENT, event_payload: { round_id: roundId, part } });

/** A refused post as the core understands it: the channel is gone, or needs a person to act. */
function postError(err: unknown, channel: ChannelRef): unknown {
  const code = errorCode(err);
  if ((err as { code?: string }).code === 'slack_webapi_rate_limited_error')
    return new RateLimitedError(((err as { retryAfter?: number }).retryAfter ?? 60) * 1000);
  if (code === 'channel_not_found' || code === 'is_archived') return new ChannelGoneError(`Slack channel ${channel.channelId}: ${code}`);
  if (code === 'not_in_channel') return new ChannelUnavailableError('not-in-channel', `Slack channel ${channel.channelId}: not_in_channel`);
  return err;
}

export class SlackChat implements ChatPort {
  private readonly logger: Logger;

  constructor(
    private readonly bolt: BoltApp,
    private readonly core: PlatformFacade,
    private readonly tokenFor: (teamId: string) => Promise<string>,
    /** Posts messages; never retried by the client (a timed-out post may have gone out). */
    private readonly sender: BoltApp['client'] = bolt.client,
  ) {
    this.logger = core.logger;
  }

  /**
   * The bot's message in a channel (or a thread) whose metadata names this round and part, if
   * an earlier attempt sent it. History is heavily rate-limited for apps outside the Marketplace
   * (about one call a minute, 15 messages each), so this runs only when resuming, and reads only
   * what came after the attempt began (`sinceMs`, a minute earlier for clock skew). A lookup that
   * could not read that far says so (an error: the job retries later) instead of answering "not
   * sent" — which would post a second time.
   */
  private async findSent(token: string, channel: string, threadTs: string | null, roundId: string, part: string, sinceMs: number): Promise<string | null> {
    const ours = (m: { metadata?: { event_type?: string; event_payload?: unknown } }) => {
      const payload = m.metadata?.event_payload as Record<string, unknown> | undefined;
      return m.metadata?.event_type === METADATA_EVENT && payload?.round_id === roundId && payload.part === part;
    };
    const oldest = (Math.max(0, sinceMs - LOOKUP_SKEW_MS) / 1000).toFixed(6);
    let cursor: string | undefined;
    for (let page = 0; page < LOOKUP_PAGES; page++) {
      const r = threadTs
        ? await this.bolt.client.conversations.replies({
            token,
            channel,
            ts: threadTs,
            oldest,
            limit: LOOKUP_PAGE,
            include_all_metadata: true,
            ...(cursor ? { cursor } : {}),
          })
        : await this.bolt.client.conversations.history({
            token,
            channel,
            oldest,
            limit: LOOKUP_PAGE,
            include_all_metadata: true,
            ...(cursor ? { cursor } : {}),
          });
      const hit = (r.messages ?? []).find(ours);
      if (hit?.ts) return hit.ts;
      cursor = r.response_metadata?.next_cursor || undefined;
      if (!r.has_more || !cursor) return null;
    }
    throw new Error(`Slack lookup of ${part} of ${roundId} cut short after ${LOOKUP_PAGES * LOOKUP_PAGE} messages; not posting it again blind`);
  }

  /** Posts one of quizbot's messages (no unfurls), marked with its round or notice key and part. */
  private async send(token: string, channel: string, threadTs: string | null, m: SlackMessage, key: string, part: string): Promise<string> {
    const r = await this.sender.chat.postMessage({
      token,
      channel,
      thread_ts: threadTs || undefined,
      text: m.text,
      blocks: m.blocks as never,
      unfurl_links: false,
      unfurl_media: false,
      metadata: metadata(key, part),
    });
    if (!r.ts) throw new Error('chat.postMessage returned no ts');
    return r.ts;
  }

  async sendQuestion(channel: ChannelRef, post: QuestionPost, opts: { resume: boolean }): Promise<{ messageRef: string }> {
    const token = await this.tokenFor(channel.serverId);
    try {
      if (opts.resume) {
        const ts = await this.findSent(token, channel.channelId, null, post.round.id, 'question', post.round.postedAt);
        if (ts) return { messageRef: ts };
      }
      return { messageRef: await this.send(token, channel.channelId, null, questionMessage(questionView(post)), post.round.id, 'question') };
    } catch (err) {
      throw postError(err, channel);
    }
  }

  // A Slack thread is the question message itself: its ts.
  async openThread(_channel: ChannelRef, messageRef: string): Promise<{ threadRef: string }> {
    return { threadRef: messageRef };
  }

  async postReveal(channel: ChannelRef, threadRef: string, view: RevealView, progress: RevealProgress) {
    const token = await this.tokenFor(channel.serverId);
    const parts = revealMessages(revealViewModel(view));
    for (let i = progress.from; i < parts.length; i++) {
      const resume = await progress.before(i);
      const part = `reveal-${i}`;
      const found = resume
        ? await this.findSent(token, channel.channelId, threadRef || null, view.round.id, part, view.round.revealedAt ?? view.round.postedAt)
        : null;
      if (!found) await this.send(token, channel.channelId, threadRef || null, parts[i]!, view.round.id, part);
      await progress.sent(i);
    }
  }

  async markRevealed(channel: ChannelRef, messageRef: string, post: QuestionPost) {
    const m = questionMessage(questionView(post, { revealed: true }));
    await this.bolt.client.chat.update({
      token: await this.tokenFor(channel.serverId),
      channel: channel.channelId,
      ts: messageRef,
      text: m.text,
      blocks: m.blocks as never,
    });
  }

  async sendNotice(channel: ChannelRef, threadRef: string | null, notice: NoticeView, opts: NoticeSendOptions) {
    const token = await this.tokenFor(channel.serverId);
    try {
      if (opts.resume && (await this.findSent(token, channel.channelId, threadRef, notice.key, 'notice', opts.sinceMs))) return;
      await this.send(token, channel.channelId, threadRef, noticeMessage(notice), notice.key, 'notice');
    } catch (err) {
      throw postError(err, channel);
    }
  }

  async setRoleMember(channel: ChannelRef, role: string, memberId: string, on: boolean) {
    const token = await this.tokenFor(channel.serverId);
    // Slack replaces a user group's whole member list: one change at a time per group (across
    // replicas), or two members opting in together would each write a list without the other.
    await this.core.underLease(`slack-usergroup:${channel.serverId}:${role}`, 10_000, async () => {
      try {
        const r = await this.bolt.client.usergroups.users.list({ token, usergroup: role });
        const users = new Set(r.users ?? []);
        if (users.has(memberId) === on) return;
        if (on) users.add(memberId);
        else users.delete(memberId);
        if (users.size === 0) throw QuizError.of('notify-last');
        await this.bolt.client.usergroups.users.update({ token, usergroup: role, users: [...users].join(',') });
      } catch (err) {
        const code = errorCode(err);
        if (code === 'no_such_subteam' || code === 'subteam_not_found') throw QuizError.of('notify-role-gone');
        if (code === 'missing_scope' || code === 'paid_teams_only' || code === 'permission_denied' || code === 'not_allowed_token_type')
          throw QuizError.of('notify-forbidden');
        throw err;
      }
    });
  }

  async tellMember(channel: ChannelRef, memberId: string | null, text: string) {
    // The text comes from the core (no member input): only the channel mention is markup.
    const body = esc(text).replaceAll('{channel}', `<#${channel.channelId}>`);
    if (!memberId) {
      // No single owner to message: the operator's log carries the notice (no member's words in it).
      this.logger.warn('a notice for the workspace admins', { team: channel.serverId, text });
      return;
    }
    // A private message to a member stays private: its text is not logged.
    this.logger.debug('telling a member privately', { team: channel.serverId, member: memberId });
    try {
      await this.bolt.client.chat.postMessage({ token: await this.tokenFor(channel.serverId), channel: memberId, text: body });
    } catch (err) {
      this.logger.warn('could not reach the member', { team: channel.serverId, err: (err as Error).message });
    }
  }
}
