/**
 * Command hints in what the bot says ("Reveal it first with /quiz reveal") are written once, in
 * the text grammar Slack and the console share (`/quiz <verb> [<sub>]`), and rewritten for each
 * platform here. Discord's names come from the command specs' places (core/commands): nothing
 * else spells a platform's command names.
 */
import { COMMANDS } from '../commands/index.js';
import { discordName, discordPlaces } from '../commands/places.js';
import type { PlatformName } from '../types.js';

/** "group join" / "reveal" (and every alias) → Discord's `/quizgroup join` / `/quizreveal`. */
function discordTable(): { withSub: Map<string, string>; bare: Map<string, string> } {
  const withSub = new Map<string, string>();
  const bare = new Map<string, string>();
  for (const { spec, leaf, place } of discordPlaces(COMMANDS)) {
    const verbs = [spec.name, ...(spec.aliases ?? [])];
    const name = discordName(place);
    if (leaf === spec) {
      for (const v of verbs) if (!bare.has(v)) bare.set(v, name);
      continue;
    }
    for (const v of verbs) {
      for (const s of [leaf.name, ...(leaf.aliases ?? [])]) if (!withSub.has(`${v} ${s}`)) withSub.set(`${v} ${s}`, name);
      // A verb alone means its default subcommand (`/quiz schedule` → the schedule shown).
      if (leaf.name === spec.defaultSub && !bare.has(v)) bare.set(v, name);
    }
  }
  return { withSub, bare };
}

let table: ReturnType<typeof discordTable> | null = null;
const HINT = /(^|[\s(`“"'*_])\/quiz(?: ([a-z-]+))?(?: ([a-z-]+))?/g;

export function commandHints(text: string, platform: PlatformName): string {
  if (platform !== 'discord' || !text.includes('/quiz')) return text;
  table ??= discordTable();
  const { withSub, bare } = table;
  return text.replace(HINT, (whole, lead: string, verb: string | undefined, sub: string | undefined) => {
    if (!verb || verb === 'ask') return whole;
    const both = sub ? withSub.get(`${verb} ${sub}`) : undefined;
    if (both) return `${lead}${both}`;
    const alone = bare.get(verb);
    // Unknown words stay `/quiz <word>`: on Discord that is /quiz with a topic, which exists.
    return alone ? `${lead}${alone}${sub ? ` ${sub}` : ''}` : whole;
  });
}
