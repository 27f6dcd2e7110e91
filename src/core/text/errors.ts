/**
 * Errors with stable codes. The core throws QuizError naming a reason; the sentence users read
 * for it lives in ERRORS below. Anything else is a bug: users get a generic sentence.
 */
export type QuizErrorCode =
  'no-open-round' | 'no-match' | 'empty-bank' | 'bad-argument' | 'forbidden' | 'bad-schedule' | 'not-found' | 'round-open' | 'practice-limit';

const CRON_EXAMPLE = 'e.g. "0 9 * * 1-5" (weekdays at 09:00) or "30 8 * * *" (every day at 08:30)';
const TZ_EXAMPLE = 'Europe/Berlin, America/New_York or Asia/Kolkata';
const DELAY_EXAMPLE = '8h, 90m or 1d';
const SCHEDULE_SET_EXAMPLE = '/quiz schedule set 0 9 * * 1-5 Europe/Berlin 8h';

type Entry<D> = { code: QuizErrorCode; text: (d: D) => string };
const entry = <D = Record<string, never>>(code: QuizErrorCode, text: (d: D) => string): Entry<D> => ({ code, text });

/**
 * Every sentence a member reads when a command fails, in one place: throw sites name a reason
 * and its details; the wording lives here (adapters add only markup, e.g. a ⚠️).
 */
export const ERRORS = {
  // commands
  'leaderboard-option': entry<{ option: string }>(
    'bad-argument',
    (d) => `Unknown leaderboard option “${d.option}”. Try: /quiz leaderboard [week|month|all] [channel|server|practice|group <name>]`,
  ),
  'leaderboard-group': entry('bad-argument', () => 'Which group? Try: /quiz leaderboard group backend-study'),
  'unknown-command': entry<{ verb: string }>('bad-argument', (d) => `Unknown command “${d.verb}”. Try /quiz help.`),
  usage: entry<{ usage: string }>('bad-argument', (d) => `Usage: ${d.usage}`),
  'option-invalid': entry<{ option: string; text: string; expected: string; usage: string }>(
    'bad-argument',
    (d) => `“${d.text}” is not ${d.expected} (${d.option}). Usage: ${d.usage}`,
  ),
  'option-too-long': entry<{ option: string; max: number; usage: string }>(
    'bad-argument',
    (d) => `The ${d.option} is at most ${d.max} characters. Usage: ${d.usage}`,
  ),
  'subcommand-unknown': entry<{ verb: string; sub: string; subs: string[] }>(
    'bad-argument',
    (d) => `${d.sub ? `Unknown ${d.verb} command “${d.sub}”` : `Which ${d.verb} command?`} Try: ${d.subs.map((s) => `/quiz ${d.verb} ${s}`).join(', ')}.`,
  ),
  'admins-only': entry<{ verb: string }>('forbidden', (d) => `Only server admins can use /quiz ${d.verb}.`),
  'reveal-forbidden': entry<{ who: string; automatic: boolean }>(
    'forbidden',
    (d) => `Only ${d.who} can reveal this question early.${d.automatic ? ' It reveals by itself at the set time.' : ''}`,
  ),
  'no-open-round': entry('no-open-round', () => 'There is no open question in this channel. Start one with `/quiz`.'),
  'round-not-open': entry(
    'not-found',
    () => 'That question is not open any more (already revealed, or not in this channel). /quiz reveal lists the open ones.',
  ),
  'command-too-long': entry<{ max: number }>('bad-argument', (d) => `That command is too long (at most ${d.max} characters). Try /quiz help.`),
  // questions and rounds
  'no-match': entry<{ topic: string; closest: string[] }>('no-match', (d) =>
    d.closest.length > 0
      ? `No question matches “${d.topic}”. Closest: ${d.closest.map((t) => `“${t}”`).join(', ')}.`
      : `No question matches “${d.topic}”. Try a topic such as cap, acid, rest, caching or microservices.`,
  ),
  'empty-bank': entry('empty-bank', () => 'The question bank is empty.'),
  'round-missing': entry<{ roundId: string }>('not-found', (d) => `Round ${d.roundId} does not exist.`),
  'question-missing': entry<{ questionId: string; roundId: string }>('not-found', (d) => `Question ${d.questionId} of round ${d.roundId} is missing.`),
  'never-posted': entry('not-found', () => 'That question was never posted, so it cannot be revealed.'),
  'round-open': entry<{ title: string }>('round-open', (d) => `This channel already has an open question, “${d.title}”. Reveal it first with /quiz reveal.`),
  'just-posted': entry('round-open', () => 'A question was just posted in this channel.'),
  'practice-limit': entry<{ max: number; title: string }>(
    'practice-limit',
    (d) => `This channel already has ${d.max} open practice questions; answer or reveal the newest, “${d.title}”, first (/quiz reveal in its thread).`,
  ),
  'grade-busy': entry('round-open', () => 'That question is being revealed right now; set the grade again in a few seconds.'),
  'grade-no-round': entry('not-found', () => 'There is no question in this channel to grade yet.'),
  // stats and groups
  'member-unknown': entry<{ name: string }>('not-found', (d) => `No member called “${d.name}” has answered here yet.`),
  'suggest-usage': entry('bad-argument', () => 'Suggest a question as: /quiz suggest <title> | <question> | <sample answer> [| <key point>; <key point>…]'),
  'suggest-length': entry<{ field: string; min: number; max: number; text: string }>(
    'bad-argument',
    (d) => `The ${d.field} must be ${d.min} to ${d.max} characters long (yours has ${d.text}).`,
  ),
  'suggest-key-points': entry('bad-argument', () => 'Give 3 to 6 key points separated by “;” — or none, and they will be drafted from your sample answer.'),
  'suggest-sample-short': entry(
    'bad-argument',
    () => 'The sample answer needs at least three sentences that each state something specific, to draft key points from — or give 3 to 6 key points yourself.',
  ),
  'suggest-duplicate': entry<{ title: string }>('bad-argument', (d) => `That question is already here: “${d.title}”.`),
  'suggest-limit': entry<{ max: number }>(
    'bad-argument',
    (d) => `You already have ${d.max} suggestions waiting for an admin; suggest more once they are decided.`,
  ),
  'suggestion-unknown': entry<{ text: string }>('not-found', (d) => `No suggestion “${d.text}”: /quiz suggestions lists the waiting ones.`),
  'suggestion-decided': entry<{ text: string }>('bad-argument', (d) => `That suggestion is no longer waiting: ${d.text}.`),
  'suggestion-busy': entry('bad-argument', () => 'Another admin is deciding that suggestion right now; try again in a moment.'),
  'suggestion-invalid': entry<{ text: string }>('bad-argument', (d) => `That suggestion does not make a valid question: ${d.text}.`),
  'approve-key-points': entry(
    'bad-argument',
    () => 'Give 3 to 6 key points after points=, separated by “;” — or leave points= out to keep the member’s or the drafted ones.',
  ),
  'approve-usage': entry('bad-argument', () => 'Approve as: /quiz approve <id> [title=…] [topics=a,b] [level=junior|mid|senior] [points=a; b; c]'),
  'reject-usage': entry('bad-argument', () => 'Decline as: /quiz reject <id> <reason> (the author reads the reason).'),
  'notify-role-usage': entry('bad-argument', () => 'Which role? e.g. /quiz notify role @quiz-pings (or off).'),
  'notify-role-invalid': entry<{ text: string }>(
    'bad-argument',
    (d) => `“${d.text}” is not a role: mention it (Slack: a user group), e.g. /quiz notify role @quiz-pings.`,
  ),
  'notify-forbidden': entry(
    'forbidden',
    () => 'I am not allowed to change that role: Discord needs Manage Roles with my role above it; Slack needs the usergroups scopes (and a paid plan).',
  ),
  'notify-role-gone': entry('not-found', () => 'The notify role no longer exists: an admin sets a new one with /quiz notify role @role.'),
  'notify-last': entry(
    'bad-argument',
    () => 'Slack keeps at least one member in a user group, and you are its last: an admin can turn pings off with /quiz notify role off.',
  ),
  'notify-none': entry('not-found', () => 'This channel has no notify role yet: an admin sets one with /quiz notify role @role.'),
  'group-exists': entry<{ group: string }>('bad-argument', (d) => `A group called “${d.group}” already exists. Join it with /quiz group join ${d.group}.`),
  'group-member-already': entry<{ group: string }>('bad-argument', (d) => `You are already in “${d.group}”.`),
  'group-not-member': entry<{ group: string }>('bad-argument', (d) => `You are not in “${d.group}”.`),
  'group-server-limit': entry('bad-argument', () => 'This server has reached the limit of study groups. Ask an admin to tidy up unused ones.'),
  'group-member-limit': entry('bad-argument', () => 'You are in the maximum number of study groups. Leave one first.'),
  'group-unknown': entry<{ group: string; existing: string[] }>('not-found', (d) =>
    d.existing.length
      ? `There is no group “${d.group}”. Groups here: ${d.existing.join(', ')}.`
      : `There is no group “${d.group}”. Create one with /quiz group create ${d.group}.`,
  ),
  'group-name': entry<{ name: string }>(
    'bad-argument',
    (d) => `“${d.name}” is not a valid group name: use 2–32 lowercase letters, digits, - or _, e.g. backend-study.`,
  ),
  // schedules
  'cron-invalid': entry<{ pattern: string; why: string }>('bad-schedule', (d) => `“${d.pattern}” is not a valid cron pattern (${d.why}); ${CRON_EXAMPLE}.`),
  'cron-seconds': entry<{ pattern: string }>(
    'bad-schedule',
    (d) => `“${d.pattern}” has 6 fields: quizbot schedules take 5 (minute hour day-of-month month day-of-week), no seconds field; ${CRON_EXAMPLE}.`,
  ),
  'cron-fields': entry<{ pattern: string }>(
    'bad-schedule',
    (d) => `“${d.pattern}” is not a cron pattern: it needs 5 fields (minute hour day-of-month month day-of-week), ${CRON_EXAMPLE}.`,
  ),
  'cron-never': entry<{ pattern: string; again?: boolean }>('bad-schedule', (d) =>
    d.again ? `“${d.pattern}” never runs again; ${CRON_EXAMPLE}.` : `“${d.pattern}” never runs (no date matches it); ${CRON_EXAMPLE}.`,
  ),
  'cron-too-often': entry<{ pattern: string; every: string; min: string }>(
    'bad-schedule',
    (d) => `“${d.pattern}” would post every ${d.every}; the shortest interval allowed is ${d.min}. ${CRON_EXAMPLE}.`,
  ),
  'timezone-invalid': entry<{ timezone: string; suggestion?: string }>('bad-schedule', (d) =>
    d.suggestion
      ? `“${d.timezone}” is not an IANA time zone; did you mean ${d.suggestion}?`
      : `“${d.timezone}” is not an IANA time zone; use a name such as ${TZ_EXAMPLE}.`,
  ),
  'reveal-delay-invalid': entry<{ text: string }>(
    'bad-schedule',
    (d) => `“${d.text}” is not a reveal delay; use a duration such as ${DELAY_EXAMPLE}, or a cron pattern in quotes.`,
  ),
  'reveal-delay-range': entry<{ text: string }>(
    'bad-schedule',
    (d) => `A reveal delay must be between 1 minute and 7 days (got “${d.text}”), ${DELAY_EXAMPLE}.`,
  ),
  'schedule-usage': entry('bad-schedule', () => `Usage: /quiz schedule set <cron> [time zone] [reveal after], e.g. ${SCHEDULE_SET_EXAMPLE}`),
  'schedule-topic': entry<{ topic: string; examples: string[] }>(
    'bad-schedule',
    (d) => `No question has the topic “${d.topic}”. Topics include: ${(d.examples ?? []).join(', ')} (see /quiz help or \`quizbot content list\`).`,
  ),
  'schedule-level': entry<{ level: string }>('bad-schedule', (d) => `Unknown level “${d.level}”; use junior, mid, senior or all.`),
  'no-slot-to-skip': entry('bad-schedule', () => 'This schedule has no upcoming slot to skip.'),
  'no-free-slot': entry('bad-schedule', () => 'This schedule has no free upcoming slot; set a new one with /quiz schedule set.'),
} satisfies Record<string, Entry<never>>;

export type ErrorReason = keyof typeof ERRORS;
type DetailsOf<R extends ErrorReason> = Parameters<(typeof ERRORS)[R]['text']>[0];

/** A failure the member can act on: its sentence comes from ERRORS; `code` groups reasons. */
export class QuizError extends Error {
  readonly code: QuizErrorCode;
  readonly details: Record<string, unknown>;

  constructor(
    readonly reason: ErrorReason,
    details: Record<string, unknown> = {},
  ) {
    super((ERRORS[reason] as Entry<Record<string, unknown>>).text(details));
    this.name = 'QuizError';
    this.code = ERRORS[reason].code;
    this.details = details;
  }

  /** Typed construction: the details a reason's sentence needs. */
  static of<R extends ErrorReason>(reason: R, ...details: DetailsOf<R> extends Record<string, never> ? [] : [DetailsOf<R>]): QuizError {
    return new QuizError(reason, ...(details as unknown as [Record<string, unknown>]));
  }
}

export const GENERIC_FAILURE = 'Something went wrong on our side; the team has the details in the logs. Please try again.';

const UNAVAILABLE_TEXT: Record<ChannelUnavailableReason, string> = {
  'not-in-channel': 'I cannot post in this channel: I am not a member of it. Invite me first (type /invite @quizbot here).',
  'missing-permissions':
    'I cannot post in this channel: I am missing a permission here (View Channel, Send Messages, Embed Links, Create Public Threads or Send Messages in Threads).',
};

/** What a member reads for any failure (QuizError sentences, known platform refusals, else generic). */
const BUSY_TEXT = '⏳ Another quizbot process is posting or revealing this question right now; it will appear in a moment.';

export function userMessage(err: unknown): string {
  if (err instanceof QuizError) return err.message;
  if (err instanceof ChannelUnavailableError) return UNAVAILABLE_TEXT[err.reason];
  // Another replica is posting or revealing this round right now: it will appear, nothing failed.
  if (err instanceof RoundBusyError) return BUSY_TEXT;
  if (err instanceof RateLimitedError)
    return `The chat platform asked quizbot to slow down; it will carry on in about ${Math.ceil(err.retryAfterMs / 1000)} s.`;
  return GENERIC_FAILURE;
}

/** A platform asked us to slow down (HTTP 429). Job workers pause for `retryAfterMs`. */
export class RateLimitedError extends Error {
  constructor(
    readonly retryAfterMs: number,
    message = `rate limited for ${retryAfterMs} ms`,
  ) {
    super(message);
    this.name = 'RateLimitedError';
  }
}

/**
 * Another worker holds the round's lease and may be mid-step: the job must not report success.
 * It fails and is retried; the lease's expiry is what lets a retry take over from a dead worker.
 */
export class RoundBusyError extends Error {
  constructor(
    readonly roundId: string,
    readonly holder: string,
    readonly retryInMs: number,
  ) {
    super(`round ${roundId} is being driven by ${holder} (lease expires in ${retryInMs} ms)`);
    this.name = 'RoundBusyError';
  }
}

/** The platform says the channel is gone for good (deleted, unknown): retrying cannot post. */
export class ChannelGoneError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'ChannelGoneError';
  }
}

/**
 * The bot cannot post in the channel until a person acts: it is not a member (Slack
 * `not_in_channel`) or lacks a permission (Discord 50001/50013). Retrying alone will not help;
 * whoever set the schedule is told once, and the schedule pauses after repeated failures.
 */
export type ChannelUnavailableReason = 'not-in-channel' | 'missing-permissions';

export class ChannelUnavailableError extends Error {
  constructor(
    readonly reason: ChannelUnavailableReason,
    message: string,
  ) {
    super(message);
    this.name = 'ChannelUnavailableError';
  }
}
