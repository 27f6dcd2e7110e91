/** `/quiz [topic]`: a practice question now, on a topic or at random. */
import { QUERY_MAX } from '../../content/bank.js';
import { str } from './parse.js';
import type { CommandSpec } from './spec.js';

/** Longest topic accepted from a member (the bank searches no further). */
export const TOPIC_MAX = QUERY_MAX;

export const ask = {
  name: 'ask',
  summary: 'a practice question now (e.g. /quiz cap); without a topic, a random one',
  admin: false,
  usage: '/quiz [topic]',
  options: [{ name: 'topic', summary: 'A topic such as cap, acid, rest, caching', kind: 'rest', maxLength: TOPIC_MAX, autocomplete: 'topic' }],
  discord: { command: 'quiz' },
  async run(ctx, opts) {
    const topic = str(opts, 'topic');
    const started = await ctx.deps.quiz.startRound(ctx.channel, { mode: 'practice', requestedBy: ctx.member, ...(topic ? { topic } : {}) });
    return {
      kind: 'posted',
      round: started.round,
      question: started.question,
      text: `📌 Posted “${started.question.title}”: answer in its thread.`,
      visibility: 'caller',
    };
  },
} satisfies CommandSpec;
