/**
 * `/quiz schedule show|set|topics|exclude|levels|reminder`: a channel's schedule. Anyone may
 * look; admins change it.
 */
import { LEVELS } from '../../content/types.js';
import { QuizError } from '../text/errors.js';
import { describeReveal, durationMs, formatLocal, parseReveal, upcoming, validateCron, validateTimezone, type ChannelSchedule } from '../schedule/schedule.js';
import type { Level } from '../types.js';
import { durationText } from '../text/views.js';
import { num, str } from './parse.js';
import { admin, text, type CommandSpec, type Options, type RunContext } from './spec.js';

const CRON_FIELD = /^[\d*,/\-?LW#A-Za-z]+$/;

/** "0 9 * * 1-5 Europe/Berlin 8h" or "\"0 9 * * 1-5\" Europe/Berlin 8h" → parts. */
export function parseScheduleSet(args: readonly string[]): { cron: string; timezone?: string; reveal?: string } {
  if (args.length === 0) throw QuizError.of('schedule-usage');
  let cron: string;
  let rest: readonly string[];
  if (args[0]!.trim().includes(' ')) {
    cron = args[0]!;
    rest = args.slice(1);
  } else {
    const fields: string[] = [];
    let i = 0;
    const isZone = (t: string) => /^[A-Za-z_]+\/[A-Za-z]/.test(t) || /^[A-Z]{2,5}$/.test(t);
    while (i < args.length && fields.length < 5 && CRON_FIELD.test(args[i]!) && !isZone(args[i]!)) fields.push(args[i++]!);
    // A sixth cron-like field (seconds, or a typo) is refused with the 5-field rule, never cut off.
    const next = args[i];
    if (fields.length === 5 && next !== undefined && /^[\d*,/?-]+$/.test(next)) validateCron([...fields, next].join(' '));
    cron = fields.join(' ');
    rest = args.slice(i);
  }
  const out: { cron: string; timezone?: string; reveal?: string } = { cron };
  for (const t of rest) {
    // One grammar: a duration is the reveal; any other word is meant as a time zone and is
    // validated as one ("UTC+2" is refused with a suggestion, never saved as something else).
    // Each may be given once: a second one is an error, not a silent overwrite.
    const isDelay = durationMs(t) !== null || t.trim().split(/\s+/).length >= 5; // (or a quoted reveal cron)
    if (isDelay ? out.reveal !== undefined : out.timezone !== undefined) throw QuizError.of('schedule-usage');
    if (isDelay) out.reveal = t;
    else out.timezone = validateTimezone(t);
  }
  return out;
}

export function renderSchedule(s: ChannelSchedule, now: number, stored: boolean): string {
  const lines = [
    `🗓️ Schedule for this channel${stored ? '' : ' (not set yet — the default shown below starts with /quiz schedule set)'}${s.paused ? ' — ⏸️ PAUSED' : ''}`,
    `   Posts: “${s.cron}” in ${s.timezone}; reveal ${describeReveal(s.reveal)}`,
  ];
  if (s.topics.length) lines.push(`   Only topics: ${s.topics.join(', ')}`);
  if (s.excludeTopics.length) lines.push(`   Never topics: ${s.excludeTopics.join(', ')}`);
  if (s.levels.length) lines.push(`   Levels: ${s.levels.join(', ')}`);
  if (s.reminderMs) lines.push(`   Reminder in the thread: ${durationText(s.reminderMs)} before the reveal`);
  if (!s.paused) {
    lines.push('   Next:');
    for (const u of upcoming(s, now, 3)) {
      lines.push(`   • ${formatLocal(u.postAt, s.timezone)} → reveal ${formatLocal(u.revealAt, s.timezone)}${u.skipped ? '  (skipped)' : ''}`);
    }
  }
  return lines.join('\n');
}

/** "a, b c" → ["a", "b", "c"]; "all" and "none" clear the list. */
const list = (raw: string | undefined) =>
  (raw ?? '')
    .split(/[,\s]+/)
    .map((t) => t.trim().toLowerCase())
    .filter((t) => t && t !== 'all' && t !== 'none');

const LIST = { name: 'list', summary: 'Comma-separated tags, or all', kind: 'rest', required: true, maxLength: 300 } as const;

async function saveTopics(ctx: RunContext, opts: Options, field: 'topics' | 'excludeTopics') {
  const tags = list(str(opts, 'list'));
  // A filter on a topic the bank does not have would be saved and silently match nothing.
  const known = await ctx.deps.knownTopics(ctx.channel);
  const unknown = known.size > 0 ? tags.filter((t) => !known.has(t)) : [];
  if (unknown.length) throw QuizError.of('schedule-topic', { topic: unknown[0]!, examples: [...known].sort().slice(0, 12) });
  const s = await ctx.deps.scheduling.update(ctx.channel, { [field]: tags });
  return text(`✅ Saved.\n${renderSchedule(s, ctx.deps.clock.now(), true)}`);
}

const MIN_REMINDER_MS = 60_000;
const MAX_REMINDER_MS = 7 * 86_400_000;

export const schedule = {
  name: 'schedule',
  summary: 'the channel’s schedule',
  admin: false,
  defaultSub: 'show',
  subcommands: [
    {
      name: 'show',
      aliases: ['preview'],
      summary: 'the next three posts and reveals in local time',
      admin: false,
      discord: admin('show'),
      async run(ctx) {
        const stored = await ctx.deps.scheduling.stored(ctx.channel);
        return text(renderSchedule(stored ?? (await ctx.deps.scheduling.scheduleOf(ctx.channel)), ctx.deps.clock.now(), stored !== null));
      },
    },
    {
      name: 'set',
      summary: 'set the schedule: a cron pattern, a time zone, when to reveal',
      admin: true,
      usage: '/quiz schedule set <cron> [time zone] [reveal after]   e.g. /quiz schedule set 0 9 * * 1-5 Europe/Berlin 8h',
      options: [
        { name: 'cron', summary: 'Cron pattern, e.g. 0 9 * * 1-5', kind: 'string', required: true, maxLength: 100 },
        { name: 'timezone', summary: 'IANA time zone, e.g. Europe/Berlin', kind: 'zone', maxLength: 64 },
        { name: 'reveal', summary: 'Reveal after (8h) or a cron pattern', kind: 'string', maxLength: 100 },
      ],
      discord: admin('schedule'),
      parseText: (words) => parseScheduleSet(words),
      async run(ctx, opts) {
        const now = ctx.deps.clock.now();
        const current = await ctx.deps.scheduling.scheduleOf(ctx.channel);
        const tz = str(opts, 'timezone') ?? current.timezone;
        const reveal = str(opts, 'reveal');
        const change = { cron: str(opts, 'cron')!, timezone: tz, by: ctx.member.id, ...(reveal ? { reveal: parseReveal(reveal, tz, now) } : {}) };
        const s = await ctx.deps.scheduling.update(ctx.channel, change);
        return text(`✅ Schedule saved.\n${renderSchedule(s, now, true)}`, 'channel');
      },
    },
    {
      name: 'topics',
      summary: 'only these topics (all: any)',
      admin: true,
      options: [LIST],
      discord: admin('topics'),
      run: (ctx, opts) => saveTopics(ctx, opts, 'topics'),
    },
    {
      name: 'exclude',
      summary: 'never these topics (none: no exclusions)',
      admin: true,
      options: [LIST],
      discord: admin('exclude'),
      run: (ctx, opts) => saveTopics(ctx, opts, 'excludeTopics'),
    },
    {
      name: 'levels',
      summary: 'only these levels: junior, mid, senior (all: any)',
      admin: true,
      options: [{ ...LIST, summary: 'junior, mid, senior, or all' }],
      discord: admin('levels'),
      async run(ctx, opts) {
        const levels = list(str(opts, 'list'));
        const bad = levels.filter((l) => !LEVELS.includes(l as Level));
        if (bad.length) throw QuizError.of('schedule-level', { level: bad[0]! });
        const s = await ctx.deps.scheduling.update(ctx.channel, { levels: levels as Level[] });
        return text(`✅ Saved.\n${renderSchedule(s, ctx.deps.clock.now(), true)}`);
      },
    },
    {
      name: 'reminder',
      summary: 'a reminder in the thread that long before each reveal',
      admin: true,
      usage: '/quiz schedule reminder <1h|30m|off>',
      options: [
        { name: 'before', summary: 'How long before the reveal, e.g. 1h, 30m, or off', kind: 'duration', allowOff: true, required: true, maxLength: 10 },
      ],
      discord: admin('reminder'),
      async run(ctx, opts) {
        const ms = num(opts, 'before') ?? 0;
        if (ms !== 0 && (ms < MIN_REMINDER_MS || ms > MAX_REMINDER_MS)) throw QuizError.of('reveal-delay-range', { text: durationText(ms) });
        const reminderMs = ms === 0 ? null : ms;
        const s = await ctx.deps.scheduling.update(ctx.channel, { reminderMs });
        const said = reminderMs ? `Reminder ${durationText(reminderMs)} before each reveal.` : 'No reminder before the reveal.';
        return text(`✅ ${said}\n${renderSchedule(s, ctx.deps.clock.now(), true)}`);
      },
    },
  ],
} satisfies CommandSpec;
