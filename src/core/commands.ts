/**
 * `/quiz` verbs, platform-neutral. Text platforms (console, Slack) parse their text with
 * parseQuizText; Discord builds the same Command from its options. `runCommand` is the single
 * dispatcher: it checks permissions, calls the core and turns errors into user-facing replies.
 */
import { QuizError, userMessage } from './errors.js';
import type { Logger } from './ports.js';
import type { QuizService } from './quiz.js';
import type { Board, BoardScope, ChannelRef, Member, Period, Question, Round } from './types.js';
import type { RevealView } from './ports.js';

export type BoardScopeKind = 'channel' | 'server' | 'practice' | 'group';

export type Command =
  | { verb: 'ask'; topic: string | null }
  | { verb: 'leaderboard'; period: Period; scope: BoardScopeKind; group?: string }
  | { verb: 'reveal' }
  | { verb: 'help' }
  | { verb: 'extension'; name: string; args: string[] };

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
  | { kind: 'board'; board: Board; visibility: Visibility }
  | { kind: 'posted'; round: Round; question: Question; visibility: Visibility }
  | { kind: 'revealed'; view: RevealView; visibility: Visibility };

/** Extra verbs registered by later modules (schedule, stats, groups) without touching this file. */
export interface CommandExtension {
  verbs: string[];
  adminOnly?: (verb: string, args: string[]) => boolean;
  run(ctx: CommandContext, verb: string, args: string[]): Promise<Reply>;
  help: string[];
}

const PERIODS: Record<string, Period> = { week: 'week', weekly: 'week', w: 'week', month: 'month', monthly: 'month', m: 'month', all: 'all', alltime: 'all', 'all-time': 'all', ever: 'all' };
const SCOPES: Record<string, BoardScopeKind> = { channel: 'channel', here: 'channel', server: 'server', workspace: 'server', practice: 'practice', group: 'group' };

/** Splits command text, keeping "quoted strings" together. */
export function tokenize(text: string): string[] {
  const out: string[] = [];
  const re = /"([^"]*)"|'([^']*)'|(\S+)/g;
  for (let m = re.exec(text); m; m = re.exec(text)) out.push(m[1] ?? m[2] ?? m[3] ?? '');
  return out;
}

/** Parses the text after `/quiz` (e.g. "leaderboard week", "cap theorem", "reveal"). */
export function parseQuizText(text: string, extensionVerbs: readonly string[] = []): Command {
  const tokens = tokenize(text.trim());
  const head = (tokens[0] ?? '').toLowerCase();
  if (tokens.length === 0) return { verb: 'ask', topic: null };
  if (head === 'help' || head === '--help' || head === '-h') return { verb: 'help' };
  if (head === 'reveal' && tokens.length === 1) return { verb: 'reveal' };
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
        throw new QuizError('bad-argument', `Unknown leaderboard option “${tokens[i]}”. Try: /quiz leaderboard [week|month|all] [channel|server|practice|group <name>]`);
      }
    }
    if (scope === 'group' && !group) throw new QuizError('bad-argument', 'Which group? Try: /quiz leaderboard group backend-study');
    return group ? { verb: 'leaderboard', period, scope, group } : { verb: 'leaderboard', period, scope };
  }
  if (extensionVerbs.includes(head)) return { verb: 'extension', name: head, args: tokens.slice(1) };
  return { verb: 'ask', topic: tokens.join(' ') };
}

export class CommandRunner {
  private readonly extensions = new Map<string, CommandExtension>();

  constructor(
    private readonly quiz: QuizService,
    private readonly logger: Logger,
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
      if (!(err instanceof QuizError)) this.logger.error('command failed', { err, channel: ctx.channel, member: ctx.member.id });
      return { kind: 'text', text: userMessage(err), visibility: 'caller', error: true };
    }
  }

  private async dispatch(ctx: CommandContext, cmd: Command): Promise<Reply> {
    switch (cmd.verb) {
      case 'ask': {
        const started = await this.quiz.startRound(ctx.channel, {
          mode: 'practice',
          requestedBy: ctx.member,
          ...(cmd.topic !== null ? { topic: cmd.topic } : {}),
        });
        return { kind: 'posted', round: started.round, question: started.question, visibility: 'caller' };
      }
      case 'reveal': {
        const round = await this.revealTarget(ctx);
        const own = round.mode === 'practice' && round.startedBy === ctx.member.id;
        if (!ctx.isAdmin && !own) {
          const who = round.mode === 'practice' ? `${round.requestedBy?.name ?? 'the member who asked for it'} or an admin` : 'an admin';
          const when = round.revealAt !== null ? ' It reveals by itself at the set time.' : '';
          throw new QuizError('forbidden', `Only ${who} can reveal this question early.${when}`);
        }
        const view = await this.quiz.reveal(round.id);
        return { kind: 'revealed', view, visibility: 'caller' };
      }
      case 'leaderboard': {
        const scope = this.scopeFor(ctx, cmd.scope, cmd.group);
        const board = await this.quiz.leaderboard(scope, cmd.period, ctx.member.id);
        return { kind: 'board', board, visibility: 'channel' };
      }
      case 'help':
        return { kind: 'text', text: this.helpText(), visibility: 'caller' };
      case 'extension': {
        const ext = this.extensions.get(cmd.name);
        if (!ext) throw new QuizError('bad-argument', `Unknown command “${cmd.name}”.`);
        if (ext.adminOnly?.(cmd.name, cmd.args) && !ctx.isAdmin) {
          throw new QuizError('forbidden', `Only server admins can use /quiz ${cmd.name}.`);
        }
        return ext.run(ctx, cmd.name, cmd.args);
      }
    }
  }

  /**
   * Which round `/quiz reveal` means: the thread's round when used in one; else the only open
   * round; else the caller's own newest practice round, or (for admins) the scheduled one.
   */
  private async revealTarget(ctx: CommandContext): Promise<Round> {
    if (ctx.threadRef) {
      const r = await this.quiz.roundInThread(ctx.channel, ctx.threadRef);
      if (r && r.status === 'open') return r;
    }
    const open = await this.quiz.openRounds(ctx.channel);
    if (open.length === 0) throw new QuizError('no-open-round', 'There is no open question in this channel. Start one with `/quiz`.');
    if (open.length === 1) return open[0]!;
    const own = open.find((r) => r.mode === 'practice' && r.startedBy === ctx.member.id);
    if (own) return own;
    const scheduled = open.find((r) => r.mode === 'scheduled');
    if (ctx.isAdmin && scheduled) return scheduled;
    return open[0]!;
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
        return { kind: 'group', platform, serverId, group: (group ?? '').toLowerCase() };
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
