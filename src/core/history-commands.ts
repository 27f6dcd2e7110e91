/**
 * `/quiz history [n]`: the channel's past questions, newest first, each with a link to its thread
 * and how the reveal went (answers, average coverage). Links are written as `{thread:<channel>:<ref>}`
 * tokens that each platform's renderer turns into its own link (see threadLinks in the adapters).
 */
import type { CommandExtension } from './commands.js';
import { QuizError } from './errors.js';
import type { QuizService } from './quiz.js';

export const HISTORY_DEFAULT = 10;
export const HISTORY_MAX = 25;

/** The token a renderer replaces with a link to a round's thread. */
export function threadToken(channelId: string, threadRef: string): string {
  return `{thread:${channelId}:${threadRef}}`;
}

/** Finds the thread tokens in a text: [whole token, channel id, thread ref]. */
export const THREAD_TOKEN = /\{thread:([^:{}\s]+):([^{}\s]+)\}/g;

export function historyCommands(quiz: QuizService): CommandExtension {
  return {
    verbs: ['history'],
    help: ['/quiz history [n]                  the last n questions here (default 10), with their threads and how they went'],
    async run(ctx, _verb, args) {
      const raw = args[0];
      const n = raw === undefined ? HISTORY_DEFAULT : Number(raw);
      if (!Number.isInteger(n) || n < 1 || n > HISTORY_MAX) throw QuizError.of('history-count', { max: HISTORY_MAX });
      const rounds = await quiz.history(ctx.channel, n);
      if (rounds.length === 0) {
        return { kind: 'text', text: '📚 No daily questions here yet (or none kept: past rounds are kept for the retention period).', visibility: 'caller' };
      }
      const lines = rounds.map((r, i) => {
        const how =
          r.round.state === 'revealed'
            ? r.answers === null
              ? 'revealed'
              : r.answers === 0
                ? 'no answers'
                : `${r.answers} answer${r.answers === 1 ? '' : 's'}, average coverage ${Math.round((r.coverage ?? 0) * 100)}%`
            : r.round.state === 'cancelled'
              ? 'not posted'
              : 'open now';
        const link = r.round.threadRef ? ` — ${threadToken(r.round.channel.channelId, r.round.threadRef)}` : '';
        return `${String(i + 1).padStart(2)}. ${r.round.localDate} — ${r.title} — ${how}${link}`;
      });
      return {
        kind: 'text',
        text: [`📚 The last ${rounds.length} question${rounds.length === 1 ? '' : 's'} in this channel:`, ...lines].join('\n'),
        visibility: 'caller',
      };
    },
  };
}
