/**
 * The single dispatcher: finds the command's spec, checks the caller may run it, runs it, and
 * turns errors into caller-only replies. Every platform's commands come through here.
 */
import { QuizError, RoundBusyError, userMessage } from '../text/errors.js';
import { checkOptions, helpLines, parseText, pathOf, specOf } from './parse.js';
import { revealChoices } from './reveal.js';
import type { CommandContext, CommandDeps, CommandSpec, Invocation, Reply, RoundChoice } from './spec.js';

export class CommandRunner {
  constructor(
    private readonly deps: CommandDeps,
    readonly specs: readonly CommandSpec[],
  ) {}

  parse(text: string): Invocation {
    return parseText(this.specs, text);
  }

  /** Runs a command and never throws: failures become a caller-only error reply. */
  async run(ctx: CommandContext, cmd: Invocation | string): Promise<Reply> {
    try {
      return await this.dispatch(ctx, typeof cmd === 'string' ? this.parse(cmd) : cmd);
    } catch (err) {
      const where = { channel: ctx.channel, member: ctx.member.id };
      if (err instanceof RoundBusyError) this.deps.logger.info('command met a round another process is driving', where);
      else if (!(err instanceof QuizError)) this.deps.logger.error('command failed', { err, ...where });
      return { kind: 'text', text: userMessage(err), visibility: 'caller', error: true };
    }
  }

  private async dispatch(ctx: CommandContext, cmd: Invocation): Promise<Reply> {
    const found = specOf(this.specs, cmd.verb, cmd.sub);
    const run = found?.leaf.run;
    if (!found || !run) throw QuizError.of('unknown-command', { verb: [cmd.verb, cmd.sub].filter(Boolean).join(' ').slice(0, 40) });
    const { spec, leaf } = found;
    if (leaf.admin && !ctx.isAdmin) throw QuizError.of('admins-only', { verb: pathOf(spec, leaf) });
    // Typed options (Discord, buttons, forms) are checked by the same rules as text.
    const opts = typeof cmd === 'object' && cmd.opts ? checkOptions(spec, leaf, cmd.opts) : {};
    return run({ ...ctx, deps: this.deps, help: () => this.helpText() }, opts);
  }

  /** A form's field errors found without any lookup ({} when none, or for a command without a form). */
  formErrors(cmd: Invocation): Readonly<Record<string, string>> {
    const found = specOf(this.specs, cmd.verb, cmd.sub);
    return found?.leaf.formErrors?.(cmd.opts) ?? {};
  }

  /** Open rounds the caller may reveal (reveal pickers). */
  revealChoices(ctx: CommandContext): Promise<RoundChoice[]> {
    return revealChoices(this.deps.quiz, ctx);
  }

  helpText(): string {
    return helpLines(this.specs).join('\n');
  }
}
