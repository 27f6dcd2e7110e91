/** `/quiz pause`: stop the channel's daily questions until `/quiz resume`. */
import { admin, text, type CommandSpec } from './spec.js';

export const pause = {
  name: 'pause',
  summary: 'pause the daily question here',
  admin: true,
  discord: admin('pause'),
  async run(ctx) {
    await ctx.deps.scheduling.setPaused(ctx.channel, true);
    return text('⏸️ Daily questions are paused in this channel. /quiz resume restarts them.', 'channel');
  },
} satisfies CommandSpec;
