/**
 * `/quiz` verbs, platform-neutral. Text platforms (console, Slack) parse their text with
 * parseQuizText; Discord builds the same Command from its options. `runCommand` is the single
 * dispatcher: it checks permissions, calls the core and turns errors into user-facing replies.
 */
import { QUERY_MAX } from '../content/bank.js';
import { QuizError, userMessage, RoundBusyError } from './errors.js';
import type { Logger } from './ports.js';
import type { QuizService } from './quiz.js';
import type { BoardScope, ChannelRef, Member, Period, Question, Round } from './types.js';
import { normaliseGroup } from './progress.js';
import { boardView, callerRankView, type BoardViewModel, type CallerRankView } from './views.js';
import type { RevealView } from './ports.js';

export type BoardScopeKind = 'channel' | 'server' | 'practice' | 'group';

/**
 * A command as the core receives it: built by each adapter from its platform's options (Discord
 * options, Slack/console text), never turned back into text and parsed again.
 */
export type Command =
  | { verb: 'ask'; topic: string | null }
  | { verb: 'leaderboard'; period: Period; scope: BoardScopeKind; group?: string }
  /** `pick`: a round id (a button or autocomplete choice) or the 1-based number of a listed choice. */
  | { verb: 'reveal'; pick?: string }
  | { verb: 'help' }
  /** `fields`: named values from a form (a Discord or Slack modal), never re-parsed from text. */
  | { verb: 'extension'; name: string; args: string[]; fields?: Readonly<Record<string, string>> };

/** Longest topic accepted from a member (the bank searches no further): longer input is refused. */
export const TOPIC_MAX = QUERY_MAX;
/** Longest command text accepted (a Slack `/quiz` line); nothing longer is tokenised. */
export const COMMAND_TEXT_MAX = 1000;

/** One open round the caller may reveal, offered when several are open. */
export interface RoundChoice {
  roundId: string;
  /** 1-based position, for text platforms (`/quiz reveal 2`). */
  index: number;
  label: string;
}

/** Checks a topic typed by a member (all platforms). */
export function checkTopic(topic: string): string {
  const t = topic.trim();
  if (t.length > TOPIC_MAX) throw QuizError.of('topic-too-long', { max: TOPIC_MAX });
  return t;
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

export type Reply =
  | { kind: 'text'; text: string; visibility: Visibility; error?: boolean }
  /** A public board (top 10) plus the caller's own rank, which only the caller sees. */
  | { kind: 'board'; board: BoardViewModel; mine: CallerRankView; visibility: Visibility }
  | { kind: 'posted'; round: Round; question: Question; text: string; visibility: Visibility }
  | { kind: 'revealed'; view: RevealView; text: string; visibility: Visibility }
  /** Several rounds could be meant: the caller picks one (buttons, autocomplete, a number). */
  | { kind: 'choose-round'; text: string; choices: RoundChoice[]; visibility: Visibility };

/** Extra verbs registered by later modules (schedule, stats, groups) without touching this file. */
export interface CommandExtension {
  verbs: string[];
  adminOnly?: (verb: string, args: string[]) => boolean;
  run(ctx: CommandContext, verb: string, args: string[], fields?: Readonly<Record<string, string>>): Promise<Reply>;
  help: string[];
}

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
const SCOPES: Record<string, BoardScopeKind> = {
  channel: 'channel',
  here: 'channel',
  server: 'server',
  workspace: 'server',
  practice: 'practice',
  group: 'group',
};

/** Splits command text, keeping "quoted strings" together. */
export function tokenize(text: string): string[] {
  const out: string[] = [];
  const re = /"([^"]*)"|'([^']*)'|(\S+)/g;
  for (let m = re.exec(text); m; m = re.exec(text)) out.push(m[1] ?? m[2] ?? m[3] ?? '');
  return out;
}

/** Parses the text after `/quiz` (e.g. "leaderboard week", "cap theorem", "reveal"). */
export function parseQuizText(text: string, extensionVerbs: readonly string[] = []): Command {
  if (text.length > COMMAND_TEXT_MAX) throw QuizError.of('command-too-long', { max: COMMAND_TEXT_MAX });
  const tokens = tokenize(text.trim());
  const head = (tokens[0] ?? '').toLowerCase();
  if (tokens.length === 0) return { verb: 'ask', topic: null };
  if (head === 'help' || head === '--help' || head === '-h') return { verb: 'help' };
  if (head === 'reveal' && tokens.length === 1) return { verb: 'reveal' };
  if (head === 'reveal' && tokens.length === 2) return { verb: 'reveal', pick: tokens[1]! };
  if (head === 'leaderboard' || head === 'lb' || head === 'top' || head === 'board') {
    let period: Period = 'week';
    let scope: BoardScopeKind = 'channel';
    let group: string | undefined;
    for (let i = 1; i < tokens.length; i++) {
      const t = tokens[i]!.toLowerCase();
      if (PERIODS[t]) period = PERIODS[t];
      else if (SCOPES[t]) {
        scope = SCOPES[t];
        if (scope === 'group') group = tokens[++i];
      } else {
        throw QuizError.of('leaderboard-option', { option: tokens[i]! });
      }
    }
    if (scope === 'group' && !group) throw QuizError.of('leaderboard-group');
    return group ? { verb: 'leaderboard', period, scope, group } : { verb: 'leaderboard', period, scope };
  }
  if (extensionVerbs.includes(head)) return { verb: 'extension', name: head, args: tokens.slice(1) };
  return { verb: 'ask', topic: checkTopic(tokens.join(' ')) };
}

export class CommandRunner {
  private readonly extensions = new Map<string, CommandExtension>();

  constructor(
    private readonly quiz: QuizService,
    private readonly logger: Logger,
    /** Throws the "no such group" error (with the groups there are) for an unknown study group. */
    private readonly checkGroup: (channel: ChannelRef, group: string) => Promise<void> = async () => undefined,
  ) {}

  register(ext: CommandExtension): void {
    for (const v of ext.verbs) this.extensions.set(v, ext);
  }

  get extensionVerbs(): string[] {
    return [...this.extensions.keys()];
  }

  parse(text: string): Command {
    return parseQuizText(text, this.extensionVerbs);
  }

  /** Runs a command and never throws: failures become a caller-only error reply. */
  async run(ctx: CommandContext, cmd: Command | string): Promise<Reply> {
    try {
      const command = typeof cmd === 'string' ? this.parse(cmd) : cmd;
      return await this.dispatch(ctx, command);
    } catch (err) {
      if (err instanceof RoundBusyError) this.logger.info('command met a round another process is driving', { channel: ctx.channel, member: ctx.member.id });
      else if (!(err instanceof QuizError)) this.logger.error('command failed', { err, channel: ctx.channel, member: ctx.member.id });
      return { kind: 'text', text: userMessage(err), visibility: 'caller', error: true };
    }
  }

  private async dispatch(ctx: CommandContext, cmd: Command): Promise<Reply> {
    switch (cmd.verb) {
      case 'ask': {
        const topic = cmd.topic === null ? null : checkTopic(cmd.topic);
        const started = await this.quiz.startRound(ctx.channel, {
          mode: 'practice',
          requestedBy: ctx.member,
          ...(topic ? { topic } : {}),
        });
        return {
          kind: 'posted',
          round: started.round,
          question: started.question,
          text: `📌 Posted “${started.question.title}”: answer in its thread.`,
          visibility: 'caller',
        };
      }
      case 'reveal': {
        const target = await this.revealTarget(ctx, cmd.pick);
        if ('choices' in target)
          return { kind: 'choose-round', text: 'Several questions are open here. Which one should I reveal?', choices: target.choices, visibility: 'caller' };
        const round = target.round;
        if (!this.mayReveal(ctx, round)) {
          const who = round.mode === 'practice' ? `${round.requestedBy?.name ?? 'the member who asked for it'} or an admin` : 'an admin';
          throw QuizError.of('reveal-forbidden', { who, automatic: round.revealAt !== null });
        }
        const view = await this.quiz.reveal(round.id);
        return { kind: 'revealed', view, text: `🔓 Revealed “${view.question.title}”.`, visibility: 'caller' };
      }
      case 'leaderboard': {
        // A board of a group that does not exist is an error, not an empty board.
        if (cmd.scope === 'group') await this.checkGroup(ctx.channel, cmd.group ?? '');
        const scope = this.scopeFor(ctx, cmd.scope, cmd.group);
        const board = await this.quiz.leaderboard(scope, cmd.period, ctx.member.id);
        return { kind: 'board', board: boardView(board), mine: callerRankView(board, ctx.member), visibility: 'channel' };
      }
      case 'help':
        return { kind: 'text', text: this.helpText(), visibility: 'caller' };
      case 'extension': {
        const ext = this.extensions.get(cmd.name);
        if (!ext) throw QuizError.of('unknown-command', { verb: cmd.name });
        if (ext.adminOnly?.(cmd.name, cmd.args) && !ctx.isAdmin) {
          throw QuizError.of('admins-only', { verb: cmd.name });
        }
        return ext.run(ctx, cmd.name, cmd.args, cmd.fields);
      }
    }
  }

  private mayReveal(ctx: CommandContext, round: Round): boolean {
    return ctx.isAdmin || (round.mode === 'practice' && round.startedBy === ctx.member.id);
  }

  /** The open rounds of the channel the caller may reveal, as choices (Discord autocomplete). */
  async revealChoices(ctx: CommandContext): Promise<RoundChoice[]> {
    const open = (await this.quiz.openRounds(ctx.channel)).filter((r) => this.mayReveal(ctx, r));
    const out: RoundChoice[] = [];
    for (const [i, r] of open.entries()) out.push({ roundId: r.id, index: i + 1, label: await this.roundLabel(r) });
    return out;
  }

  private async roundLabel(r: Round): Promise<string> {
    const title = await this.quiz.roundTitle(r);
    return r.mode === 'practice' ? `Practice: ${title} (asked for by ${r.requestedBy?.name ?? 'a member'})` : `Question of the day: ${title} (${r.localDate})`;
  }

  /**
   * Which round `/quiz reveal` means: the one picked (a round id or a listed number); in a
   * thread, the thread's round; else the only open round the caller may reveal. When several
   * are revealable the caller is asked to pick; when none is, the first open one (refused later).
   */
  private async revealTarget(ctx: CommandContext, pick?: string): Promise<{ round: Round } | { choices: RoundChoice[] }> {
    const open = await this.quiz.openRounds(ctx.channel);
    if (pick !== undefined) {
      const choices = /^\d{1,3}$/.test(pick) ? await this.revealChoices(ctx) : null;
      const id = choices ? choices[Number(pick) - 1]?.roundId : pick;
      const round = open.find((r) => r.id === id);
      if (!round) throw QuizError.of('round-not-open');
      return { round };
    }
    if (ctx.threadRef) {
      const r = await this.quiz.roundInThread(ctx.channel, ctx.threadRef);
      if (r && r.status === 'open') return { round: r };
    }
    if (open.length === 0) throw QuizError.of('no-open-round');
    if (open.length === 1) return { round: open[0]! };
    const choices = await this.revealChoices(ctx);
    if (choices.length === 1) return { round: open.find((r) => r.id === choices[0]!.roundId)! };
    if (choices.length === 0) return { round: open.find((r) => r.mode === 'scheduled') ?? open[0]! };
    return { choices };
  }

  private scopeFor(ctx: CommandContext, kind: BoardScopeKind, group?: string): BoardScope {
    const { platform, serverId } = ctx.channel;
    switch (kind) {
      case 'channel':
        return { kind: 'channel', channel: ctx.channel };
      case 'server':
        return { kind: 'server', platform, serverId };
      case 'practice':
        return { kind: 'practice', platform, serverId };
      case 'group':
        return { kind: 'group', platform, serverId, group: normaliseGroup(group ?? '') };
    }
  }

  helpText(): string {
    const lines = [
      '/quiz [topic]                     a practice question now (e.g. /quiz cap); without a topic, a random one',
      '/quiz leaderboard [week|month|all] [channel|server|practice|group <name>]',
      '/quiz reveal                      reveal the open question now (admins, for scheduled questions)',
    ];
    const seen = new Set<CommandExtension>();
    for (const ext of this.extensions.values()) {
      if (seen.has(ext)) continue;
      seen.add(ext);
      lines.push(...ext.help);
    }
    return lines.join('\n');
  }
}
