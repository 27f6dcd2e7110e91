/** The `/quiz` command and the reveal picker's buttons → the core's commands; replies as response_url messages. */
import type { BlockAction, ButtonAction } from '@slack/bolt';
import type { Reply } from '../../core/commands/index.js';
import { THREAD_TOKEN } from '../../core/commands/history.js';
import { TEXTS } from '../../core/text/texts.js';
import type { ChannelRef } from '../../core/types.js';
import { boardText, chooseRoundBlocks, esc, REVEAL_ACTION_PREFIX, suggestModal } from './render.js';
import type { SlackRoom } from './room.js';

export function registerCommands(room: SlackRoom): void {
  const { bolt, core, who } = room;
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
