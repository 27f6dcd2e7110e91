/**
 * Slack events → core calls: thread replies (and their edits and deletions) are answers, 👍
 * reactions are votes, quizbot joining a channel says hello once. Events API retries and Socket
 * Mode redeliveries are dropped by event_id; every answer is recorded idempotently anyway.
 */
import { z } from 'zod';
import { lateResponse, wantsAck, type LateOutcome } from '../../core/rounds/answer-buffer.js';
import { privateAnswerReceipt } from '../../core/rounds/quiz.js';
import { TEXTS } from '../../core/text/texts.js';
import type { ChannelRef } from '../../core/types.js';
import { claimWelcome } from '../../core/community/welcome.js';
import { ACK_REACTION, ANSWER_SUBTYPES, errorCode, EVENT_DEDUPE_S, VOTE_REACTIONS } from './client.js';
import { esc } from './render.js';
import type { SlackRoom } from './room.js';

export function registerEvents(room: SlackRoom): void {
  registerDedupe(room);
  registerMessages(room);
  room.bolt.event('reaction_added', onReaction(room, true));
  room.bolt.event('reaction_removed', onReaction(room, false));
  registerWelcome(room);
}

function registerDedupe(room: SlackRoom): void {
  const { bolt, core, logger } = room;
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
}

/** A thread reply (or its edit) as the member's answer; ✅ when recorded. */
async function record(room: SlackRoom, teamId: string, channelId: string, threadTs: string, userId: string, text: string, ts: string, editedTs: string | null) {
  const { bolt, core, chat, logger, tokenFor, who } = room;

  const { member } = await who(teamId, userId);
  const sentAt = Number(editedTs ?? ts) * 1000;
  const channel: ChannelRef = { platform: 'slack', serverId: teamId, channelId };
  const ack = async () =>
    !room.acks.take()
      ? logger.debug('✅ skipped: over the acks budget', { ts })
      : bolt.client.reactions
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
  if (!editedTs && wantsAck(receipt)) await ack();
}

/**
 * The fields of Slack's event payloads quizbot reads, checked with zod: a payload that does not
 * match (a new subtype, a field of another type) is ignored with a metric, never half-read.
 */
const Body = z.object({ team_id: z.string().optional() }).passthrough();
const Edited = z.object({ ts: z.string() }).passthrough();
/** What a message says, and who sent it: the same fields on a message and on its edited version. */
const Posted = {
  user: z.string().optional(),
  text: z.string().optional(),
  thread_ts: z.string().optional(),
  bot_id: z.string().optional(),
};
const Inner = z.object({ ...Posted, ts: z.string(), edited: Edited.optional() }).passthrough();
const MessageEvent = z
  .object({
    ...Posted,
    subtype: z.string().optional(),
    team: z.string().optional(),
    channel: z.string(),
    ts: z.string().optional(),
    deleted_ts: z.string().optional(),
    message: Inner.optional(),
  })
  .passthrough();
const ReactionEvent = z
  .object({
    user: z.string(),
    reaction: z.string(),
    item: z.object({ type: z.string(), channel: z.string().optional(), ts: z.string().optional() }).passthrough(),
  })
  .passthrough();

function registerMessages(room: SlackRoom): void {
  const { bolt, core } = room;
  bolt.event('message', async ({ event, body }) => {
    const parsed = MessageEvent.safeParse(event);
    if (!parsed.success) return core.recordMetric({ kind: 'answer', platform: 'slack', outcome: 'unreadable-event' });
    const e = parsed.data;
    const teamId = Body.safeParse(body).data?.team_id ?? e.team;
    if (!teamId) return;
    if (e.subtype === 'message_deleted') {
      // A member who deletes their answer before the reveal withdraws it.
      if (e.deleted_ts) await core.withdrawAnswer({ platform: 'slack', serverId: teamId, channelId: e.channel }, `${e.channel}:${e.deleted_ts}`);
      return;
    }
    if (e.subtype === 'message_changed') {
      const m = e.message;
      // Without `edited` this is an unfurl or an attachment update, not an edit.
      if (m && !m.edited) core.recordMetric({ kind: 'answer', platform: 'slack', outcome: 'not-an-edit' });
      if (!m?.edited || !m.thread_ts || m.thread_ts === m.ts || m.bot_id || !m.user) return;
      await record(room, teamId, e.channel, m.thread_ts, m.user, m.text ?? '', m.ts, m.edited.ts);
      return;
    }
    if ((e.subtype && !ANSWER_SUBTYPES.has(e.subtype)) || !e.ts || !e.thread_ts || e.thread_ts === e.ts || e.bot_id || !e.user) return;
    await record(room, teamId, e.channel, e.thread_ts, e.user, e.text ?? '', e.ts, null);
  });
}

/** The reacted-to message names the answer: the round and the member come from it. */
function onReaction(room: SlackRoom, added: boolean) {
  const { core, who } = room;
  return async ({ event, body }: { event: unknown; body: unknown }) => {
    const parsed = ReactionEvent.safeParse(event);
    const teamId = Body.safeParse(body).data?.team_id;
    if (!parsed.success || !teamId) return;
    const { user, reaction, item } = parsed.data;
    if (!VOTE_REACTIONS.has(reaction) || item.type !== 'message' || !item.channel || !item.ts) return;
    const { member } = await who(teamId, user);
    const input = {
      channel: { platform: 'slack' as const, serverId: teamId, channelId: item.channel },
      messageRef: `${item.channel}:${item.ts}`,
      voter: member,
    };
    if (added) await core.vote({ ...input, deliveryId: `react:${item.channel}:${item.ts}:${user}` });
    else await core.retractVote(input);
  };
}

function registerWelcome(room: SlackRoom): void {
  const { bolt, core, chat, logger, tokenFor } = room;
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
}
