/** `/quiz streak`: the caller's current and best streak in this channel. */
import { text, type CommandSpec } from './spec.js';

export const streak = {
  name: 'streak',
  summary: 'your current and best streak in this channel',
  admin: false,
  discord: { command: 'quizstreak' },
  async run(ctx) {
    const s = await ctx.deps.progress.stats(ctx.channel, ctx.member);
    return text(
      `🔥 ${s.member.name}: streak ${s.streak.current} (best ${s.streak.best}) in this channel. ` +
        (s.freezeAvailable ? 'Your monthly streak freeze is available.' : 'Your streak freeze for this month is used.'),
    );
  },
} satisfies CommandSpec;
