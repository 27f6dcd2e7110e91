/** `/quiz leaderboard [week|month|all] [channel|server|practice|group <name>]`: a public board. */
import { QuizError } from '../text/errors.js';
import { normaliseGroup } from '../progress/progress.js';
import type { BoardScope, Period } from '../types.js';
import { boardView, callerRankView } from '../text/views.js';
import { str } from './parse.js';
import type { CommandSpec, Options } from './spec.js';

/** Words members type for a board period (leaderboards, recaps). */
export const PERIODS: Readonly<Record<string, Period>> = {
  week: 'week',
  weekly: 'week',
  w: 'week',
  month: 'month',
  monthly: 'month',
  m: 'month',
  all: 'all',
  alltime: 'all',
  'all-time': 'all',
  ever: 'all',
};
const SCOPES: Readonly<Record<string, string>> = { here: 'channel', workspace: 'server' };
const SCOPE_CHOICES = ['channel', 'server', 'practice', 'group'];

/** Period and scope words in any order; `group <name>`. */
function parseBoardWords(words: readonly string[]): Options {
  const out: Record<string, string> = {};
  for (let i = 0; i < words.length; i++) {
    const w = words[i]!.toLowerCase();
    // (Own keys only: "constructor" or "toString" is no period.)
    const scope = (Object.hasOwn(SCOPES, w) ? SCOPES[w] : undefined) ?? (SCOPE_CHOICES.includes(w) ? w : undefined);
    if (Object.hasOwn(PERIODS, w)) out.period = PERIODS[w]!;
    else if (scope) {
      out.scope = scope;
      if (scope === 'group') out.group = words[++i] ?? '';
    } else throw QuizError.of('leaderboard-option', { option: words[i]!.slice(0, 40) });
  }
  return out;
}

export const leaderboard = {
  name: 'leaderboard',
  aliases: ['lb', 'top', 'board'],
  summary: 'a leaderboard: this week, month or all time; this channel, the server, practice or a study group',
  admin: false,
  usage: '/quiz leaderboard [week|month|all] [channel|server|practice|group <name>]',
  options: [
    { name: 'period', summary: 'week, month or all time', kind: 'choice', choices: ['week', 'month', 'all'], aliases: PERIODS },
    { name: 'scope', summary: 'channel, server, practice or a study group', kind: 'choice', choices: SCOPE_CHOICES, aliases: SCOPES },
    { name: 'group', summary: 'Study group name (scope: group)', kind: 'string', maxLength: 32 },
  ],
  discord: { command: 'leaderboard' },
  parseText: parseBoardWords,
  async run(ctx, opts) {
    const period = (str(opts, 'period') ?? 'week') as Period;
    const kind = str(opts, 'scope') ?? 'channel';
    const { platform, serverId } = ctx.channel;
    let scope: BoardScope;
    if (kind === 'group') {
      const group = str(opts, 'group');
      if (!group) throw QuizError.of('leaderboard-group');
      // A board of a group that does not exist is an error, not an empty board.
      await ctx.deps.progress.group(ctx.channel, group);
      scope = { kind: 'group', platform, serverId, group: normaliseGroup(group) };
    } else scope = kind === 'channel' ? { kind: 'channel', channel: ctx.channel } : { kind: kind as 'server' | 'practice', platform, serverId };
    const board = await ctx.deps.quiz.leaderboard(scope, period, ctx.member.id);
    return { kind: 'board', board: boardView(board), mine: callerRankView(board, ctx.member), visibility: 'channel' };
  },
} satisfies CommandSpec;
