/** Forms: a private answer (the question's button) and a suggested question (`/quiz suggest`). */
import type { BlockAction, ButtonAction } from '@slack/bolt';
import { privateAnswerReceipt } from '../../core/rounds/quiz.js';
import type { ChannelRef } from '../../core/types.js';
import { ANSWER_ACTION, ANSWER_MODAL, answerModal, esc, SUGGEST_MODAL } from './render.js';
import type { SlackRoom } from './room.js';

export function registerModals(room: SlackRoom): void {
  registerAnswerForm(room);
  registerSuggestForm(room);
}

function registerAnswerForm(room: SlackRoom): void {
  const { bolt, core, who } = room;
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
}

function registerSuggestForm(room: SlackRoom): void {
  const { bolt, core, chat, who } = room;
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
}
