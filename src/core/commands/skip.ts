/** `/quiz skip`: skip the schedule's next slot. */
import { formatLocal } from '../schedule/schedule.js';
import { admin, text, type CommandSpec } from './spec.js';

export const skip = {
  name: 'skip',
  summary: 'skip the next question',
  admin: true,
  discord: admin('skip'),
  async run(ctx) {
    const { schedule, slotMs } = await ctx.deps.scheduling.skipNext(ctx.channel);
    return text(`⏭️ The question of ${formatLocal(slotMs, schedule.timezone)} will be skipped.`, 'channel');
  },
} satisfies CommandSpec;
