/** `/quiz stats [member]`: rounds answered, average coverage, streak, strongest and weakest topics. */
import { QuizError } from '../text/errors.js';
import type { MemberStats } from '../progress/progress.js';
import { str } from './parse.js';
import { text, type CommandSpec } from './spec.js';

const pct = (x: number) => `${Math.round(x * 100)}%`;

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

export const stats = {
  name: 'stats',
  summary: 'rounds answered, average coverage, streak, strongest and weakest topics (yours or a member’s)',
  admin: false,
  options: [{ name: 'member', summary: 'Whose stats', kind: 'member' }],
  discord: { command: 'quizstats' },
  async run(ctx, opts) {
    const who = str(opts, 'member');
    let member = ctx.member;
    if (who) {
      const found = await ctx.deps.progress.findMember(ctx.channel, who);
      if (!found) throw QuizError.of('member-unknown', { name: who });
      member = found;
    }
    return text(renderStats(await ctx.deps.progress.stats(ctx.channel, member)));
  },
} satisfies CommandSpec;
