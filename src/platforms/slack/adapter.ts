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
import type { Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { App } from '../../app.js';
import type { SlackConfig } from '../../config/env.js';
import type { Reply } from '../../core/commands.js';
import { ChannelGoneError } from '../../core/errors.js';
import type { ChatPort, QuestionPost, RevealProgress, RevealView } from '../../core/ports.js';
import { privateAnswerReceipt } from '../../core/quiz.js';
import type { ChannelRef, Member } from '../../core/types.js';
import { RedisInstallationStore } from '../../store/slack-installations.js';
import { ANSWER_ACTION, ANSWER_MODAL, answerModal, boardText, esc, questionMessage, revealMessages } from './render.js';

export const SCOPES = ['chat:write', 'commands', 'channels:history', 'groups:history', 'reactions:read', 'users:read'];
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

export async function startSlack(app: App, cfg: SlackConfig, opts: { retries?: number } = {}): Promise<SlackHandle> {
  const { logger } = app;
  const clientOptions = {
    ...(cfg.apiUrl ? { slackApiUrl: cfg.apiUrl } : {}),
    ...(opts.retries !== undefined ? { retryConfig: { retries: opts.retries, factor: 1, minTimeout: 10, maxTimeout: 50 } } : {}),
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
  const installationStore = cfg.mode === 'http' && cfg.oauth ? new RedisInstallationStore(app.client, app.config.redisPrefix) : undefined;
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
    const args = { token, channel, limit: 15, include_all_metadata: true };
    const r = threadTs ? await bolt.client.conversations.replies({ ...args, ts: threadTs }) : await bolt.client.conversations.history(args);
    const hit = (r.messages ?? []).find((m) => {
      const payload = m.metadata?.event_payload as Record<string, unknown> | undefined;
      return m.metadata?.event_type === METADATA_EVENT && payload?.round_id === roundId && payload.part === part;
    });
    return hit?.ts ?? null;
  };
  const metadata = (roundId: string, part: string) => ({ event_type: METADATA_EVENT, event_payload: { round_id: roundId, part } });

  const chat: ChatPort = {
    async sendQuestion(channel: ChannelRef, post: QuestionPost, opts: { resume: boolean }) {
      const token = await tokenFor(channel.serverId);
      try {
        if (opts.resume) {
          const ts = await findSent(token, channel.channelId, null, post.round.id, 'question');
          if (ts) return { messageRef: ts };
        }
        const m = questionMessage(post);
        const r = await bolt.client.chat.postMessage({ token, channel: channel.channelId, text: m.text, blocks: m.blocks as never, unfurl_links: false, unfurl_media: false, metadata: metadata(post.round.id, 'question') });
        if (!r.ts) throw new Error('chat.postMessage returned no ts');
        return { messageRef: r.ts };
      } catch (err) {
        const code = (err as { data?: { error?: string } }).data?.error;
        if (code === 'channel_not_found' || code === 'is_archived') throw new ChannelGoneError(`Slack channel ${channel.channelId}: ${code}`);
        throw err;
      }
    },
    // A Slack thread is the question message itself: its ts.
    async openThread(_channel: ChannelRef, messageRef: string) {
      return { threadRef: messageRef };
    },
    async postReveal(channel: ChannelRef, threadRef: string, view: RevealView, progress: RevealProgress) {
      const token = await tokenFor(channel.serverId);
      const parts = revealMessages(view);
      for (let i = progress.from; i < parts.length; i++) {
        const resume = await progress.before(i);
        const part = `reveal-${i}`;
        const found = resume ? await findSent(token, channel.channelId, threadRef || null, view.round.id, part) : null;
        if (!found) {
          const m = parts[i]!;
          await bolt.client.chat.postMessage({ token, channel: channel.channelId, thread_ts: threadRef || undefined, text: m.text, blocks: m.blocks as never, unfurl_links: false, metadata: metadata(view.round.id, part) });
        }
        await progress.sent(i);
      }
    },
    async postNotice(channel: ChannelRef, threadRef: string | null, text: string) {
      await bolt.client.chat.postMessage({ token: await tokenFor(channel.serverId), channel: channel.channelId, ...(threadRef ? { thread_ts: threadRef } : {}), text: esc(text) });
    },
  };
  app.chat.register('slack', chat);

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
      if (!(await app.store.tryLock(`slack-event:${eventId}`, EVENT_DEDUPE_S * 1000))) {
        logger.debug('duplicate Slack event dropped', { eventId });
        return;
      }
    }
    await next();
  });

  const record = async (teamId: string, channelId: string, threadTs: string, userId: string, text: string, deliveryId: string, sentAt: number) => {
    const { member } = await who(teamId, userId);
    await app.quiz.recordAnswer({ channel: { platform: 'slack', serverId: teamId, channelId }, threadRef: threadTs, member, text, deliveryId, sentAt });
  };

  bolt.event('message', async ({ event, body }) => {
    const e = event as unknown as Record<string, any>;
    const teamId = (body as { team_id?: string }).team_id ?? e.team;
    if (!teamId) return;
    if (e.subtype === 'message_changed') {
      const m = e.message as Record<string, any> | undefined;
      if (!m?.thread_ts || m.thread_ts === m.ts || m.bot_id || !m.user) return;
      const editedTs = String(m.edited?.ts ?? e.event_ts ?? e.ts);
      await record(teamId, e.channel, m.thread_ts, m.user, m.text ?? '', `${e.channel}:${m.ts}:${editedTs}`, Number(editedTs) * 1000);
      return;
    }
    if (e.subtype || !e.thread_ts || e.thread_ts === e.ts || e.bot_id || !e.user) return;
    await record(teamId, e.channel, e.thread_ts, e.user, e.text ?? '', `${e.channel}:${e.ts}`, Number(e.ts) * 1000);
  });

  const onReaction = (added: boolean) => async ({ event, body }: { event: any; body: any }) => {
    if (!VOTE_REACTIONS.has(event.reaction) || event.item?.type !== 'message' || !event.item_user) return;
    const teamId = body.team_id as string;
    const { member } = await who(teamId, event.user);
    const input = { channel: { platform: 'slack' as const, serverId: teamId, channelId: event.item.channel as string }, threadRef: null, voter: member, targetId: event.item_user as string };
    if (added) await app.progress.vote({ ...input, deliveryId: body.event_id ?? `${event.item.ts}:${event.user}` });
    else await app.progress.retractVote(input);
  };
  bolt.event('reaction_added', onReaction(true));
  bolt.event('reaction_removed', onReaction(false));

  bolt.command('/quiz', async ({ command, ack, respond }) => {
    await ack(); // within Slack's 3 seconds; the work follows
    const channel: ChannelRef = { platform: 'slack', serverId: command.team_id, channelId: command.channel_id };
    const { member, admin } = await who(command.team_id, command.user_id);
    const reply = await app.commands.run({ channel, member, isAdmin: admin }, command.text ?? '');
    await respond(responseFor(reply));
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
    const receipt = await app.quiz.recordAnswer({
      channel: { platform: 'slack', serverId: teamId, channelId: meta.channel ?? '' },
      threadRef: null,
      ...(meta.roundId ? { roundId: meta.roundId } : {}),
      member,
      text,
      deliveryId: `view:${view.id}:${view.hash}`,
      private: true,
    });
    if (meta.channel) await client.chat.postEphemeral({ token: context.botToken, channel: meta.channel, user: body.user.id, text: privateAnswerReceipt(receipt.outcome) });
  });

  bolt.error(async (err) => {
    logger.error('slack handler failed', { err: err.message });
  });

  let url: string | null = null;
  if (cfg.mode === 'http') {
    const server = (await bolt.start({ port: cfg.port, host: cfg.port === 0 ? '127.0.0.1' : undefined } as never)) as unknown as Server;
    const addr = server.address() as AddressInfo;
    url = `http://127.0.0.1:${addr.port}`;
    logger.info('slack HTTP receiver listening', { port: addr.port, oauth: Boolean(cfg.oauth) });
  } else {
    await bolt.start();
    logger.info('slack socket mode connected');
  }
  const stop = async () => {
    await bolt.stop().catch(() => undefined);
  };
  app.onClose(stop);
  return { bolt, url, stop };
}

export const SLACK_HELP_NOTE = 'Slack does not allow slash commands inside threads: use /quiz in the channel, and answer in the thread by replying.';

export function responseFor(reply: Reply): { response_type: 'ephemeral' | 'in_channel'; text: string } {
  switch (reply.kind) {
    case 'text': {
      const text = reply.error ? `⚠️ ${reply.text}` : reply.text;
      const withNote = /\/quiz \[topic\]/.test(text) ? `${text}\n\n${SLACK_HELP_NOTE}` : text;
      return { response_type: reply.visibility === 'channel' && !reply.error ? 'in_channel' : 'ephemeral', text: esc(withNote) };
    }
    case 'board':
      return { response_type: 'in_channel', text: boardText(reply.board) };
    case 'posted':
      return { response_type: 'ephemeral', text: esc(`📌 Posted “${reply.question.title}” — answer in its thread.`) };
    case 'revealed':
      return { response_type: 'ephemeral', text: esc(`🔓 Revealed “${reply.view.question.title}”.`) };
  }
}
