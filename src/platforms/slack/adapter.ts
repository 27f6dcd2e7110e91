/**
 * Slack adapter (Bolt): events, commands and interactions → core calls; core output → Block Kit.
 * No business rule lives here. Socket Mode (bot + app token) or HTTP mode (signing secret, with a
 * bot token for one workspace or OAuth installs stored in Redis for many).
 *
 * Replies are collected from message events (never by polling conversations.replies); Events API
 * retries and Socket Mode redeliveries are dropped by event_id, and every answer is recorded
 * idempotently by its message ts anyway. Echoed text is escaped, so `<!channel>` and mentions in
 * an answer never notify anyone.
 */
import { App as BoltApp, LogLevel, type BlockAction, type ButtonAction } from '@slack/bolt';
import { randomUUID } from 'node:crypto';
import type { Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { InstallationStore } from '@slack/oauth';
import type { SlackConfig } from '../../config/env.js';
import type { Reply } from '../../core/commands/index.js';
import { ChannelGoneError, ChannelUnavailableError, QuizError, RateLimitedError } from '../../core/errors.js';
import type { PlatformFacade } from '../../core/facade.js';
import type { ChatPort, NoticeView, QuestionPost, RevealProgress, RevealView } from '../../core/ports.js';
import { privateAnswerReceipt } from '../../core/quiz.js';
import { claimWelcome } from '../../core/welcome.js';
import { lateResponse, type LateOutcome } from '../../core/answer-buffer.js';
import { THREAD_TOKEN } from '../../core/commands/history.js';
import type { ChannelRef, Member } from '../../core/types.js';
import { TEXTS } from '../../core/texts.js';
import { questionView, revealViewModel } from '../../core/views.js';
import {
  ANSWER_ACTION,
  ANSWER_MODAL,
  REVEAL_ACTION_PREFIX,
  answerModal,
  boardText,
  chooseRoundBlocks,
  esc,
  noticeMessage,
  suggestModal,
  SUGGEST_MODAL,
  questionMessage,
  revealMessages,
  type SlackMessage,
} from './render.js';

export const SCOPES = [
  'chat:write',
  'commands',
  'channels:history',
  'groups:history',
  'reactions:read',
  'reactions:write',
  'users:read',
  'usergroups:read',
  'usergroups:write',
  'channels:read',
  'groups:read',
  'im:write',
];
/** A Slack call gives up after this (well within a round's 60 s lease, retries included). */
const CALL_TIMEOUT_MS = 15_000;
/** A 429 asking to wait at most this long is waited out in place; longer ones go back to the job. */
const SHORT_LIMIT_S = 3;

/** fetch for the WebClient: waits out one short 429 (Retry-After ≤ 3 s) itself. */
async function waitingOutShortLimits(input: string | URL | Request, init?: RequestInit): Promise<Response> {
  const res = await fetch(input, init);
  if (res.status !== 429) return res;
  const after = Number(res.headers.get('retry-after'));
  if (!Number.isFinite(after) || after < 0 || after > SHORT_LIMIT_S) return res;
  await res.body?.cancel();
  await new Promise((r) => setTimeout(r, after * 1000));
  return fetch(input, init);
}

/** Added to each recorded thread reply. */
export const ACK_REACTION = 'white_check_mark';
/** Thread replies with these subtypes are answers too ("also send to channel", a reply with a file). */
const ANSWER_SUBTYPES = new Set(['thread_broadcast', 'file_share']);
const VOTE_REACTIONS = new Set(['+1', 'thumbsup', '+1::skin-tone-2', '+1::skin-tone-3', '+1::skin-tone-4', '+1::skin-tone-5', '+1::skin-tone-6']);
const EVENT_DEDUPE_S = 3600;
/** Message metadata event type: marks quizbot's own messages with their round and part. */
const METADATA_EVENT = 'quizbot_round';
const ADMIN_CACHE_MS = 5 * 60_000;

export interface SlackHandle {
  bolt: BoltApp;
  /** HTTP mode: the URL Slack posts to (`…/slack/events`). */
  url: string | null;
  stop(): Promise<void>;
}

export async function startSlack(
  core: PlatformFacade,
  cfg: SlackConfig,
  /** receive: false — post only, no Socket Mode connection or HTTP listener (`quizbot worker`). */
  opts: { retries?: number; installations?: InstallationStore; receive?: boolean } = {},
): Promise<SlackHandle> {
  const { logger } = core;
  // Fencing (issue 25): no call may outlive the round's lease. The WebClient's defaults (ten
  // retries over ~30 minutes, no timeout, waiting out every 429 itself) let a post sent long
  // after its lease was lost land twice. Calls time out, retry briefly, wait out short 429s and
  // hand long ones back as RateLimitedError: the job pauses its queue and retries later, resuming
  // (finding an earlier attempt's message) under a fresh lease.
  const clientOptions = {
    ...(cfg.apiUrl ? { slackApiUrl: cfg.apiUrl } : {}),
    timeout: CALL_TIMEOUT_MS,
    rejectRateLimitedCalls: true,
    fetch: waitingOutShortLimits,
    retryConfig:
      opts.retries !== undefined
        ? { retries: opts.retries, factor: 1, minTimeout: 10, maxTimeout: 50 }
        : { retries: 2, factor: 2, minTimeout: 500, maxTimeout: 2_000 },
  };
  // Bolt's and the Socket Mode client's logs go to quizbot's logger (JSON, secrets redacted);
  // socket reconnects are routine, so they are warnings, not errors.
  const boltLogger = {
    debug: () => {},
    info: () => {},
    warn: (...m: unknown[]) => logger.warn('slack', { detail: m.map(String).join(' ') }),
    error: (...m: unknown[]) => logger.warn('slack', { detail: m.map(String).join(' ') }),
    setLevel: () => {},
    getLevel: () => LogLevel.WARN,
    setName: () => {},
  };
  const common = { logger: boltLogger, logLevel: LogLevel.WARN, clientOptions, ignoreSelf: true };
  const installationStore = opts.installations;
  if (cfg.mode === 'http' && cfg.oauth && !installationStore) throw new Error('Slack OAuth needs an installation store');
  let bolt: BoltApp;
  if (cfg.mode === 'socket') {
    bolt = new BoltApp({ token: cfg.botToken, appToken: cfg.appToken, socketMode: true, installerOptions: { clientOptions }, ...common });
  } else if (cfg.oauth) {
    bolt = new BoltApp({
      signingSecret: cfg.signingSecret,
      clientId: cfg.oauth.clientId,
      clientSecret: cfg.oauth.clientSecret,
      stateSecret: cfg.oauth.stateSecret,
      scopes: SCOPES,
      installationStore,
      installerOptions: { directInstall: true },
      ...common,
    });
  } else if (cfg.botToken) {
    bolt = new BoltApp({ signingSecret: cfg.signingSecret, token: cfg.botToken, ...common });
  } else {
    throw new Error('Slack HTTP mode needs SLACK_BOT_TOKEN (one workspace) or SLACK_CLIENT_ID, SLACK_CLIENT_SECRET and SLACK_STATE_SECRET (OAuth installs).');
  }

  /** The bot token for a workspace: the configured one, or the OAuth installation's. */
  const tokenFor = async (teamId: string): Promise<string> => {
    if (cfg.mode === 'socket') return cfg.botToken;
    if (cfg.botToken) return cfg.botToken;
    const inst = await installationStore!.fetchInstallation({ teamId, enterpriseId: undefined, isEnterpriseInstall: false });
    if (!inst.bot?.token) throw new Error(`no bot token installed for Slack workspace ${teamId}`);
    return inst.bot.token;
  };

  /**
   * The bot's message in a channel (or a thread) whose metadata names this round and part, if
   * an earlier attempt sent it. Slack has no idempotency key; metadata is how a retry finds it.
   * History is heavily rate-limited for new apps, so this runs only when resuming.
   */
  const findSent = async (token: string, channel: string, threadTs: string | null, roundId: string, part: string): Promise<string | null> => {
    const ours = (m: { metadata?: { event_type?: string; event_payload?: unknown } }) => {
      const payload = m.metadata?.event_payload as Record<string, unknown> | undefined;
      return m.metadata?.event_type === METADATA_EVENT && payload?.round_id === roundId && payload.part === part;
    };
    if (!threadTs) {
      // The channel's history comes newest first: a message just sent is among the first.
      const r = await bolt.client.conversations.history({ token, channel, limit: 15, include_all_metadata: true });
      return (r.messages ?? []).find(ours)?.ts ?? null;
    }
    // A thread's replies come oldest first, after every member's answer: read it page by page.
    let cursor: string | undefined;
    for (let page = 0; page < 10; page++) {
      const r = await bolt.client.conversations.replies({
        token,
        channel,
        ts: threadTs,
        limit: 200,
        include_all_metadata: true,
        ...(cursor ? { cursor } : {}),
      });
      const hit = (r.messages ?? []).find(ours);
      if (hit?.ts) return hit.ts;
      cursor = r.response_metadata?.next_cursor || undefined;
      if (!r.has_more || !cursor) return null;
    }
    return null;
  };
  const metadata = (roundId: string, part: string) => ({ event_type: METADATA_EVENT, event_payload: { round_id: roundId, part } });

  const errorCode = (err: unknown) => (err as { data?: { error?: string } }).data?.error;
  /** A refused post as the core understands it: the channel is gone, or needs a person to act. */
  const postError = (err: unknown, channel: ChannelRef): unknown => {
    const code = errorCode(err);
    if ((err as { code?: string }).code === 'slack_webapi_rate_limited_error')
      return new RateLimitedError(((err as { retryAfter?: number }).retryAfter ?? 60) * 1000);
    if (code === 'channel_not_found' || code === 'is_archived') return new ChannelGoneError(`Slack channel ${channel.channelId}: ${code}`);
    if (code === 'not_in_channel') return new ChannelUnavailableError('not-in-channel', `Slack channel ${channel.channelId}: not_in_channel`);
    return err;
  };
  /** Posts one of quizbot's messages (no unfurls), marked with its round or notice key and part. */
  const send = async (token: string, channel: string, threadTs: string | null, m: SlackMessage, key: string, part: string): Promise<string> => {
    const r = await bolt.client.chat.postMessage({
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
  };
  const chat: ChatPort = {
    async sendQuestion(channel: ChannelRef, post: QuestionPost, opts: { resume: boolean }) {
      const token = await tokenFor(channel.serverId);
      try {
        if (opts.resume) {
          const ts = await findSent(token, channel.channelId, null, post.round.id, 'question');
          if (ts) return { messageRef: ts };
        }
        return { messageRef: await send(token, channel.channelId, null, questionMessage(questionView(post)), post.round.id, 'question') };
      } catch (err) {
        throw postError(err, channel);
      }
    },
    // A Slack thread is the question message itself: its ts.
    async openThread(_channel: ChannelRef, messageRef: string) {
      return { threadRef: messageRef };
    },
    async postReveal(channel: ChannelRef, threadRef: string, view: RevealView, progress: RevealProgress) {
      const token = await tokenFor(channel.serverId);
      const parts = revealMessages(revealViewModel(view));
      for (let i = progress.from; i < parts.length; i++) {
        const resume = await progress.before(i);
        const part = `reveal-${i}`;
        const found = resume ? await findSent(token, channel.channelId, threadRef || null, view.round.id, part) : null;
        if (!found) await send(token, channel.channelId, threadRef || null, parts[i]!, view.round.id, part);
        await progress.sent(i);
      }
    },
    async markRevealed(channel: ChannelRef, messageRef: string, post: QuestionPost) {
      const m = questionMessage(questionView(post, { revealed: true }));
      await bolt.client.chat.update({
        token: await tokenFor(channel.serverId),
        channel: channel.channelId,
        ts: messageRef,
        text: m.text,
        blocks: m.blocks as never,
      });
    },
    async sendNotice(channel: ChannelRef, threadRef: string | null, notice: NoticeView, opts: { resume: boolean }) {
      const token = await tokenFor(channel.serverId);
      try {
        if (opts.resume && (await findSent(token, channel.channelId, threadRef, notice.key, 'notice'))) return;
        await send(token, channel.channelId, threadRef, noticeMessage(notice), notice.key, 'notice');
      } catch (err) {
        throw postError(err, channel);
      }
    },
    async setRoleMember(channel: ChannelRef, role: string, memberId: string, on: boolean) {
      const token = await tokenFor(channel.serverId);
      // Slack replaces a user group's whole member list: one change at a time per group (across
      // replicas), or two members opting in together would each write a list without the other.
      const lease = `slack-usergroup:${channel.serverId}:${role}`;
      const holder = randomUUID();
      for (let tries = 0; !(await core.holdLease(lease, holder, 10_000)); tries++) {
        if (tries >= 100) throw new Error(`slack user group ${role} stayed locked`);
        await new Promise((r) => setTimeout(r, 50));
      }
      try {
        const r = await bolt.client.usergroups.users.list({ token, usergroup: role });
        const users = new Set(r.users ?? []);
        if (users.has(memberId) === on) return;
        if (on) users.add(memberId);
        else users.delete(memberId);
        if (users.size === 0) throw QuizError.of('notify-last');
        await bolt.client.usergroups.users.update({ token, usergroup: role, users: [...users].join(',') });
      } catch (err) {
        const code = errorCode(err);
        if (code === 'no_such_subteam' || code === 'subteam_not_found') throw QuizError.of('notify-role-gone');
        if (code === 'missing_scope' || code === 'paid_teams_only' || code === 'permission_denied' || code === 'not_allowed_token_type')
          throw QuizError.of('notify-forbidden');
        throw err;
      } finally {
        await core.releaseLease(lease, holder).catch(() => undefined);
      }
    },
    async tellMember(channel: ChannelRef, memberId: string | null, text: string) {
      // The text comes from the core (no member input): only the channel mention is markup.
      const body = esc(text).replaceAll('{channel}', `<#${channel.channelId}>`);
      if (!memberId) {
        // No single owner to message: the operator's log carries the notice (no member's words in it).
        logger.warn('a notice for the workspace admins', { team: channel.serverId, text });
        return;
      }
      // A private message to a member stays private: its text is not logged.
      logger.debug('telling a member privately', { team: channel.serverId, member: memberId });
      try {
        await bolt.client.chat.postMessage({ token: await tokenFor(channel.serverId), channel: memberId, text: body });
      } catch (err) {
        logger.warn('could not reach the member', { team: channel.serverId, err: (err as Error).message });
      }
    },
  };
  core.registerChat('slack', chat);
  // WebClientEvent.RATE_LIMITED of @slack/web-api (Bolt's client), named by value: it is not re-exported by Bolt.
  bolt.client.on('rate_limited' as Parameters<typeof bolt.client.on>[0], () => core.recordMetric({ kind: 'rate-limited', platform: 'slack' }));

  const users = new Map<string, { member: Member; admin: boolean; at: number }>();
  const who = async (teamId: string, userId: string): Promise<{ member: Member; admin: boolean }> => {
    const cached = users.get(`${teamId}:${userId}`);
    if (cached && Date.now() - cached.at < ADMIN_CACHE_MS) return cached;
    let member: Member = { id: userId, name: userId };
    let admin = false;
    try {
      const r = await bolt.client.users.info({ token: await tokenFor(teamId), user: userId });
      const u = r.user;
      member = { id: userId, name: u?.profile?.display_name || u?.real_name || u?.name || userId };
      admin = Boolean(u?.is_admin || u?.is_owner);
    } catch (err) {
      logger.warn('users.info failed', { user: userId, err: (err as Error).message });
    }
    const entry = { member, admin: admin || cfg.adminUsers.includes(userId), at: Date.now() };
    users.set(`${teamId}:${userId}`, entry);
    return entry;
  };

  // Events API retries and Socket Mode redeliveries carry the same event_id: handle it once.
  bolt.use(async ({ body, next }) => {
    const eventId = (body as { event_id?: string }).event_id;
    if (eventId) {
      // A claim that is never released: it expires after an hour, long after Slack stops retrying.
      if (!(await core.claimOnce(`slack-event:${eventId}`, EVENT_DEDUPE_S * 1000))) {
        logger.debug('duplicate Slack event dropped', { eventId });
        core.recordMetric({ kind: 'duplicate-event', platform: 'slack' });
        return;
      }
    }
    await next();
  });

  const record = async (teamId: string, channelId: string, threadTs: string, userId: string, text: string, ts: string, editedTs: string | null) => {
    const { member } = await who(teamId, userId);
    const sentAt = Number(editedTs ?? ts) * 1000;
    const channel: ChannelRef = { platform: 'slack', serverId: teamId, channelId };
    const ack = async () =>
      bolt.client.reactions
        .add({ token: await tokenFor(teamId), channel: channelId, timestamp: ts, name: ACK_REACTION })
        .catch((err: unknown) => logger.debug('could not add the ✅ reaction', { err: errorCode(err) ?? (err as Error).message }));
    // Held during a Redis outage: acknowledged when recorded, or the member is told it was not.
    const late = (o: LateOutcome) => {
      const r = lateResponse(o);
      void ('ack' in r ? ack() : chat.tellMember(channel, userId, r.tell)).catch((err: unknown) =>
        logger.debug('could not tell the outcome of a held answer', { err }),
      );
    };
    const receipt = await core.recordAnswer(
      {
        channel,
        threadRef: threadTs,
        member,
        text,
        deliveryId: editedTs ? `${channelId}:${ts}:${editedTs}` : `${channelId}:${ts}`,
        sentAt,
        messageRef: `${channelId}:${ts}`,
        messageAt: Number(ts) * 1000,
      },
      late,
    );
    if (receipt.outcome === 'too-long' || receipt.outcome === 'not-recorded') await chat.tellMember(channel, userId, privateAnswerReceipt(receipt.outcome));
    if (!editedTs && (receipt.outcome === 'recorded' || receipt.outcome === 'replaced')) await ack();
  };

  bolt.event('message', async ({ event, body }) => {
    const e = event as unknown as Record<string, any>;
    const teamId = (body as { team_id?: string }).team_id ?? e.team;
    if (!teamId) return;
    if (e.subtype === 'message_deleted') {
      // A member who deletes their answer before the reveal withdraws it.
      if (typeof e.channel === 'string' && typeof e.deleted_ts === 'string')
        await core.withdrawAnswer({ platform: 'slack', serverId: teamId, channelId: e.channel }, `${e.channel}:${e.deleted_ts}`);
      return;
    }
    if (e.subtype === 'message_changed') {
      const m = e.message as Record<string, any> | undefined;
      // Without `edited` this is an unfurl or an attachment update, not an edit.
      if (m && !m.edited) core.recordMetric({ kind: 'answer', platform: 'slack', outcome: 'not-an-edit' });
      if (!m?.edited || !m.thread_ts || m.thread_ts === m.ts || m.bot_id || !m.user) return;
      await record(teamId, e.channel, m.thread_ts, m.user, m.text ?? '', String(m.ts), String(m.edited.ts));
      return;
    }
    if ((e.subtype && !ANSWER_SUBTYPES.has(e.subtype)) || !e.thread_ts || e.thread_ts === e.ts || e.bot_id || !e.user) return;
    await record(teamId, e.channel, e.thread_ts, e.user, e.text ?? '', String(e.ts), null);
  });

  const onReaction =
    (added: boolean) =>
    async ({ event, body }: { event: any; body: any }) => {
      if (!VOTE_REACTIONS.has(event.reaction) || event.item?.type !== 'message') return;
      const teamId = body.team_id as string;
      const { member } = await who(teamId, event.user);
      // The reacted-to message names the answer: the round and the member come from it.
      const input = {
        channel: { platform: 'slack' as const, serverId: teamId, channelId: event.item.channel as string },
        messageRef: `${event.item.channel}:${event.item.ts}`,
        voter: member,
      };
      if (added) await core.vote({ ...input, deliveryId: `react:${event.item.channel}:${event.item.ts}:${event.user}` });
      else await core.retractVote(input);
    };
  // quizbot added to a channel: one welcome per channel, across replicas and restarts; if it may
  // not post there, whoever added it hears it privately.
  bolt.event('member_joined_channel', async ({ event, body, context }) => {
    const e = event as unknown as { user: string; channel: string; team?: string; inviter?: string };
    const teamId = (body as { team_id?: string }).team_id ?? e.team;
    if (!teamId || !context.botUserId || e.user !== context.botUserId) return;
    if (!(await claimWelcome(core, 'slack', teamId, e.channel))) return;
    const channel: ChannelRef = { platform: 'slack', serverId: teamId, channelId: e.channel };
    try {
      await bolt.client.chat.postMessage({ token: await tokenFor(teamId), channel: e.channel, text: esc(TEXTS.welcome) });
    } catch (err) {
      logger.info('could not post the welcome in the channel; telling whoever added quizbot', { err: errorCode(err) ?? (err as Error).message });
      if (e.inviter) await chat.tellMember(channel, e.inviter, TEXTS.welcome);
    }
  });
  bolt.event('reaction_added', onReaction(true));
  bolt.event('reaction_removed', onReaction(false));

  bolt.command('/quiz', async ({ command, ack, respond, client, context }) => {
    await ack(); // within Slack's 3 seconds; the work follows
    const channel: ChannelRef = { platform: 'slack', serverId: command.team_id, channelId: command.channel_id };
    if ((command.text ?? '').trim().toLowerCase() === 'suggest') {
      await client.views.open({ token: context.botToken, trigger_id: command.trigger_id, view: suggestModal(command.channel_id) as never });
      return;
    }
    const { member, admin } = await who(command.team_id, command.user_id);
    // Slack's only option is the text: it is parsed (length-capped) by the core's grammar.
    const reply = await core.runCommand({ channel, member, isAdmin: admin }, command.text ?? '');
    for (const r of responsesFor(reply)) await respond(r);
  });

  bolt.action(new RegExp(`^${REVEAL_ACTION_PREFIX}\\d+$`), async ({ ack, body, respond }) => {
    await ack();
    const b = body as BlockAction<ButtonAction>;
    const teamId = b.team?.id ?? b.user.team_id ?? '';
    const channelId = b.channel?.id ?? '';
    const { member, admin } = await who(teamId, b.user.id);
    const reply = await core.runCommand(
      { channel: { platform: 'slack', serverId: teamId, channelId }, member, isAdmin: admin },
      { verb: 'reveal', opts: { round: b.actions[0]?.value ?? '' } },
    );
    const [first] = responsesFor(reply);
    if (first) await respond({ ...first, replace_original: true });
  });

  bolt.action(ANSWER_ACTION, async ({ ack, body, client, context }) => {
    await ack();
    const b = body as BlockAction<ButtonAction>;
    const roundId = b.actions[0]?.value ?? '';
    await client.views.open({ token: context.botToken, trigger_id: b.trigger_id, view: answerModal(roundId, b.channel?.id ?? '') as never });
  });

  bolt.view(ANSWER_MODAL, async ({ ack, view, body, client, context }) => {
    await ack();
    const meta = JSON.parse(view.private_metadata || '{}') as { roundId?: string; channel?: string };
    const text = (view.state.values.answer?.text?.value as string | undefined) ?? '';
    const teamId = body.team?.id ?? body.user.team_id ?? '';
    const { member } = await who(teamId, body.user.id);
    const receipt = await core.recordAnswer({
      channel: { platform: 'slack', serverId: teamId, channelId: meta.channel ?? '' },
      threadRef: null,
      ...(meta.roundId ? { roundId: meta.roundId } : {}),
      member,
      text,
      deliveryId: `view:${view.id}:${view.hash}`,
      private: true,
    });
    if (meta.channel)
      await client.chat.postEphemeral({ token: context.botToken, channel: meta.channel, user: body.user.id, text: privateAnswerReceipt(receipt.outcome) });
  });

  bolt.view(SUGGEST_MODAL, async ({ ack, view, body, client, context }) => {
    const meta = JSON.parse(view.private_metadata || '{}') as { channel?: string };
    const value = (id: string) => view.state.values[id]?.value?.value ?? '';
    const command = { verb: 'suggest', opts: { title: value('title'), question: value('question'), sample: value('sample'), keyPoints: value('keyPoints') } };
    // Slack waits 3 s for the answer to a form: what needs no lookup is checked now and shown
    // under its own field (the form keeps what the member typed); the rest runs after the ack.
    const errors = core.formErrors(command);
    if (Object.keys(errors).length > 0) {
      await ack({ response_action: 'errors', errors: Object.fromEntries(Object.entries(errors).map(([k, t]) => [k, t.slice(0, 2000)])) });
      return;
    }
    await ack();
    const teamId = body.team?.id ?? body.user.team_id ?? '';
    const { member, admin } = await who(teamId, body.user.id);
    const channel: ChannelRef = { platform: 'slack', serverId: teamId, channelId: meta.channel ?? '' };
    const reply = await core.runCommand({ channel, member, isAdmin: admin }, command);
    if (reply.kind !== 'text') return;
    if (meta.channel) await client.chat.postEphemeral({ token: context.botToken, channel: meta.channel, user: body.user.id, text: esc(reply.text) });
    else await chat.tellMember(channel, body.user.id, reply.text);
  });

  bolt.error(async (err) => {
    logger.error('slack handler failed', { err: err.message });
  });

  let url: string | null = null;
  if (opts.receive === false) {
    logger.info('slack: posting only (no Socket Mode connection or HTTP listener in this process)');
  } else if (cfg.mode === 'http') {
    const server = (await bolt.start({ port: cfg.port, host: cfg.port === 0 ? '127.0.0.1' : undefined })) as unknown as Server;
    const addr = server.address() as AddressInfo;
    url = `http://127.0.0.1:${addr.port}`;
    logger.info('slack HTTP receiver listening', { port: addr.port, oauth: Boolean(cfg.oauth) });
  } else {
    await bolt.start();
    logger.info('slack socket mode connected');
  }
  const stop = async () => {
    if (opts.receive !== false) await bolt.stop().catch(() => undefined);
  };
  core.onClose(stop);
  return { bolt, url, stop };
}

/**
 * Thread tokens of core texts (`/quiz history`) → links to the thread's first message, which
 * Slack opens in the member's workspace (`p` + the message ts without its dot).
 */
export function threadLinks(text: string): string {
  return text.replace(THREAD_TOKEN, (_, channel: string, ts: string) => `<https://slack.com/archives/${channel}/p${ts.replace('.', '')}|thread>`);
}

export const SLACK_HELP_NOTE = TEXTS.slackThreadsNote;

type SlackResponse = { response_type: 'ephemeral' | 'in_channel'; text: string; blocks?: unknown[] };

/** A reply as response_url messages: a public board comes with the caller's rank, privately. */
export function responsesFor(reply: Reply): SlackResponse[] {
  switch (reply.kind) {
    case 'text': {
      const text = reply.error ? `⚠️ ${reply.text}` : reply.text;
      const withNote = /\/quiz \[topic\]/.test(text) ? `${text}\n\n${SLACK_HELP_NOTE}` : text;
      return [{ response_type: reply.visibility === 'channel' && !reply.error ? 'in_channel' : 'ephemeral', text: threadLinks(esc(withNote)) }];
    }
    case 'board':
      return [
        { response_type: 'in_channel', text: boardText(reply.board) },
        { response_type: 'ephemeral', text: esc(reply.mine.text) },
      ];
    case 'choose-round':
      return [{ response_type: 'ephemeral', text: esc(reply.text), blocks: chooseRoundBlocks(reply.text, reply.choices) }];
    case 'posted':
    case 'revealed':
      return [{ response_type: 'ephemeral', text: esc(reply.text) }];
  }
}
