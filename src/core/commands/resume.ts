/** `/quiz resume`: restart a paused schedule. */
import { renderSchedule } from './schedule.js';
import { admin, text, type CommandSpec } from './spec.js';

export const resume = {
  name: 'resume',
  summary: 'resume the daily question here',
  admin: true,
  discord: admin('resume'),
  async run(ctx) {
    const s = await ctx.deps.scheduling.setPaused(ctx.channel, false);
    return text(`▶️ Daily questions resumed.\n${renderSchedule(s, ctx.deps.clock.now(), true)}`, 'channel');
  },
} satisfies CommandSpec;
