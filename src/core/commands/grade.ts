/**
 * `/quiz grade <member> <points> [round]` (admins): a human override of the grader. Before the
 * reveal the points are kept for it; after, the boards move by the difference exactly once. The
 * member is told privately either way.
 */
import { QuizError } from '../text/errors.js';
import { num, str } from './parse.js';
import { admin, text, type CommandSpec } from './spec.js';

export const GRADE_MAX = 100;

export const grade = {
  name: 'grade',
  summary: 'set a member’s points for the open or latest question (0–100)',
  admin: true,
  options: [
    { name: 'member', summary: 'Whose answer', kind: 'member', required: true },
    { name: 'points', summary: `Points, 0–${GRADE_MAX}`, kind: 'int', required: true, min: 0, max: GRADE_MAX },
    { name: 'round', summary: 'Round id (default: this thread’s, or the channel’s open or latest question)', kind: 'string', maxLength: 100 },
  ],
  discord: admin('grade'),
  async run(ctx, opts) {
    const who = str(opts, 'member')!;
    const pts = num(opts, 'points')!;
    const roundId = str(opts, 'round');
    const member = await ctx.deps.progress.findMember(ctx.channel, who);
    if (!member) throw QuizError.of('member-unknown', { name: who });
    const round = await ctx.deps.quiz.gradeTarget(ctx.channel, ctx.threadRef ?? null, roundId);
    if (!round) throw QuizError.of(roundId ? 'round-not-open' : 'grade-no-round');
    const r = await ctx.deps.quiz.setGrade(round, member, pts);
    const moved = pts - (r.outcome === 'applied' ? r.previous : 0);
    return text(
      r.outcome === 'pending'
        ? `✅ ${member.name} gets ${pts} points for “${r.title}” at the reveal (the grader’s points so far: ${r.graded}). They were told privately.`
        : r.outcome === 'applied'
          ? `✅ ${member.name}’s points for “${r.title}” changed from ${r.previous} to ${pts}; the leaderboards moved by ${moved >= 0 ? '+' : ''}${moved}. They were told privately.`
          : `${member.name} already has ${pts} points for “${r.title}”; nothing changed.`,
    );
  },
} satisfies CommandSpec;
