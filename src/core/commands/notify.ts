/**
 * Opt-in pings: an admin names the channel's notify role (`/quiz notify role <role|off>`: a
 * Discord role, a Slack user group); members join or leave it with `/quiz notify on|off`; the
 * scheduled question mentions that role — the only mention quizbot ever sends. Also
 * `/quiz reward-role`: a role for each week's winner.
 */
import { QuizError } from '../text/errors.js';
import type { ChannelRef, PlatformName } from '../types.js';
import { str } from './parse.js';
import { admin, text, type CommandSpec, type Options, type Reply, type RunContext } from './spec.js';

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

/**
 * Sets (or clears with off) one of the schedule's roles. Discord's role option may be left
 * empty, which means none; in text a role (or off) must be given.
 */
async function setRole(ctx: RunContext, field: 'notifyRole' | 'rewardRole', opts: Options, said: { on: string; off: string }): Promise<Reply> {
  const value = str(opts, 'role') ?? (ctx.channel.platform === 'discord' ? 'off' : undefined);
  if (!value) throw QuizError.of('notify-role-usage');
  const off = ['off', 'none'].includes(value.toLowerCase());
  const id = off ? null : parseNotifyTarget(ctx.channel.platform, value);
  if (!off && !id) throw QuizError.of('notify-role-invalid', { text: value.slice(0, 40) });
  await ctx.deps.scheduling.update(ctx.channel, { [field]: id, by: ctx.member.id });
  return text(off ? said.off : said.on, 'channel');
}

const ROLE = { name: 'role', summary: 'The role (Slack: a user group), or off', kind: 'role' } as const;

async function optIn(ctx: RunContext, channel: ChannelRef, on: boolean): Promise<Reply> {
  const role = await ctx.deps.scheduling.notifyRoleOf(channel);
  if (!role) throw QuizError.of('notify-none');
  await ctx.deps.chat.setRoleMember(channel, role, ctx.member.id, on);
  return text(
    on
      ? '🔔 You will be pinged when the daily question posts here. /quiz notify off stops it.'
      : '🔕 No more pings for you here. /quiz notify on brings them back.',
  );
}

export const notify = {
  name: 'notify',
  summary: 'be pinged (or not) when the daily question posts here',
  admin: false,
  defaultSub: 'status',
  discord: { command: 'quiznotify' },
  subcommands: [
    {
      name: 'status',
      summary: 'whether this channel pings anyone when the daily question posts',
      admin: false,
      async run(ctx) {
        const role = await ctx.deps.scheduling.notifyRoleOf(ctx.channel);
        return text(
          role
            ? '🔔 This channel pings its notify role when the daily question posts. /quiz notify on or off.'
            : '🔕 This channel pings nobody (an admin can set a role with /quiz notify role).',
        );
      },
    },
    { name: 'on', summary: 'be pinged when the daily question posts here', admin: false, run: (ctx) => optIn(ctx, ctx.channel, true) },
    { name: 'off', summary: 'no more pings for you here', admin: false, run: (ctx) => optIn(ctx, ctx.channel, false) },
    {
      name: 'streak',
      summary: 'a private nudge when your streak is at risk (not answered an hour before the reveal)',
      admin: false,
      options: [{ name: 'state', summary: 'on or off', kind: 'choice', choices: ['on', 'off'], required: true }],
      async run(ctx, opts) {
        const on = str(opts, 'state') === 'on';
        await ctx.deps.setNudge(ctx.channel, ctx.member.id, on);
        return text(
          on
            ? '🔥 I will tell you privately when your streak here is at risk (you have not answered the open question an hour before its reveal).'
            : '🔥 No more streak nudges for you here.',
        );
      },
    },
    {
      name: 'role',
      summary: 'the role (Slack: user group) the daily question pings',
      admin: true,
      usage: '/quiz notify role <role|off>',
      options: [ROLE],
      discord: admin('notify'),
      run: (ctx, opts) =>
        setRole(ctx, 'notifyRole', opts, {
          on: '🔔 Daily questions here will ping the notify role. Members opt in with /quiz notify on.',
          off: '🔕 Daily questions here ping nobody now.',
        }),
    },
  ],
} satisfies CommandSpec;

export const rewardRole = {
  name: 'reward-role',
  summary: 'a role for each week’s winner, moved at the weekly recap',
  admin: true,
  usage: '/quiz reward-role <role|off>',
  options: [ROLE],
  discord: admin('reward-role'),
  run: (ctx, opts) =>
    setRole(ctx, 'rewardRole', opts, {
      on: '🏅 Each week’s winner here gets the reward role at the weekly recap; last week’s winner hands it on.',
      off: '🏅 No reward role: weekly winners are named in the recap only.',
    }),
} satisfies CommandSpec;
