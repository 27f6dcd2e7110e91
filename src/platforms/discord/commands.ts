/**
 * quizbot's Discord application commands, derived from the command specs (core/commands): each
 * spec's `discord` place says which command (or subcommand of one) it is; its options become
 * Discord options of the matching type, with their ranges, lengths and choices. Registered by
 * scripts/register-commands.ts, never on start-up.
 */
import {
  ApplicationCommandOptionType,
  InteractionContextType,
  PermissionFlagsBits,
  type APIApplicationCommandBasicOption,
  type APIApplicationCommandSubcommandOption,
  type ChatInputCommandInteraction,
  type RESTPostAPIChatInputApplicationCommandsJSONBody,
} from 'discord.js';
import { ADMIN_COMMAND, COMMANDS, type CommandSpec, type Invocation, type OptionSpec, type OptionValue } from '../../core/commands/index.js';
import { discordPlaces, type PlacedCommand } from '../../core/commands/places.js';

/** Discord's descriptions: 1–100 characters, written as a sentence. */
const describe = (s: string) => {
  const t = s.length > 100 ? `${s.slice(0, 99)}…` : s;
  return t.charAt(0).toUpperCase() + t.slice(1);
};

function apiOption(o: OptionSpec): APIApplicationCommandBasicOption {
  const base = { name: o.name.toLowerCase(), description: describe(o.summary), required: Boolean(o.required) };
  switch (o.kind) {
    case 'int':
      return {
        ...base,
        type: ApplicationCommandOptionType.Integer,
        ...(o.min !== undefined ? { min_value: o.min } : {}),
        ...(o.max !== undefined ? { max_value: o.max } : {}),
      };
    case 'member':
      return { ...base, type: ApplicationCommandOptionType.User };
    case 'role':
      return { ...base, type: ApplicationCommandOptionType.Role };
    default: {
      const str = { ...base, type: ApplicationCommandOptionType.String as const, ...(o.maxLength !== undefined ? { max_length: o.maxLength } : {}) };
      if (o.autocomplete) return { ...str, autocomplete: true };
      return o.kind === 'choice' && o.choices ? { ...str, choices: o.choices.map((v) => ({ name: v, value: v })) } : str;
    }
  }
}

/** A form command (a modal) takes no options on Discord. */
const optionsOf = (leaf: CommandSpec) => (leaf.form ? [] : (leaf.options ?? []).map(apiOption));

export function discordDefinitions(specs: readonly CommandSpec[] = COMMANDS): RESTPostAPIChatInputApplicationCommandsJSONBody[] {
  const byName = new Map<
    string,
    RESTPostAPIChatInputApplicationCommandsJSONBody & { options: NonNullable<RESTPostAPIChatInputApplicationCommandsJSONBody['options']> }
  >();
  const placed = discordPlaces(specs);
  for (const { spec, leaf, place } of placed) {
    let cmd = byName.get(place.command);
    if (!cmd) {
      const mine = placed.filter((p) => p.place.command === place.command);
      const isAdmin = place.command === ADMIN_COMMAND.name || mine.every((p) => p.leaf.admin);
      const description = place.command === ADMIN_COMMAND.name ? ADMIN_COMMAND.summary : place.sub ? spec.summary : leaf.summary;
      cmd = {
        name: place.command,
        description: describe(description),
        options: [],
        // Server channels only, unless a command works in the bot's DMs too (/quizhelp).
        contexts: mine.some((p) => p.leaf.dm) ? [InteractionContextType.Guild, InteractionContextType.BotDM] : [InteractionContextType.Guild],
        ...(isAdmin ? { default_member_permissions: String(PermissionFlagsBits.ManageGuild) } : {}),
      };
      byName.set(place.command, cmd);
    }
    if (place.sub) {
      const sub: APIApplicationCommandSubcommandOption = {
        type: ApplicationCommandOptionType.Subcommand,
        name: place.sub,
        description: describe(`${leaf.admin && place.command !== ADMIN_COMMAND.name ? 'admins: ' : ''}${leaf.summary}`),
        options: optionsOf(leaf),
      };
      cmd.options.push(sub);
    } else cmd.options.push(...optionsOf(leaf));
  }
  return [...byName.values()];
}

export const COMMAND_DEFINITIONS = discordDefinitions();

const PLACED = discordPlaces(COMMANDS);

/** The spec an interaction names (its command and subcommand), or null. */
export function placedOf(i: { commandName: string; options: { getSubcommand(required: false): string | null } }): PlacedCommand | null {
  const sub = i.options.getSubcommand(false);
  return PLACED.find((p) => p.place.command === i.commandName && (p.place.sub ?? null) === sub) ?? null;
}

/** The command a slash command invocation means, its options read by the kinds the spec declares. */
export function discordInvocation(i: ChatInputCommandInteraction): Invocation | null {
  const placed = placedOf(i);
  if (!placed) return null;
  const opts: Record<string, OptionValue> = {};
  for (const o of placed.leaf.options ?? []) {
    const name = o.name.toLowerCase();
    const v =
      o.kind === 'int'
        ? i.options.getInteger(name)
        : o.kind === 'member'
          ? i.options.getUser(name)?.id
          : o.kind === 'role'
            ? i.options.getRole(name)?.id
            : i.options.getString(name)?.trim() || null;
    if (v !== null && v !== undefined) opts[o.name] = v;
  }
  return placed.leaf === placed.spec ? { verb: placed.spec.name, opts } : { verb: placed.spec.name, sub: placed.leaf.name, opts };
}

/** Permissions the bot needs in a channel: view, send, embed links, create public threads, send in threads, read history, add reactions (✅). */
export const BOT_PERMISSIONS =
  PermissionFlagsBits.ViewChannel |
  PermissionFlagsBits.SendMessages |
  PermissionFlagsBits.EmbedLinks |
  PermissionFlagsBits.CreatePublicThreads |
  PermissionFlagsBits.SendMessagesInThreads |
  PermissionFlagsBits.ReadMessageHistory |
  PermissionFlagsBits.AddReactions;
