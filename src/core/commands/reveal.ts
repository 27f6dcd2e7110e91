/**
 * `/quiz reveal [round]`: reveal an open question now — in its thread, that one; with several
 * open, the caller picks. Practice questions: whoever asked for it or an admin; scheduled ones:
 * admins (they reveal by themselves at the set time).
 */
import { QuizError } from '../text/errors.js';
import type { QuizService } from '../rounds/quiz.js';
import type { Round } from '../types.js';
import { str } from './parse.js';
import { admin, type CommandContext, type CommandSpec, type RoundChoice } from './spec.js';

const mayReveal = (ctx: CommandContext, round: Round) => ctx.isAdmin || (round.mode === 'practice' && round.startedBy === ctx.member.id);

/** The open rounds of the channel the caller may reveal, as choices (Discord autocomplete). */
export async function revealChoices(quiz: QuizService, ctx: CommandContext): Promise<RoundChoice[]> {
  const open = (await quiz.openRounds(ctx.channel)).filter((r) => mayReveal(ctx, r));
  const out: RoundChoice[] = [];
  for (const [i, r] of open.entries()) {
    const title = await quiz.roundTitle(r);
    const label =
      r.mode === 'practice' ? `Practice: ${title} (asked for by ${r.requestedBy?.name ?? 'a member'})` : `Question of the day: ${title} (${r.localDate})`;
    out.push({ roundId: r.id, index: i + 1, label });
  }
  return out;
}

/**
 * Which round is meant: the one picked (a round id or a listed number); in a thread, the
 * thread's round; else the only open round the caller may reveal. When several are revealable
 * the caller is asked to pick; when none is, the first open one (refused later).
 */
async function target(quiz: QuizService, ctx: CommandContext, pick?: string): Promise<{ round: Round } | { choices: RoundChoice[] }> {
  const open = await quiz.openRounds(ctx.channel);
  if (pick !== undefined) {
    const choices = /^\d{1,3}$/.test(pick) ? await revealChoices(quiz, ctx) : null;
    const id = choices ? choices[Number(pick) - 1]?.roundId : pick;
    const round = open.find((r) => r.id === id);
    if (!round) throw QuizError.of('round-not-open');
    return { round };
  }
  if (ctx.threadRef) {
    const r = await quiz.roundInThread(ctx.channel, ctx.threadRef);
    if (r && r.status === 'open') return { round: r };
  }
  if (open.length === 0) throw QuizError.of('no-open-round');
  if (open.length === 1) return { round: open[0]! };
  const choices = await revealChoices(quiz, ctx);
  if (choices.length === 1) return { round: open.find((r) => r.id === choices[0]!.roundId)! };
  if (choices.length === 0) return { round: open.find((r) => r.mode === 'scheduled') ?? open[0]! };
  return { choices };
}

export const reveal = {
  name: 'reveal',
  summary: 'reveal the open question now (yours, or any as an admin)',
  admin: false,
  options: [{ name: 'round', summary: 'Which open question (when several are open)', kind: 'string', maxLength: 100, autocomplete: 'round' }],
  discord: [{ command: 'quizreveal' }, admin('reveal')],
  async run(ctx, opts) {
    const quiz = ctx.deps.quiz;
    const t = await target(quiz, ctx, str(opts, 'round'));
    if ('choices' in t)
      return { kind: 'choose-round', text: 'Several questions are open here. Which one should I reveal?', choices: t.choices, visibility: 'caller' };
    const round = t.round;
    if (!mayReveal(ctx, round)) {
      const who = round.mode === 'practice' ? `${round.requestedBy?.name ?? 'the member who asked for it'} or an admin` : 'an admin';
      throw QuizError.of('reveal-forbidden', { who, automatic: round.revealAt !== null });
    }
    const view = await quiz.reveal(round.id);
    return { kind: 'revealed', view, text: `🔓 Revealed “${view.question.title}”.`, visibility: 'caller' };
  },
} satisfies CommandSpec;
