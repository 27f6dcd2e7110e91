/**
 * Where each command lives on Discord, derived from the specs' `discord` places: Discord cannot
 * mix a top-level option with subcommands, so verbs are split over a few commands (`/quiz`,
 * `/quizreveal`, `/quizgroup create`, `/quizadmin schedule`, …). Used by the Discord adapter
 * (definitions, option reading) and by the command hints.
 */
import type { CommandSpec, DiscordPlace } from './spec.js';

export interface PlacedCommand {
  spec: CommandSpec;
  /** The spec itself, or the subcommand placed. */
  leaf: CommandSpec;
  place: DiscordPlace;
}

function placesOf(spec: CommandSpec, leaf: CommandSpec): readonly DiscordPlace[] {
  const own = leaf.discord;
  if (own === null) return [];
  if (own !== undefined) return Array.isArray(own) ? own : [own as DiscordPlace];
  if (leaf === spec) return [];
  const parent = spec.discord;
  const p = Array.isArray(parent) ? parent[0] : (parent as DiscordPlace | null | undefined);
  return p ? [{ command: p.command, sub: leaf.name }] : [];
}

/** Every (command, subcommand) Discord has, in declaration order. */
export function discordPlaces(specs: readonly CommandSpec[]): PlacedCommand[] {
  const out: PlacedCommand[] = [];
  for (const spec of specs) for (const leaf of spec.subcommands ?? [spec]) for (const place of placesOf(spec, leaf)) out.push({ spec, leaf, place });
  return out;
}

/** `/quizadmin schedule` for a place. */
export const discordName = (p: DiscordPlace) => `/${p.command}${p.sub ? ` ${p.sub}` : ''}`;
