/**
 * `/quiz grade <member> <points> [round]` (admins): a human override of the grader. Before the
 * reveal the points are kept for it; after, the boards move by the difference exactly once. The
 * member is told privately either way.
 */
import type { CommandExtension } from './commands.js';
import { QuizError } from './errors.js';
import type { ProgressService } from './progress.js';
import type { QuizService } from './quiz.js';

export const GRADE_MAX = 100;

export function gradeCommands(quiz: QuizService, progress: ProgressService): CommandExtension {
  return {
    verbs: ['grade'],
    adminOnly: () => true,
    help: ['/quiz grade <member> <points> [round]   admins: set a member’s points for the open or latest question (0–100)'],
    async run(ctx, _verb, args) {
      const [who, pts, roundId] = args;
      if (!who || !pts || args.length > 3) throw QuizError.of('grade-usage');
      if (!/^\d{1,3}$/.test(pts) || Number(pts) > GRADE_MAX) throw QuizError.of('grade-points', { text: pts });
      // Slack sends mentions as <@U123|name>; Discord passes the user id.
      const query = /^<@([A-Z0-9]+)(?:\|[^>]*)?>$/i.exec(who)?.[1] ?? who;
      const member = await progress.findMember(ctx.channel, query);
      if (!member) throw QuizError.of('member-unknown', { name: who });
      const round = await quiz.gradeTarget(ctx.channel, ctx.threadRef ?? null, roundId);
      if (!round) throw QuizError.of(roundId ? 'round-not-open' : 'grade-no-round');
      const r = await quiz.setGrade(round, member, Number(pts));
      const text =
        r.outcome === 'pending'
          ? `✅ ${member.name} gets ${pts} points for “${r.title}” at the reveal (the grader’s points so far: ${r.graded}). They were told privately.`
          : r.outcome === 'applied'
            ? `✅ ${member.name}’s points for “${r.title}” changed from ${r.previous} to ${pts}; the leaderboards moved by ${Number(pts) - r.previous >= 0 ? '+' : ''}${Number(pts) - r.previous}. They were told privately.`
            : `${member.name} already has ${pts} points for “${r.title}”; nothing changed.`;
      return { kind: 'text', text, visibility: 'caller' };
    },
  };
}
