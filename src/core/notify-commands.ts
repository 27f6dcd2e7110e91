/**
 * Opt-in pings: an admin names the channel's notify role (`/quiz notify role <role|off>`: a
 * Discord role, a Slack user group); members join or leave it with `/quiz notify on|off`; the
 * scheduled question mentions that role — the only mention quizbot ever sends.
 */
import type { CommandExtension, Reply } from './commands.js';
import { QuizError } from './errors.js';
import type { ChatPort } from './ports.js';
import type { SchedulingService } from './scheduling.js';
import type { ChannelRef, PlatformName } from './types.js';

/** A role argument as each platform writes it → the id quizbot stores (null: not one). */
export function parseNotifyTarget(platform: PlatformName, arg: string): string | null {
  const t = arg.trim();
  switch (platform) {
    case 'discord':
      return /^<@&(\d{5,25})>$/.exec(t)?.[1] ?? (/^\d{5,25}$/.test(t) ? t : null);
    case 'slack':
      return /^<!subteam\^([A-Z0-9]{2,30})(?:\|[^>]*)?>$/.exec(t)?.[1] ?? (/^S[A-Z0-9]{2,30}$/.test(t) ? t : null);
    default:
      return /^@?([a-z0-9][a-z0-9_-]{0,30})$/i.exec(t)?.[1]?.toLowerCase() ?? null;
  }
}

export function notifyCommands(
  scheduling: SchedulingService,
  chat: ChatPort,
  setNudge: (channel: ChannelRef, memberId: string, on: boolean) => Promise<void>,
): CommandExtension {
  const text = (t: string, visibility: 'caller' | 'channel' = 'caller'): Reply => ({ kind: 'text', text: t, visibility });
  return {
    verbs: ['notify', 'reward-role'],
    adminOnly: (verb, args) => verb === 'reward-role' || (args[0] ?? '').toLowerCase() === 'role',
    help: [
      '/quiz notify on|off               be pinged (or not) when the daily question posts here',
      '/quiz notify streak on|off        a private nudge when your streak is at risk (not answered an hour before the reveal)',
      '/quiz notify role <role|off>      admins: the role (Slack: user group) those pings go to',
      '/quiz reward-role <role|off>      admins: a role for each week’s winner, moved at the weekly recap',
    ],
    async run(ctx, verb, args) {
      /** Sets (or clears with off) one of the schedule's roles from a role argument. */
      const setRole = async (field: 'notifyRole' | 'rewardRole', value: string | undefined, said: { on: string; off: string }): Promise<Reply> => {
        if (!value) throw QuizError.of('notify-role-usage');
        const off = ['off', 'none'].includes(value.toLowerCase());
        const id = off ? null : parseNotifyTarget(ctx.channel.platform, value);
        if (!off && !id) throw QuizError.of('notify-role-invalid', { text: value.slice(0, 40) });
        await scheduling.update(ctx.channel, { [field]: id, by: ctx.member.id });
        return text(off ? said.off : said.on, 'channel');
      };
      if (verb === 'reward-role') {
        return setRole('rewardRole', args[0]?.trim(), {
          on: '🏅 Each week’s winner here gets the reward role at the weekly recap; last week’s winner hands it on.',
          off: '🏅 No reward role: weekly winners are named in the recap only.',
        });
      }
      const [sub = '', value] = args.map((a) => a.trim());
      const role = await scheduling.notifyRoleOf(ctx.channel);
      switch (sub.toLowerCase()) {
        case 'role':
          return setRole('notifyRole', value, {
            on: '🔔 Daily questions here will ping the notify role. Members opt in with /quiz notify on.',
            off: '🔕 Daily questions here ping nobody now.',
          });
        case 'streak': {
          const v = (value ?? '').toLowerCase();
          if (v !== 'on' && v !== 'off') throw QuizError.of('notify-usage', { sub: `streak ${v}`.trim() });
          await setNudge(ctx.channel, ctx.member.id, v === 'on');
          return text(
            v === 'on'
              ? '🔥 I will tell you privately when your streak here is at risk (you have not answered the open question an hour before its reveal).'
              : '🔥 No more streak nudges for you here.',
          );
        }
        case 'on':
        case 'off': {
          if (!role) throw QuizError.of('notify-none');
          const on = sub.toLowerCase() === 'on';
          await chat.setRoleMember(ctx.channel, role, ctx.member.id, on);
          return text(
            on
              ? '🔔 You will be pinged when the daily question posts here. /quiz notify off stops it.'
              : '🔕 No more pings for you here. /quiz notify on brings them back.',
          );
        }
        case '':
          return text(
            role
              ? '🔔 This channel pings its notify role when the daily question posts. /quiz notify on or off.'
              : '🔕 This channel pings nobody (an admin can set a role with /quiz notify role).',
          );
        default:
          throw QuizError.of('notify-usage', { sub: sub.slice(0, 20) });
      }
    },
  };
}
