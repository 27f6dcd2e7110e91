/** `/quiz post`: post the next scheduled question now. */
import { admin, type CommandSpec } from './spec.js';

export const post = {
  name: 'post',
  summary: 'post the next question of the day now',
  admin: true,
  discord: admin('post'),
  async run(ctx) {
    const started = await ctx.deps.scheduling.postNow(ctx.channel);
    return {
      kind: 'posted',
      round: started.round,
      question: started.question,
      text: `📌 Posted “${started.question.title}” as the question of the day.`,
      visibility: 'caller',
    };
  },
} satisfies CommandSpec;
