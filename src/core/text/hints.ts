/**
 * Command hints in what the bot says ("Reveal it first with /quiz reveal") are written once, in
 * the text grammar Slack and the console share (`/quiz <verb> …`), and rewritten for each
 * platform here: Discord has its own commands (`/quizreveal`, `/quizadmin schedule`, …, see
 * platforms/discord/commands.ts). Renderers call `commandHints(text, platform)` on everything
 * they send; nothing else spells a platform's command names.
 */
import type { PlatformName } from '../types.js';

type Rule = string | ((rest: string) => string | null);

/**
 * `/quiz <verb> [<sub>]` → Discord. A string replaces the verb; a function may also take the
 * word after it (null: not this rule, use the verb alone). Unknown words stay `/quiz <word>` (on
 * Discord that is /quiz with a topic, which exists).
 */
const DISCORD: Record<string, Rule> = {
  reveal: '/quizreveal',
  leaderboard: '/leaderboard',
  lb: '/leaderboard',
  stats: '/quizstats',
  streak: '/quizstats',
  history: '/quizhistory',
  recap: '/quizrecap',
  suggest: '/quizsuggest',
  help: '/quizhelp',
  group: (sub) => (['create', 'join', 'leave', 'list', 'show'].includes(sub) ? `/quizgroup action:${sub}` : null),
  groups: '/quizgroup action:list',
  notify: (sub) =>
    sub === 'role' ? '/quizadmin notify' : sub === 'on' || sub === 'off' ? `/quiznotify action:${sub}` : sub === 'streak' ? '/quiznotify action:streak' : null,
  schedule: (sub) =>
    sub === 'show' || sub === 'preview'
      ? '/quizadmin show'
      : sub === 'reminder'
        ? '/quizadmin reminder'
        : sub === 'topics' || sub === 'exclude'
          ? '/quizadmin topics'
          : sub === 'set'
            ? '/quizadmin schedule'
            : null,
  pause: '/quizadmin pause',
  resume: '/quizadmin resume',
  skip: '/quizadmin skip',
  post: '/quizadmin post',
  approve: '/quizadmin approve',
  reject: '/quizadmin reject',
  suggestions: '/quizadmin suggestions',
  grade: '/quizadmin grade',
  'reward-role': '/quizadmin reward-role',
};
/** Verbs whose rule did not take the next word: the verb alone. */
const DISCORD_BARE: Record<string, string> = { group: '/quizgroup', notify: '/quiznotify', schedule: '/quizadmin schedule' };

const HINT = /(^|[\s(`“"'*_])\/quiz(?: ([a-z-]+))?(?: ([a-z-]+))?/g;

export function commandHints(text: string, platform: PlatformName): string {
  if (platform !== 'discord' || !text.includes('/quiz')) return text;
  return text.replace(HINT, (whole, lead: string, verb: string | undefined, sub: string | undefined) => {
    if (!verb) return whole;
    const rule = DISCORD[verb];
    if (rule === undefined) return whole;
    if (typeof rule === 'string') return `${lead}${rule}${sub ? ` ${sub}` : ''}`;
    const withSub = sub ? rule(sub) : null;
    if (withSub) return `${lead}${withSub}`;
    return `${lead}${DISCORD_BARE[verb] ?? `/quiz ${verb}`}${sub ? ` ${sub}` : ''}`;
  });
}
