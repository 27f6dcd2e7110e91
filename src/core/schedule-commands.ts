/**
 * Admin verbs for schedules: `/quiz schedule set|show|topics|exclude|levels`, `/quiz pause`,
 * `/quiz resume`, `/quiz skip`, `/quiz post`. Registered with the CommandRunner, so the console,
 * Discord and Slack expose the same verbs.
 */
import type { CommandExtension, Reply } from './commands.js';
import { QuizError } from './errors.js';
import {
  describeReveal,
  durationMs,
  formatLocal,
  parseDelay,
  parseReveal,
  upcoming,
  validateCron,
  validateTimezone,
  type ChannelSchedule,
} from './schedule.js';
import { durationText } from './views.js';
import type { SchedulingService } from './scheduling.js';
import { LEVELS } from '../content/types.js';
import type { ChannelRef, Level } from './types.js';

const CRON_FIELD = /^[\d*,/\-?LW#A-Za-z]+$/;

/** "0 9 * * 1-5 Europe/Berlin 8h" or "\"0 9 * * 1-5\" Europe/Berlin 8h" → parts. */
export function parseScheduleSet(args: string[]): { cron: string; timezone?: string; reveal?: string } {
  if (args.length === 0) throw QuizError.of('schedule-usage');
  let cron: string;
  let rest: string[];
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

const list = (args: string[]) =>
  args
    .join(',')
    .split(/[,\s]+/)
    .map((t) => t.trim().toLowerCase())
    .filter((t) => t && t !== 'all' && t !== 'none');

export function scheduleCommands(
  scheduling: SchedulingService,
  clock: { now(): number },
  /** Topics of the channel's bank (shipped and the server's approved questions). */
  knownTopics: (channel: ChannelRef) => Promise<ReadonlySet<string>> = async () => new Set(),
): CommandExtension {
  const text = (t: string, visibility: 'caller' | 'channel' = 'caller'): Reply => ({ kind: 'text', text: t, visibility });
  return {
    verbs: ['schedule', 'pause', 'resume', 'skip', 'post'],
    adminOnly: (verb, args) => !(verb === 'schedule' && (args[0] ?? 'show').toLowerCase() === 'show'),
    help: [
      '/quiz schedule show               the next three posts and reveals in local time',
      '/quiz schedule set <cron> [tz] [reveal after]   admins, e.g. /quiz schedule set 0 9 * * 1-5 Europe/Berlin 8h',
      '/quiz schedule topics|exclude|levels <list|all>  admins: which questions the schedule picks',
      '/quiz schedule reminder <1h|30m|off>  admins: a reminder in the thread that long before the reveal',
      '/quiz pause | resume | skip | post   admins: stop/restart the schedule, skip the next slot, post now',
    ],
    async run(ctx, verb, args) {
      const now = clock.now();
      switch (verb) {
        case 'schedule': {
          const [sub = 'show', ...rest] = args;
          switch (sub.toLowerCase()) {
            case 'show': {
              const stored = await scheduling.stored(ctx.channel);
              return text(renderSchedule(stored ?? (await scheduling.scheduleOf(ctx.channel)), now, stored !== null));
            }
            case 'set': {
              const p = parseScheduleSet(rest);
              const current = await scheduling.scheduleOf(ctx.channel);
              const tz = p.timezone ?? current.timezone;
              const change = { cron: p.cron, timezone: tz, by: ctx.member.id, ...(p.reveal ? { reveal: parseReveal(p.reveal, tz, now) } : {}) };
              const s = await scheduling.update(ctx.channel, change);
              return text(`✅ Schedule saved.\n${renderSchedule(s, now, true)}`, 'channel');
            }
            case 'topics':
            case 'exclude': {
              const tags = list(rest);
              // A filter on a topic the bank does not have would be saved and silently match nothing.
              const known = await knownTopics(ctx.channel);
              const unknown = known.size > 0 ? tags.filter((t) => !known.has(t)) : [];
              if (unknown.length) throw QuizError.of('schedule-topic', { topic: unknown[0]!, examples: [...known].sort().slice(0, 12) });
              const s = await scheduling.update(ctx.channel, sub.toLowerCase() === 'topics' ? { topics: tags } : { excludeTopics: tags });
              return text(`✅ Saved.\n${renderSchedule(s, now, true)}`);
            }
            case 'levels': {
              const levels = list(rest);
              const bad = levels.filter((l) => !LEVELS.includes(l as Level));
              if (bad.length) throw QuizError.of('schedule-level', { level: bad[0]! });
              const s = await scheduling.update(ctx.channel, { levels: levels as Level[] });
              return text(`✅ Saved.\n${renderSchedule(s, now, true)}`);
            }
            case 'reminder': {
              const word = (rest[0] ?? '').toLowerCase();
              if (!word) throw QuizError.of('reminder-usage');
              const reminderMs = word === 'off' || word === 'none' ? null : parseDelay(word);
              const s = await scheduling.update(ctx.channel, { reminderMs });
              return text(
                `✅ ${reminderMs ? `Reminder ${durationText(reminderMs)} before each reveal.` : 'No reminder before the reveal.'}\n${renderSchedule(s, now, true)}`,
              );
            }
            default:
              throw QuizError.of('schedule-command', { sub });
          }
        }
        case 'pause': {
          await scheduling.setPaused(ctx.channel, true);
          return text('⏸️ Daily questions are paused in this channel. /quiz resume restarts them.', 'channel');
        }
        case 'resume': {
          const s = await scheduling.setPaused(ctx.channel, false);
          return text(`▶️ Daily questions resumed.\n${renderSchedule(s, now, true)}`, 'channel');
        }
        case 'skip': {
          const { schedule, slotMs } = await scheduling.skipNext(ctx.channel);
          return text(`⏭️ The question of ${formatLocal(slotMs, schedule.timezone)} will be skipped.`, 'channel');
        }
        case 'post': {
          const started = await scheduling.postNow(ctx.channel);
          return {
            kind: 'posted',
            round: started.round,
            question: started.question,
            text: `📌 Posted “${started.question.title}” as the question of the day.`,
            visibility: 'caller',
          };
        }
      }
      throw QuizError.of('unknown-command', { verb });
    },
  };
}
