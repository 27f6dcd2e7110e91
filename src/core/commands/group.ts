/** `/quiz group create|join|leave|list|show`: study groups (a member can be in several). */
import type { ChannelRef } from '../types.js';
import type { ProgressService } from '../progress/progress.js';
import { str } from './parse.js';
import { text, type CommandSpec, type OptionSpec, type Reply } from './spec.js';

const pct = (x: number) => `${Math.round(x * 100)}%`;
const NAME: OptionSpec = { name: 'name', summary: 'Group name, e.g. backend-study', kind: 'rest', required: true, maxLength: 32 };
/** "backend study" and backend-study name the same group. */
const groupName = (opts: Record<string, unknown>) => (str(opts as never, 'name') ?? '').split(/\s+/).join('-');

async function listGroups(progress: ProgressService, channel: ChannelRef): Promise<Reply> {
  const groups = await progress.groups(channel);
  if (groups.length === 0) return text('No study groups yet. Create one with /quiz group create backend-study.');
  const lines = [
    '👥 Study groups:',
    ...groups.map((g) => `   ${g.name} — ${g.members.length} member${g.members.length === 1 ? '' : 's'}, team streak ${g.teamStreak}`),
  ];
  return text(lines.join('\n'));
}

export const group = {
  name: 'group',
  aliases: ['groups'],
  summary: 'study groups (a member can be in several)',
  admin: false,
  defaultSub: 'list',
  discord: { command: 'quizgroup' },
  subcommands: [
    {
      name: 'create',
      summary: 'create a study group and join it',
      admin: false,
      options: [NAME],
      async run(ctx, opts) {
        const g = await ctx.deps.progress.createGroup(ctx.channel, groupName(opts), ctx.member);
        return text(`👥 Created study group “${g.name}” with ${ctx.member.name}. Others join with /quiz group join ${g.name}.`, 'channel');
      },
    },
    {
      name: 'join',
      summary: 'join a study group',
      admin: false,
      options: [NAME],
      async run(ctx, opts) {
        const g = await ctx.deps.progress.joinGroup(ctx.channel, groupName(opts), ctx.member);
        return text(`👥 ${ctx.member.name} joined “${g.name}” (${g.members.length} members).`, 'channel');
      },
    },
    {
      name: 'leave',
      summary: 'leave a study group',
      admin: false,
      options: [NAME],
      async run(ctx, opts) {
        const name = groupName(opts);
        const out = await ctx.deps.progress.leaveGroup(ctx.channel, name, ctx.member);
        return text(out === 'deleted' ? `👥 You left “${name}”; it had no other members and is gone.` : `👥 You left “${name}”.`);
      },
    },
    {
      name: 'list',
      summary: 'the study groups here',
      admin: false,
      run: (ctx) => listGroups(ctx.deps.progress, ctx.channel),
    },
    {
      name: 'show',
      aliases: ['info'],
      summary: 'a group’s members by participation rate, and the team streak',
      admin: false,
      options: [NAME],
      async run(ctx, opts) {
        const { group: g, participation } = await ctx.deps.progress.group(ctx.channel, groupName(opts));
        const lines = [
          `👥 ${g.name} — ${g.members.length} member${g.members.length === 1 ? '' : 's'} · team streak ${g.teamStreak} (best ${g.bestTeamStreak})`,
          '   Participation (scheduled rounds answered since joining):',
          ...participation.map((p, i) => `   ${String(i + 1).padStart(2)}. ${p.name}  ${p.answered}/${p.rounds}  ${pct(p.rate)}`),
          `   Points: /quiz leaderboard group ${g.name} [week|month|all]`,
        ];
        return text(lines.join('\n'), 'channel');
      },
    },
  ],
} satisfies CommandSpec;
