/**
 * `/quiz stats`, `/quiz streak`, `/quiz group …`: the progress verbs, registered with the
 * CommandRunner so every platform exposes them the same way.
 */
import type { CommandExtension, Reply } from './commands.js';
import { QuizError } from './errors.js';
import type { MemberStats, ProgressService } from './progress.js';
import type { ChannelRef } from './types.js';

const pct = (x: number) => `${Math.round(x * 100)}%`;

export function progressCommands(progress: ProgressService): CommandExtension {
  const text = (t: string, visibility: 'caller' | 'channel' = 'caller'): Reply => ({ kind: 'text', text: t, visibility });
  return {
    verbs: ['stats', 'streak', 'group', 'groups'],
    help: [
      '/quiz stats [member]              rounds answered, average coverage, streak, strongest and weakest topics',
      '/quiz streak                      your current and best streak in this channel',
      '/quiz group create|join|leave <name>   study groups (a member can be in several)',
      '/quiz group list | show <name>    groups; members by participation rate and the team streak',
    ],
    async run(ctx, verb, args) {
      switch (verb) {
        case 'stats': {
          let member = ctx.member;
          if (args.length) {
            const found = await progress.findMember(ctx.channel, args.join(' '));
            if (!found) throw QuizError.of('member-unknown', { name: args.join(' ') });
            member = found;
          }
          return text(renderStats(await progress.stats(ctx.channel, member)));
        }
        case 'streak': {
          const s = await progress.stats(ctx.channel, ctx.member);
          return text(
            `🔥 ${s.member.name}: streak ${s.streak.current} (best ${s.streak.best}) in this channel. ` +
              (s.freezeAvailable ? 'Your monthly streak freeze is available.' : 'Your streak freeze for this month is used.'),
          );
        }
        case 'groups':
          return listGroups(ctx.channel);
        case 'group': {
          const [sub = 'list', ...rest] = args;
          const name = rest.join('-');
          const need = () => {
            if (!name) throw QuizError.of('group-which', { sub });
            return name;
          };
          switch (sub.toLowerCase()) {
            case 'create': {
              const g = await progress.createGroup(ctx.channel, need(), ctx.member);
              return text(`👥 Created study group “${g.name}” with ${ctx.member.name}. Others join with /quiz group join ${g.name}.`, 'channel');
            }
            case 'join': {
              const g = await progress.joinGroup(ctx.channel, need(), ctx.member);
              return text(`👥 ${ctx.member.name} joined “${g.name}” (${g.members.length} members).`, 'channel');
            }
            case 'leave': {
              const out = await progress.leaveGroup(ctx.channel, need(), ctx.member);
              return text(out === 'deleted' ? `👥 You left “${name}”; it had no other members and is gone.` : `👥 You left “${name}”.`);
            }
            case 'list':
              return listGroups(ctx.channel);
            case 'show':
            case 'info': {
              const { group, participation } = await progress.group(ctx.channel, need());
              const lines = [
                `👥 ${group.name} — ${group.members.length} member${group.members.length === 1 ? '' : 's'} · team streak ${group.teamStreak} (best ${group.bestTeamStreak})`,
                '   Participation (scheduled rounds answered since joining):',
                ...participation.map((p, i) => `   ${String(i + 1).padStart(2)}. ${p.name}  ${p.answered}/${p.rounds}  ${pct(p.rate)}`),
                `   Points: /quiz leaderboard group ${group.name} [week|month|all]`,
              ];
              return text(lines.join('\n'), 'channel');
            }
            default:
              throw QuizError.of('group-command', { sub });
          }
        }
      }
      throw QuizError.of('unknown-command', { verb });
    },
  };

  async function listGroups(channel: ChannelRef): Promise<Reply> {
    const groups = await progress.groups(channel);
    if (groups.length === 0) return text('No study groups yet. Create one with /quiz group create backend-study.');
    const lines = [
      '👥 Study groups:',
      ...groups.map((g) => `   ${g.name} — ${g.members.length} member${g.members.length === 1 ? '' : 's'}, team streak ${g.teamStreak}`),
    ];
    return text(lines.join('\n'));
  }
}

export function renderStats(s: MemberStats): string {
  const topics = (ts: MemberStats['strongest']) => ts.map((t) => `${t.topic} (${pct(t.coverage)}, ${t.answers} answers)`).join(', ');
  const lines = [
    `📊 ${s.member.name}`,
    `   Rounds answered: ${s.answered} scheduled · ${s.practice} practice`,
    `   Average coverage: ${s.averageCoverage === null ? '—' : pct(s.averageCoverage)}`,
    `   Streak here: ${s.streak.current} (best ${s.streak.best}) · freeze ${s.freezeAvailable ? 'available this month' : 'used this month'}`,
  ];
  if (s.strongest.length) lines.push(`   Strongest topics: ${topics(s.strongest)}`);
  if (s.weakest.length) lines.push(`   Weakest topics: ${topics(s.weakest)}`);
  if (!s.strongest.length) lines.push('   Topics: answer a few more rounds to see your strongest and weakest topics.');
  lines.push(`   Groups: ${s.groups.length ? s.groups.join(', ') : 'none (/quiz group join <name>)'}`);
  return lines.join('\n');
}
