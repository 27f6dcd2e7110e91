/**
 * `/quiz recap [week|month]`: the running period's recap so far, for the caller only — what the
 * channel will see when the period ends (posted once by the scheduler, never by this command).
 */
import { PERIODS, type CommandExtension } from './commands.js';
import { QuizError } from './errors.js';
import type { RecapService } from './recaps.js';

export function recapCommands(recaps: RecapService): CommandExtension {
  return {
    verbs: ['recap'],
    help: ['/quiz recap [week|month]           this week’s (or month’s) recap so far; the channel gets it when the period ends'],
    async run(ctx, _verb, args) {
      const word = (args[0] ?? 'week').toLowerCase();
      const period = PERIODS[word];
      if (!period || period === 'all') throw QuizError.of('recap-period', { text: word.slice(0, 20) });
      const view = await recaps.preview(ctx.channel, period);
      if (!view) return { kind: 'text', text: `📊 No answers in this channel this ${period} yet: nothing to recap.`, visibility: 'caller' };
      return { kind: 'text', text: [`${view.title} (so far)`, ...view.lines].join('\n'), visibility: 'caller' };
    },
  };
}
