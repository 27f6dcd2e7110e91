/**
 * `/quiz history [count]`: the channel's past questions, newest first, each with a link to its
 * thread and how the reveal went. Links are `{thread:<channel>:<ref>}` tokens that each
 * platform's renderer turns into its own link.
 */
import { num } from './parse.js';
import { text, type CommandSpec } from './spec.js';

export const HISTORY_DEFAULT = 10;
export const HISTORY_MAX = 25;

/** The token a renderer replaces with a link to a round's thread. */
export function threadToken(channelId: string, threadRef: string): string {
  return `{thread:${channelId}:${threadRef}}`;
}

/** Finds the thread tokens in a text: [whole token, channel id, thread ref]. */
export const THREAD_TOKEN = /\{thread:([^:{}\s]+):([^{}\s]+)\}/g;

export const history = {
  name: 'history',
  summary: 'the last questions here (default 10), with their threads and how they went',
  admin: false,
  options: [{ name: 'count', summary: `How many (1–${HISTORY_MAX}, default ${HISTORY_DEFAULT})`, kind: 'int', min: 1, max: HISTORY_MAX }],
  discord: { command: 'quizhistory' },
  async run(ctx, opts) {
    const rounds = await ctx.deps.quiz.history(ctx.channel, num(opts, 'count') ?? HISTORY_DEFAULT);
    if (rounds.length === 0) return text('📚 No daily questions here yet (or none kept: past rounds are kept for the retention period).');
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
    return text([`📚 The last ${rounds.length} question${rounds.length === 1 ? '' : 's'} in this channel:`, ...lines].join('\n'));
  },
} satisfies CommandSpec;
