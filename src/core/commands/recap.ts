/**
 * `/quiz recap [week|month]`: the running period's recap so far, for the caller only — what the
 * channel will see when the period ends (posted once by the scheduler, never by this command).
 */
import type { RecapPeriod } from '../ports.js';
import { str } from './parse.js';
import { text, type CommandSpec } from './spec.js';
import { PERIODS } from './leaderboard.js';

export const recap = {
  name: 'recap',
  summary: 'this week’s (or month’s) recap so far; the channel gets it when the period ends',
  admin: false,
  options: [{ name: 'period', summary: 'week or month', kind: 'choice', choices: ['week', 'month'], aliases: PERIODS }],
  discord: { command: 'quizrecap' },
  async run(ctx, opts) {
    const period = (str(opts, 'period') ?? 'week') as RecapPeriod;
    const view = await ctx.deps.recaps.preview(ctx.channel, period);
    if (!view) return text(`📊 No answers in this channel this ${period} yet: nothing to recap.`);
    return text([`${view.title} (so far)`, ...view.lines].join('\n'));
  },
} satisfies CommandSpec;
