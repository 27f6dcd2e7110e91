/**
 * What a command is, declared once: `core/commands/<verb>.ts` exports a CommandSpec; the text
 * parser (Slack, console), help and usage lines, Discord's command definitions and option
 * reading, and the per-platform command hints are all derived from it.
 */
import type { Logger } from '../ports.js';
import type { ChatPort, RevealView } from '../ports.js';
import type { ProgressService } from '../progress/progress.js';
import type { QuizService } from '../rounds/quiz.js';
import type { RecapService } from '../progress/recaps.js';
import type { SchedulingService } from '../schedule/scheduling.js';
import type { SuggestionService } from '../community/suggestions.js';
import type { ChannelRef, Member, Question, Round } from '../types.js';
import type { BoardViewModel, CallerRankView } from '../text/views.js';

/**
 * Kinds of option. In text: `string` is one word (or "quoted words"), `rest` the rest of the
 * line, `member` a mention, id or name, `role` a role as the platform writes it (or off),
 * `choice` one of `choices` (or an alias), `duration` the one duration grammar (`off` → 0
 * when allowed), `zone` an IANA time zone, `int` a whole number within min..max.
 */
export type OptionKind = 'string' | 'rest' | 'int' | 'member' | 'role' | 'choice' | 'duration' | 'zone';

export interface OptionSpec {
  name: string;
  /** One line (Discord: at most 100 characters). */
  summary: string;
  kind: OptionKind;
  required?: boolean;
  /** `int`: the range (Discord: min_value / max_value). */
  min?: number;
  max?: number;
  /** Longest accepted text (Discord: max_length). */
  maxLength?: number;
  /** `choice`: the values (Discord: choices). */
  choices?: readonly string[];
  /** `choice`: more words members type for a value ("weekly" → "week"). */
  aliases?: Readonly<Record<string, string>>;
  /** `duration`: "off"/"none" is accepted and read as 0. */
  allowOff?: boolean;
  /** Offered while typing (Discord autocomplete): bank topics or the open rounds. */
  autocomplete?: 'topic' | 'round';
  /** Text grammar: given as `name=value` after the positional options, in any order. */
  named?: boolean;
}

export type OptionValue = string | number;
export type Options = Readonly<Record<string, OptionValue | undefined>>;

/** Where Discord has a command: a top-level command, or a subcommand of one. */
export interface DiscordPlace {
  command: string;
  sub?: string;
}

/** A command as the core receives it: a verb (and subcommand) with typed options. */
export interface Invocation {
  verb: string;
  sub?: string;
  opts: Options;
}

export interface CommandContext {
  channel: ChannelRef;
  member: Member;
  /** Resolved by the adapter from platform permissions (Manage Server / workspace admin). */
  isAdmin: boolean;
  /** The thread the command was used in, when the platform allows commands in threads. */
  threadRef?: string | null;
}

export type Visibility = 'caller' | 'channel';

/** One open round the caller may reveal, offered when several are open. */
export interface RoundChoice {
  roundId: string;
  /** 1-based position, for text platforms (`/quiz reveal 2`). */
  index: number;
  label: string;
}

export type Reply =
  | { kind: 'text'; text: string; visibility: Visibility; error?: boolean }
  /** A public board (top 10) plus the caller's own rank, which only the caller sees. */
  | { kind: 'board'; board: BoardViewModel; mine: CallerRankView; visibility: Visibility }
  | { kind: 'posted'; round: Round; question: Question; text: string; visibility: Visibility }
  | { kind: 'revealed'; view: RevealView; text: string; visibility: Visibility }
  /** Several rounds could be meant: the caller picks one (buttons, autocomplete, a number). */
  | { kind: 'choose-round'; text: string; choices: RoundChoice[]; visibility: Visibility };

/** The services commands call, handed to every `run`. */
export interface CommandDeps {
  quiz: QuizService;
  scheduling: SchedulingService;
  progress: ProgressService;
  recaps: RecapService;
  suggestions: SuggestionService;
  chat: ChatPort;
  clock: { now(): number };
  logger: Logger;
  /** Topics of the channel's bank (shipped and the server's approved questions). */
  knownTopics(channel: ChannelRef): Promise<ReadonlySet<string>>;
  setNudge(channel: ChannelRef, memberId: string, on: boolean): Promise<void>;
}

export interface RunContext extends CommandContext {
  deps: CommandDeps;
  /** Every command, one line each (the help verb). */
  help(): string;
}

export interface CommandSpec {
  /** The text verb: `/quiz <name>`. */
  name: string;
  aliases?: readonly string[];
  /** One line for help and Discord (at most 100 characters). */
  summary: string;
  /** Only server/workspace admins may run it. */
  admin: boolean;
  options?: readonly OptionSpec[];
  subcommands?: readonly CommandSpec[];
  /** With subcommands: what the bare verb means. */
  defaultSub?: string;
  /** The usage line when the derived one says too little (free-order words). */
  usage?: string;
  /** Where Discord has it (null: text platforms only). A subcommand defaults to a subcommand of its parent's command. */
  discord?: DiscordPlace | readonly DiscordPlace[] | null;
  /** Also usable in the bot's DMs on Discord (otherwise server channels only). */
  dm?: boolean;
  /** Discord and Slack collect the options in a form (a modal), not as command options. */
  form?: boolean;
  /** The text grammar, when positions cannot express it: the words after the verb → options. */
  parseText?: (words: readonly string[]) => Options;
  run?: (ctx: RunContext, opts: Options) => Promise<Reply>;
  /**
   * A form's checks that need no lookup, by option name (a form shows each error under its own
   * field and must be answered at once: Slack allows 3 s). `run` still checks everything.
   */
  formErrors?: (opts: Options) => Readonly<Record<string, string>>;
}

export const text = (t: string, visibility: Visibility = 'caller'): Reply => ({ kind: 'text', text: t, visibility });

/** The Discord command the admin verbs live under (Manage Server by default). */
export const ADMIN_COMMAND = { name: 'quizadmin', summary: 'Schedule and control the daily question' } as const;
export const admin = (sub: string): DiscordPlace => ({ command: ADMIN_COMMAND.name, sub });
