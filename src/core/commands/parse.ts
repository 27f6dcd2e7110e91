/**
 * The text grammar (Slack's `/quiz …` and the console), help and usage lines, all derived from
 * the command specs; `coerce` also checks options that arrive typed (Discord), so one input is
 * accepted or refused the same way on every platform.
 */
import { QuizError } from '../text/errors.js';
import { durationMs, validateTimezone } from '../schedule/schedule.js';
import type { CommandSpec, Invocation, OptionSpec, OptionValue, Options } from './spec.js';

/** Longest command text accepted (a Slack `/quiz` line); nothing longer is tokenised. */
export const COMMAND_TEXT_MAX = 1000;

/** Splits command text, keeping "quoted strings" together. */
export function tokenize(text: string): string[] {
  const out: string[] = [];
  const re = /"([^"]*)"|'([^']*)'|(\S+)/g;
  for (let m = re.exec(text); m; m = re.exec(text)) out.push(m[1] ?? m[2] ?? m[3] ?? '');
  return out;
}

const matches = (s: CommandSpec, word: string) => s.name === word || (s.aliases ?? []).includes(word);

/** The spec (and subcommand spec) an invocation names. */
export function specOf(specs: readonly CommandSpec[], verb: string, sub?: string): { spec: CommandSpec; leaf: CommandSpec } | null {
  const spec = specs.find((s) => matches(s, verb));
  if (!spec) return null;
  if (!spec.subcommands) return { spec, leaf: spec };
  const leaf = spec.subcommands.find((s) => matches(s, sub ?? spec.defaultSub ?? ''));
  return leaf ? { spec, leaf } : null;
}

/** `/quiz schedule set` → "schedule set". */
export const pathOf = (spec: CommandSpec, leaf: CommandSpec) => (leaf === spec ? spec.name : `${spec.name} ${leaf.name}`);

function optionUsage(o: OptionSpec): string {
  const body = o.named ? `${o.name}=…` : o.kind === 'choice' && o.choices ? o.choices.join('|') : o.kind === 'rest' ? `${o.name}…` : o.name;
  return o.required && !o.named ? `<${body}>` : `[${body}]`;
}

/** The usage line of a command: `/quiz grade <member> <points> [round]`. */
export function usageOf(spec: CommandSpec, leaf: CommandSpec = spec): string {
  if (leaf.usage) return leaf.usage;
  const opts = (leaf.options ?? []).map(optionUsage);
  return ['/quiz', ...(spec.name === 'ask' ? [] : [pathOf(spec, leaf)]), ...opts].join(' ');
}

/** Help: one line per command (and subcommand), usage then summary; admin verbs say so. */
export function helpLines(specs: readonly CommandSpec[]): string[] {
  const lines: string[] = [];
  for (const spec of specs) {
    for (const leaf of spec.subcommands ?? [spec]) {
      const usage = usageOf(spec, leaf);
      const summary = `${leaf.admin ? 'admins: ' : ''}${leaf.summary}`;
      lines.push(usage.length < 34 ? `${usage.padEnd(34)} ${summary}` : `${usage}   ${summary}`);
    }
  }
  return lines;
}

function invalid(spec: CommandSpec, leaf: CommandSpec, o: OptionSpec, raw: string, expected: string): QuizError {
  return QuizError.of('option-invalid', { option: o.name, text: raw.slice(0, 40), expected, usage: usageOf(spec, leaf) });
}

/** One option's value from what the member gave (text, or a Discord option read as text). */
export function coerce(spec: CommandSpec, leaf: CommandSpec, o: OptionSpec, raw: string | number): OptionValue {
  if (typeof raw === 'number' && o.kind === 'duration' && raw >= 0) return raw; // already read
  if (typeof raw === 'number') {
    if (o.kind !== 'int' || !Number.isInteger(raw) || (o.min !== undefined && raw < o.min) || (o.max !== undefined && raw > o.max))
      throw invalid(spec, leaf, o, String(raw), range(o));
    return raw;
  }
  const t = raw.trim();
  if (o.maxLength !== undefined && t.length > o.maxLength)
    throw QuizError.of('option-too-long', { option: o.name, max: o.maxLength, usage: usageOf(spec, leaf) });
  switch (o.kind) {
    case 'int': {
      if (!/^-?\d{1,9}$/.test(t)) throw invalid(spec, leaf, o, t, range(o));
      return coerce(spec, leaf, o, Number(t));
    }
    case 'choice': {
      const w = t.toLowerCase();
      const v = o.aliases && Object.hasOwn(o.aliases, w) ? o.aliases[w]! : w;
      if (!(o.choices ?? []).includes(v)) throw invalid(spec, leaf, o, t, `one of ${(o.choices ?? []).join(', ')}`);
      return v;
    }
    case 'duration': {
      if (o.allowOff && ['off', 'none'].includes(t.toLowerCase())) return 0;
      const ms = durationMs(t);
      if (ms === null) throw invalid(spec, leaf, o, t, `a duration such as 30m, 1h or 1.5h${o.allowOff ? ', or off' : ''}`);
      return ms;
    }
    case 'zone':
      return validateTimezone(t);
    case 'member':
      // Slack writes a mention as <@U123|name>, Discord as <@123>: the id; else an id or a name.
      return /^<@!?([A-Z0-9]+)(?:\|[^>]*)?>$/i.exec(t)?.[1] ?? t;
    default:
      return t;
  }
}

const range = (o: OptionSpec) => `a whole number from ${o.min ?? 0} to ${o.max ?? '…'}`;

/** The options of one command from the words after its verb (and subcommand). */
export function parseWords(spec: CommandSpec, leaf: CommandSpec, words: readonly string[]): Options {
  const raw = leaf.parseText ? leaf.parseText(words) : positional(spec, leaf, words);
  return checkOptions(spec, leaf, raw);
}

function positional(spec: CommandSpec, leaf: CommandSpec, words: readonly string[]): Options {
  const out: Record<string, OptionValue> = {};
  const opts = leaf.options ?? [];
  const named = new Map(opts.filter((o) => o.named).map((o) => [o.name, o]));
  const rest: string[] = [];
  for (const w of words) {
    const m = /^([a-z-]+)=(.*)$/i.exec(w);
    const o = m ? named.get(m[1]!.toLowerCase()) : undefined;
    if (m && o) out[o.name] = m[2]!;
    else if (m && named.size > 0) throw QuizError.of('usage', { usage: usageOf(spec, leaf) });
    else rest.push(w);
  }
  const positionals = opts.filter((o) => !o.named);
  let i = 0;
  for (const [k, o] of positionals.entries()) {
    if (i >= rest.length) break;
    const last = k === positionals.length - 1;
    if (o.kind === 'rest' || (o.kind === 'member' && last)) {
      out[o.name] = rest.slice(i).join(' ');
      i = rest.length;
    } else out[o.name] = rest[i++]!;
  }
  if (i < rest.length) throw QuizError.of('usage', { usage: usageOf(spec, leaf) });
  return out;
}

/** Coerces every given option and requires the required ones. */
export function checkOptions(spec: CommandSpec, leaf: CommandSpec, given: Options): Options {
  const out: Record<string, OptionValue> = {};
  for (const o of leaf.options ?? []) {
    const v = given[o.name];
    if (v === undefined || v === '') {
      if (o.required) throw QuizError.of('usage', { usage: usageOf(spec, leaf) });
      continue;
    }
    out[o.name] = coerce(spec, leaf, o, v);
  }
  return out;
}

/**
 * Parses the text after `/quiz` ("leaderboard week", "cap theorem", "schedule set …"): a verb
 * the specs know, else a topic for the fallback verb (ask).
 */
export function parseText(specs: readonly CommandSpec[], text: string): Invocation {
  if (text.length > COMMAND_TEXT_MAX) throw QuizError.of('command-too-long', { max: COMMAND_TEXT_MAX });
  const words = tokenize(text.trim());
  const head = (words[0] ?? '').toLowerCase();
  const spec = head ? specs.find((s) => matches(s, head)) : undefined;
  if (!spec) {
    const ask = specs.find((s) => s.name === 'ask')!;
    return { verb: 'ask', opts: checkOptions(ask, ask, words.length ? { topic: words.join(' ') } : {}) };
  }
  if (!spec.subcommands) return { verb: spec.name, opts: parseWords(spec, spec, words.slice(1)) };
  const subWord = (words[1] ?? spec.defaultSub ?? '').toLowerCase();
  const leaf = spec.subcommands.find((s) => matches(s, subWord));
  if (!leaf) throw QuizError.of('subcommand-unknown', { verb: spec.name, sub: subWord.slice(0, 20), subs: spec.subcommands.map((s) => s.name) });
  return { verb: spec.name, sub: leaf.name, opts: parseWords(spec, leaf, words.slice(words.length > 1 ? 2 : 1)) };
}

/** Reads a string option (absent: undefined). */
export const str = (opts: Options, name: string): string | undefined => (opts[name] === undefined ? undefined : String(opts[name]));
export const num = (opts: Options, name: string): number | undefined => (opts[name] === undefined ? undefined : Number(opts[name]));
