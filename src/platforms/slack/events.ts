/**
 * Slack events → core calls: thread replies (and their edits and deletions) are answers, 👍
 * reactions are votes, quizbot joining a channel says hello once. Events API retries and Socket
 * Mode redeliveries are dropped by event_id; every answer is recorded idempotently anyway.
 */
import { lateResponse, type LateOutcome } from '../../core/rounds/answer-buffer.js';
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
}

function registerMessages(room: SlackRoom): void {
  const { bolt, core } = room;
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
      await record(room, teamId, e.channel, m.thread_ts, m.user, m.text ?? '', String(m.ts), String(m.edited.ts));
      return;
    }
    if ((e.subtype && !ANSWER_SUBTYPES.has(e.subtype)) || !e.thread_ts || e.thread_ts === e.ts || e.bot_id || !e.user) return;
    await record(room, teamId, e.channel, e.thread_ts, e.user, e.text ?? '', String(e.ts), null);
  });
}

/** The reacted-to message names the answer: the round and the member come from it. */
function onReaction(room: SlackRoom, added: boolean) {
  const { core, who } = room;
  return async ({ event, body }: { event: any; body: any }) => {
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
