/**
 * The round lifecycle: pick → post → collect → reveal → score → boards.
 *
 * A round is a durable state machine (see RoundState): every transition is recorded atomically
 * in Redis, and every side effect (the question message, its thread, the scores, each reveal
 * message) is retried until its completion is recorded. Side effects run under the round's
 * lease: a worker that finds another holder mid-step fails (RoundBusyError) instead of reporting
 * success, and the lease's expiry is what lets a retry resume after a crash. Platform calls are
 * idempotent per round (ChatPort), so a crash between a send and its record sends nothing twice.
 */
import { randomUUID } from 'node:crypto';
import { performance } from 'node:perf_hooks';
import { QuestionBank } from '../../content/bank.js';
import { parseQuestionFile } from '../../content/loader.js';
import { findCopies } from '../../content/copies.js';
import { grade as gradeAnswer, gradeRead, prepareGrading, shingles } from '../../content/grading.js';
import type { GradeResult } from '../../content/types.js';
import { ChannelGoneError, ChannelUnavailableError, QuizError, RoundBusyError } from '../text/errors.js';
import { FAILPOINTS, type Failpoint } from './failpoints.js';
import { sendNoticeOnce, type NoticeOutcome } from './notices.js';
import { keepRenewing, meteredSlicer } from './slices.js';
import { TEXTS } from '../text/texts.js';
import { durationText, reminderView } from '../text/views.js';
import { PERIODS, localDate, periodWindow } from '../schedule/periods.js';
import type {
  BoardTarget,
  ChatPort,
  Clock,
  Logger,
  Metrics,
  QuizStore,
  Random,
  RecordOutcome,
  RevealProgress,
  RevealScheduler,
  RevealView,
  RoundSummary,
  ServerRef,
  StepResult,
  WithdrawOutcome,
} from '../ports.js';
import { practiceRoundId, slotRoundId } from './round-ids.js';
import { isSubstantive, pointsFor } from './scoring.js';
import type { Answer, AnswerFeedback, Board, BoardScope, ChannelRef, Member, Period, Question, Round, RoundMode } from '../types.js';
import { channelKey } from '../types.js';

export { slotRoundId };

export { FAILPOINTS, type Failpoint };

/** When streak nudges go out without a thread reminder: an hour before the reveal. */
const NUDGE_LEAD_MS = 3_600_000;

/** Index score for rounds that wait for a person (manual reveal): far in the future. */
export const WAITS_FOR_ADMIN = 8_640_000_000_000;

export interface QuizSettings {
  defaultTimezone: string;
  /** Reveal delay for rounds started on demand; null waits for `/quiz reveal`. */
  practiceRevealDelayMs: number | null;
  /** Open practice rounds a channel may hold at once (0 = no limit). */
  maxOpenPractice?: number;
  /** How long a round's lease lasts; a crashed worker's step resumes after it. */
  leaseMs?: number;
  /** A round that could not be posted for this long is cancelled (the channel is unusable). */
  postGiveUpMs?: number;
  /** How long a final round's own records are kept (QUIZBOT_RETENTION). */
  retentionMs?: number;
}

/** Reveal order of equal points (a collator: localeCompare builds one per call, 10,000 times). */
const NAME_ORDER = new Intl.Collator('en');

/** Default retention of a final round's records: long enough for late grades and disputes. */
export const DEFAULT_RETENTION_MS = 180 * 86_400_000;

export interface QuizDeps {
  bank: QuestionBank;
  store: QuizStore;
  chat: ChatPort;
  clock: Clock;
  random: Random;
  scheduler: RevealScheduler | null;
  logger: Logger;
  settings: QuizSettings;
  /** Grading is pure; injectable so core tests can pin results. */
  grade?: (q: Question, text: string) => GradeResult;
  /**
   * The optional model grader (QUIZBOT_GRADER=openai): grades a round's answers before the reveal;
   * an answer it could not grade is graded lexically.
   */
  modelGrader?: { gradeMany(q: Question, texts: readonly string[]): Promise<Map<string, GradeResult>> };
  /** The channel's zone (schedule settings); defaults to settings.defaultTimezone. */
  timezoneOf?: (channel: ChannelRef) => Promise<string>;
  /** Topic filters of the channel's schedule, used when a scheduled round picks a question. */
  filtersOf?: (channel: ChannelRef) => Promise<QuestionFilter>;
  /** Peer votes per member for a round, counted into the score at the reveal. */
  votesOf?: (round: Round) => Promise<Map<string, number>>;
  /**
   * The platform refused to post until a person acts (not in the channel, missing permission):
   * returns 'cancel' to give the round up now, 'retry' to keep retrying.
   */
  onUnpostable?: (round: Round, err: ChannelUnavailableError) => Promise<'cancel' | 'retry'>;
  /** Operator metrics (posts, reveals, answers). */
  metrics?: Metrics;
  /** The channel's opt-in notify role, mentioned with scheduled questions (null: none). */
  notifyRoleOf?: (channel: ChannelRef) => Promise<string | null>;
  /** A member's current streak in a channel (streak nudges). */
  streakOf?: (channel: ChannelRef, memberId: string) => Promise<number>;
  /** How long before a scheduled reveal its thread gets a reminder (null: none). */
  reminderOf?: (channel: ChannelRef) => Promise<number | null>;
  /** Crash-test hook: called at each failpoint (kills the process when that point is armed). */
  failpoint?: (name: Failpoint) => void;
}

export interface QuestionFilter {
  topics?: string[];
  excludeTopics?: string[];
  levels?: Question['level'][];
}

export interface StartRoundOptions {
  mode: RoundMode;
  topic?: string;
  /** The cron slot (epoch ms) of a scheduled round; makes the round id deterministic. */
  slotMs?: number;
  requestedBy?: Member;
  /** Absolute reveal time; defaults from mode and settings. */
  revealAt?: number | null;
  /** Refuse while the channel has an open scheduled round (one Lua step with the creation). */
  exclusive?: boolean;
}

export interface StartedRound {
  round: Round;
  question: Question;
  /** False when this call found the round already started (retry, second replica). */
  created: boolean;
}

export interface AnswerInput {
  channel: ChannelRef;
  /** The thread the reply arrived in; null means "the newest open round of the channel". */
  threadRef: string | null;
  /** Or the round directly (private answers carry it in their button/modal). */
  roundId?: string;
  member: Member;
  text: string;
  deliveryId: string;
  private?: boolean;
  /** Platform timestamp of this version of the message; orders an edit after the original. */
  sentAt?: number;
  /** The platform message carrying the answer (reactions on it vote for it). */
  messageRef?: string;
  /** When that message was first sent; an edit of an older message never replaces a newer one. */
  messageAt?: number;
  /** False: the platform withheld the text (`text` is a stand-in); the answer earns participation only. */
  textAvailable?: boolean;
}

/** Longest answer kept (the private form's limit): longer ones are refused, with the reason. */
export const ANSWER_MAX_CHARS = 4000;

export interface AnswerReceipt {
  outcome: RecordOutcome;
  /** The round the answer went to (null: no round for it). */
  roundId: string | null;
}

/** What a member is told after answering privately (button + modal), whatever the platform. */
export function privateAnswerReceipt(outcome: RecordOutcome): string {
  switch (outcome) {
    case 'recorded':
      return '🔒 Your private answer is saved; everyone sees it at the reveal.';
    case 'replaced':
      return '🔒 Your private answer replaced your earlier one.';
    case 'duplicate':
      return '🔒 Already saved.';
    case 'closed':
      return 'This question is already revealed; your answer was not scored.';
    case 'held':
      return '⏳ quizbot cannot reach its storage right now: your answer is held and will be recorded as soon as it is back.';
    case 'not-recorded':
      return '⚠️ quizbot cannot reach its storage right now and your answer was NOT recorded: please send it again in a few minutes.';
    case 'too-long':
      return `Your answer is longer than ${ANSWER_MAX_CHARS.toLocaleString('en')} characters and was not saved: shorten it and send it again.`;
    default:
      return 'That question is no longer open.';
  }
}

export class QuizService {
  private readonly gradeFn: (q: Question, text: string) => GradeResult;

  private readonly holderBase = `w-${randomUUID().slice(0, 8)}`;

  constructor(private readonly deps: QuizDeps) {
    this.gradeFn = deps.grade ?? gradeAnswer;
  }

  get bank(): QuestionBank {
    return this.deps.bank;
  }

  private readonly serverBanks = new Map<string, { version: string; base: QuestionBank; bank: QuestionBank }>();

  /**
   * A server's bank: the shipped questions plus the ones its admins approved (suggestions), cached
   * until either changes (one GET of the server's bank version per call).
   */
  async bankFor(server: ServerRef): Promise<QuestionBank> {
    const version = await this.deps.store.serverBankVersion(server);
    if (version === null) return this.deps.bank;
    const key = `${server.platform}:${server.serverId}`;
    const cached = this.serverBanks.get(key);
    if (cached && cached.version === version && cached.base === this.deps.bank) return cached.bank;
    const shipped = new Set(this.deps.bank.all().map((q) => q.id));
    const own: Question[] = [];
    for (const [id, file] of await this.deps.store.serverQuestionFiles(server)) {
      const { question, problems } = parseQuestionFile(`${id}.md`, file);
      if (question && !shipped.has(question.id)) own.push(question);
      else if (!question) this.deps.logger.warn('a stored server question does not load; skipped', { server: key, id, problems });
    }
    const bank = new QuestionBank([...this.deps.bank.all(), ...own]);
    this.serverBanks.set(key, { version, base: this.deps.bank, bank });
    return bank;
  }

  /** Swaps in a reloaded question bank (content/ changed on disk); rounds keep their question ids. */
  replaceBank(bank: QuestionBank): void {
    this.deps.bank = bank;
  }

  async timezoneOf(channel: ChannelRef): Promise<string> {
    return this.deps.timezoneOf ? this.deps.timezoneOf(channel) : this.deps.settings.defaultTimezone;
  }

  private get leaseMs(): number {
    return this.deps.settings.leaseMs ?? 60_000;
  }

  private holder(): string {
    return `${this.holderBase}:${randomUUID().slice(0, 8)}`;
  }

  private failpoint(name: Failpoint): void {
    this.deps.failpoint?.(name);
  }

  /** Starts (or, for an already started slot, resumes) a round and makes sure it is posted. */
  async startRound(channel: ChannelRef, opts: StartRoundOptions): Promise<StartedRound> {
    const { store, clock, settings } = this.deps;
    const now = clock.now();
    const timezone = await this.timezoneOf(channel);
    const id = opts.slotMs !== undefined ? slotRoundId(channel, opts.slotMs) : practiceRoundId(channel);
    // Whether the slot's round exists, and the question a new one would ask: read together.
    const [existing, picked] = await Promise.all([
      opts.slotMs !== undefined ? store.getRound(id) : Promise.resolve(null),
      // (A pick that fails matters only when there is no round yet.)
      (opts.topic !== undefined ? this.questionForTopicIn(channel, opts.topic) : this.pickQuestion(channel)).catch((err: unknown) => ({ failed: err })),
    ]);
    if (existing) return { round: await this.post(existing.id), question: (await store.roundQuestion(id)) ?? this.fallbackQuestion(existing), created: false };
    if ('failed' in picked) throw picked.failed;
    const question = picked;
    const revealAt =
      opts.revealAt !== undefined
        ? opts.revealAt
        : opts.mode === 'practice' && settings.practiceRevealDelayMs !== null
          ? now + settings.practiceRevealDelayMs
          : null;
    const draft: Round = {
      id,
      channel,
      questionId: question.id,
      mode: opts.mode,
      slotMs: opts.slotMs ?? null,
      localDate: localDate(opts.slotMs ?? now, timezone),
      timezone,
      postedAt: now,
      revealAt,
      threadRef: null,
      messageRef: null,
      state: 'created',
      status: 'open',
      revealedAt: null,
      startedBy: opts.requestedBy?.id ?? null,
      requestedBy: opts.requestedBy ?? null,
      revealSent: 0,
      revealIntent: -1,
    };
    // Indexed before it exists: a crash right after creation still leaves it on the reconciler's list.
    await store.markRoundDue(id, now);
    const res = await store.createRound(draft, question, {
      refuseWhileScheduledOpen: opts.exclusive ?? false,
      maxOpenPractice: opts.mode === 'practice' ? (settings.maxOpenPractice ?? 0) : 0,
    });
    if (res.outcome === 'scheduled-open' || res.outcome === 'practice-limit') {
      await store.clearRoundDue(id);
      const title = (await store.roundQuestion(res.round.id))?.title ?? res.round.questionId;
      if (res.outcome === 'scheduled-open') {
        throw QuizError.of('round-open', { title });
      }
      throw QuizError.of('practice-limit', { max: settings.maxOpenPractice ?? 0, title });
    }
    const [, round] = await Promise.all([
      res.created ? store.markQuestionUsed(channel, question.id) : Promise.resolve(),
      this.post(res.round.id, res.round, res.created ? question : undefined),
    ]);
    // The round just created holds the question picked here; an existing one may hold another.
    const snapshot = res.created ? question : ((await store.roundQuestion(round.id)) ?? question);
    return { round, question: snapshot, created: res.created };
  }

  private fallbackQuestion(round: Round): Question {
    const q = this.deps.bank.get(round.questionId);
    if (!q) throw QuizError.of('question-missing', { questionId: round.questionId, roundId: round.id });
    return q;
  }

  /** Takes a round's lease, or renews it for `holder`; RoundBusyError while another holds it. */
  private async claim(roundId: string, holder = this.holder()): Promise<string> {
    const c = await this.deps.store.claimRound(roundId, holder, this.leaseMs);
    if (!c.ok) throw new RoundBusyError(roundId, c.holder, c.retryInMs);
    return holder;
  }

  private check(r: StepResult, roundId: string, holder: string, step: string): void {
    if (r === 'ok') return;
    if (r === 'lost-lease') throw new RoundBusyError(roundId, 'another worker', this.leaseMs);
    throw new Error(`round ${roundId}: step ${step} found the round ${r} (holder ${holder})`);
  }

  /**
   * Drives a round until it is posted: records the intent, sends the question (or finds the one
   * an earlier attempt sent), records the message, opens the thread, records it. Safe to call
   * again at any point; returns at once when the round is already past posting.
   */
  async post(roundId: string, known?: Round, created?: Question): Promise<Round> {
    const { store, chat, clock, logger } = this.deps;
    // A round known to the caller is not read before the lease. One it has just created (with
    // `created`, its question) is not read under it either: the compare-and-set of its first step
    // finds out whether another worker moved it since.
    let round = known ?? (await store.getRound(roundId));
    if (!round) throw QuizError.of('round-missing', { roundId });
    if (round.state !== 'created' && round.state !== 'posting') return round;
    const holder = await this.claim(roundId);
    // Fencing: a send starts only with a lease at most a quarter old (renewed otherwise); the
    // platform call times out well within the rest of it.
    let claimedAt = performance.now();
    const fresh = async () => {
      if (performance.now() - claimedAt < this.leaseMs / 4) return;
      await this.claim(roundId, holder);
      claimedAt = performance.now();
    };
    try {
      const begun = await this.beginPost(round, holder, created);
      round = begun.round;
      if (round.state !== 'created' && round.state !== 'posting') return round;
      const { snapshot, mention, resume } = begun;
      const question = snapshot ?? this.fallbackQuestion(round);
      const post = { round, question, requestedBy: round.requestedBy, mention };
      let messageRef = round.messageRef;
      let postedThread: string | null = null;
      try {
        if (messageRef === null) {
          this.failpoint('post.before-send');
          // A holder that lost the lease stops here, before its side effect.
          await fresh();
          messageRef = (await chat.sendQuestion(round.channel, post, { resume })).messageRef;
          this.failpoint('post.after-send');
          this.check(await store.stepRound(roundId, holder, ['posting'], null, { messageRef }), roundId, holder, 'message');
        }
        await fresh();
        const { threadRef } = await chat.openThread(round.channel, messageRef, post);
        this.failpoint('post.after-thread');
        this.check(await store.setThread(roundId, holder, threadRef, round.channel), roundId, holder, 'thread');
        postedThread = threadRef;
      } catch (err) {
        if (err instanceof RoundBusyError) throw err;
        let cancel = false;
        if (err instanceof ChannelUnavailableError && this.deps.onUnpostable) cancel = (await this.deps.onUnpostable(round, err)) === 'cancel';
        const gaveUp = cancel || err instanceof ChannelGoneError || clock.now() - round.postedAt > (this.deps.settings.postGiveUpMs ?? 12 * 3_600_000);
        if (gaveUp && messageRef === null) {
          await store.closeRound(roundId, holder, 'cancelled', clock.now());
          await store.clearRoundDue(roundId);
          await this.expire(round);
          logger.warn('round cancelled: the question could not be posted', { roundId, channel: channelKey(round.channel), err });
        }
        throw err;
      }
      // As the steps above left it (no read back).
      const posted: Round = { ...round, state: 'posted', messageRef, threadRef: postedThread };
      // Independent of each other: sent together.
      await Promise.all([
        store.markRoundDue(roundId, posted.revealAt ?? WAITS_FOR_ADMIN),
        posted.revealAt !== null && this.deps.scheduler ? this.deps.scheduler.scheduleReveal(posted) : Promise.resolve(),
        this.scheduleReminder(posted),
      ]);
      logger.info('question posted', { roundId, questionId: posted.questionId, channel: channelKey(posted.channel) });
      this.deps.metrics?.record({ kind: 'posted', platform: posted.channel.platform, mode: posted.mode });
      return posted;
    } finally {
      await store.releaseRound(roundId, holder);
    }
  }

  /**
   * Under the lease: the round as it is, its question and the notify role (read together), and
   * the post's intent recorded. A round the caller just created (`created`) is not read again.
   */
  private async beginPost(
    known: Round,
    holder: string,
    created?: Question,
  ): Promise<{ round: Round; snapshot: Question | null; mention: string | null; resume: boolean }> {
    const { store, clock } = this.deps;
    const roundId = known.id;
    const underLease = async (): Promise<[Round, Question | null]> => {
      const [r, q] = await Promise.all([store.getRound(roundId), store.roundQuestion(roundId)]);
      return [r!, q];
    };
    const [read, mention] = await Promise.all([
      created && known.state === 'created' ? ([known, created] as [Round, Question]) : underLease(),
      known.mode === 'scheduled' && this.deps.notifyRoleOf ? this.deps.notifyRoleOf(known.channel) : Promise.resolve(null),
    ]);
    let [round, snapshot] = read;
    if (round.state === 'created') {
      const step = await store.stepRound(roundId, holder, ['created'], 'posting', { postIntentAt: clock.now() });
      // Moved by another worker between its creation and this lease: as it is now.
      if (step === 'wrong-state' && round === known) [round, snapshot] = await underLease();
      else this.check(step, roundId, holder, 'posting');
    }
    // (A round stepped here still reads 'created' in memory.)
    return { round, snapshot, mention, resume: round.state === 'posting' };
  }

  private async scheduleReminder(round: Round): Promise<void> {
    const scheduler = this.deps.scheduler;
    if (round.mode !== 'scheduled' || round.revealAt === null || !scheduler?.scheduleReminder || !this.deps.reminderOf) return;
    // Streak nudges go out at the reminder's time (an hour before the reveal without one).
    const lead = (await this.deps.reminderOf(round.channel)) ?? ((await this.deps.store.nudgeMembers(round.channel)).length > 0 ? NUDGE_LEAD_MS : null);
    const at = lead ? round.revealAt - lead : null;
    // A reminder that would come before, or within a minute of, the post says nothing new.
    if (at !== null && at > this.deps.clock.now() + 60_000) await scheduler.scheduleReminder(round, at);
  }

  /**
   * The thread's reminder before the reveal ("1 h left — 4 answers so far"), sent once; nothing
   * when the round is no longer open (revealed early, cancelled).
   */
  async remind(roundId: string, holder: string): Promise<NoticeOutcome> {
    const { store, clock } = this.deps;
    const first = await store.getRound(roundId);
    if (!first || first.threadRef === null) return 'nothing-to-send';
    await this.nudge(first);
    if (!this.deps.reminderOf || (await this.deps.reminderOf(first.channel)) === null) return 'nothing-to-send';
    return sendNoticeOnce(this.deps, first.channel, first.threadRef, `remind-${roundId}`, holder, async () => {
      const round = await store.getRound(roundId);
      if (!round || round.state !== 'posted' || round.revealAt === null || round.revealAt <= clock.now()) return null;
      const answers = (await store.answers(roundId)).length;
      return reminderView(round, answers, clock.now());
    });
  }

  /**
   * Private nudges for members who opted in (`/quiz notify streak on`), have a streak and have not
   * answered this open round: once per member and round.
   */
  private async nudge(round: Round): Promise<void> {
    const { store, chat, clock, logger } = this.deps;
    if (round.state !== 'posted' || round.revealAt === null || round.revealAt <= clock.now() || !this.deps.streakOf) return;
    const members = await store.nudgeMembers(round.channel);
    if (members.length === 0) return;
    const answered = new Set((await store.answers(round.id)).map((a) => a.member.id));
    const when = durationText(round.revealAt - clock.now());
    for (const memberId of members) {
      if (answered.has(memberId)) continue;
      const streak = await this.deps.streakOf(round.channel, memberId);
      if (streak < 1) continue;
      if (!(await store.tryLock(`nudge:${round.id}:${memberId}`, 3 * 86_400_000))) continue;
      await chat
        .tellMember(
          round.channel,
          memberId,
          `🔥 Your ${streak}-question streak in {channel} is at risk: today’s question closes in ${when}. Answer in its thread to keep it. (/quiz notify streak off stops these.)`,
        )
        .catch((err: unknown) => logger.warn('streak nudge not delivered', { roundId: round.id, memberId, err }));
    }
  }

  questionForTopic(topic: string, bank: QuestionBank = this.deps.bank): Question {
    const found = bank.find(topic);
    if (found.kind === 'match') return found.question;
    throw QuizError.of('no-match', { topic, closest: found.suggestions.slice(0, 5).map((s) => s.title) });
  }

  /** Among equally good matches for a topic (e.g. every `rest` question), one the channel has not had. */
  async questionForTopicIn(channel: ChannelRef, topic: string): Promise<Question> {
    const bank = await this.bankFor(channel);
    const found = bank.find(topic);
    if (found.kind !== 'match' || found.candidates.length <= 1) return this.questionForTopic(topic, bank);
    const used = await this.deps.store.usedQuestions(channel);
    const fresh = found.candidates.filter((q) => !used.has(q.id));
    const pool = fresh.length > 0 ? fresh : found.candidates;
    return pool[Math.min(pool.length - 1, Math.floor(this.deps.random() * pool.length))]!;
  }

  /** A question the channel has not had yet; when its bank is exhausted, start over. */
  async pickQuestion(channel: ChannelRef): Promise<Question> {
    // Read together: one round trip.
    const [filter, bank, used] = await Promise.all([
      this.deps.filtersOf ? this.deps.filtersOf(channel) : Promise.resolve({}),
      this.bankFor(channel),
      this.deps.store.usedQuestions(channel),
    ]);
    let pool = bank.filter(filter);
    if (pool.length === 0) pool = [...bank.all()];
    if (pool.length === 0) throw QuizError.of('empty-bank');
    let fresh = pool.filter((q) => !used.has(q.id));
    if (fresh.length === 0) {
      await this.deps.store.resetUsedQuestions(channel);
      fresh = pool;
    }
    const index = Math.min(fresh.length - 1, Math.floor(this.deps.random() * fresh.length));
    return fresh[index]!;
  }

  /** Records a reply. Unknown threads are ignored (outcome 'unknown-round'), not errors. */
  async recordAnswer(input: AnswerInput): Promise<AnswerReceipt> {
    const { store, clock } = this.deps;
    if (input.text.length > ANSWER_MAX_CHARS) {
      this.deps.metrics?.record({ kind: 'answer', platform: input.channel.platform, outcome: 'too-long' });
      return { outcome: 'too-long', roundId: input.roundId ?? null };
    }
    const fields: Omit<Answer, 'roundId'> = {
      member: input.member,
      text: input.text,
      ...(input.textAvailable === false ? { textAvailable: false as const } : {}),
      deliveryId: input.deliveryId,
      private: input.private ?? false,
      receivedAt: input.sentAt ?? clock.now(),
      ...(input.messageAt !== undefined ? { messageAt: input.messageAt } : {}),
      ...(input.messageRef !== undefined ? { messageRef: input.messageRef } : {}),
    };
    if (!input.roundId && input.threadRef !== null) {
      // The common case, a reply in a round's thread: one round trip to Redis.
      const { outcome, roundId } = await store.recordReply(input.channel, input.threadRef, fields, input.messageRef ?? null);
      this.deps.metrics?.record({ kind: 'answer', platform: input.channel.platform, outcome });
      return { outcome, roundId: outcome === 'unknown-round' ? null : roundId };
    }
    // A private answer names its round; the console's replies go to the newest open round.
    const round = input.roundId ? await store.getRound(input.roundId) : ((await store.openRounds(input.channel))[0] ?? null);
    if (!round) {
      this.deps.metrics?.record({ kind: 'answer', platform: input.channel.platform, outcome: 'unknown-round' });
      return { outcome: 'unknown-round', roundId: null };
    }
    const answer: Answer = { roundId: round.id, ...fields };
    const outcome = await store.recordAnswer(round, answer);
    this.deps.metrics?.record({ kind: 'answer', platform: round.channel.platform, outcome });
    if (input.messageRef && (outcome === 'recorded' || outcome === 'replaced' || outcome === 'stale')) {
      await store.indexAnswerMessage(round.channel, input.messageRef, round.id, input.member.id);
    }
    return { outcome, roundId: round.id };
  }

  /**
   * A member deleted a message: if it carried their current answer to an open round, the answer
   * is withdrawn (as if never given). After the reveal, or for any other message, nothing changes.
   * Only the server of `channel` matters (a Discord thread id is fine).
   */
  async withdrawAnswer(channel: ChannelRef, messageRef: string): Promise<WithdrawOutcome> {
    const { outcome, roundId } = await this.deps.store.withdrawAnswer(channel, messageRef);
    if (outcome === 'withdrawn') {
      this.deps.metrics?.record({ kind: 'answer', platform: channel.platform, outcome: 'withdrawn' });
      this.deps.logger.debug('answer withdrawn', { round: roundId, message: messageRef });
    }
    return outcome;
  }

  /** `/quiz history`: the channel's scheduled rounds still kept, newest first, with their titles. */
  async history(channel: ChannelRef, limit: number): Promise<(RoundSummary & { title: string })[]> {
    const rounds = await this.deps.store.scheduledRounds(channel, limit);
    const bank = await this.bankFor(channel);
    return rounds.map((r) => ({ ...r, title: bank.get(r.round.questionId)?.title ?? r.round.questionId }));
  }

  /** Open rounds of a channel, newest first. */
  openRounds(channel: ChannelRef): Promise<Round[]> {
    return this.deps.store.openRounds(channel);
  }

  /**
   * The round an admin's `/quiz grade` means: the given id (in this channel), the thread's round,
   * the channel's newest open round, else its latest scheduled one.
   */
  async gradeTarget(channel: ChannelRef, threadRef: string | null, roundId?: string): Promise<Round | null> {
    const { store } = this.deps;
    const same = (r: Round | null) => (r && channelKey(r.channel) === channelKey(channel) ? r : null);
    if (roundId) return same(await store.getRound(roundId));
    if (threadRef) {
      const r = await store.roundByThread(channel, threadRef);
      if (r) return r;
    }
    const open = await store.openRounds(channel);
    if (open[0]) return open[0];
    const last = await store.latestScheduledRound(channel);
    return last ? same(await store.getRound(last)) : null;
  }

  /** The title of a round's question (its snapshot, else the bank's). */
  async roundTitle(round: Round): Promise<string> {
    const q = (await this.deps.store.roundQuestion(round.id)) ?? this.deps.bank.get(round.questionId);
    return q?.title ?? round.questionId;
  }

  /** The round whose thread this is, if any. */
  roundInThread(channel: ChannelRef, threadRef: string): Promise<Round | null> {
    return this.deps.store.roundByThread(channel, threadRef);
  }

  /**
   * Drives a round to `revealed`: posts it first if it never was (a reveal never lands in a
   * channel without its question), closes it, scores it once, sends each reveal message once.
   * Safe to call again after a crash at any step: each step resumes from the recorded state.
   */
  async reveal(roundId: string): Promise<RevealView> {
    const { store, chat, clock, logger } = this.deps;
    let round = await store.getRound(roundId);
    if (!round) throw QuizError.of('round-missing', { roundId });
    if (round.state === 'cancelled') throw QuizError.of('never-posted');
    if (round.state === 'revealed') {
      // A retry after a crash between "revealed" and its expiry: set the expiry now (idempotent).
      const view = await this.revealView(round);
      await this.expire(round);
      return view;
    }
    if (round.state === 'created' || round.state === 'posting') await this.post(roundId);
    const holder = await this.claim(roundId);
    try {
      round = (await store.getRound(roundId))!;
      if (round.state === 'posted') {
        this.check(await store.closeRound(roundId, holder, 'closing', clock.now()), roundId, holder, 'closing');
        this.failpoint('reveal.after-close');
        round = (await store.getRound(roundId))!;
      }
      // A big round grades for a while: the lease is renewed between slices, and the work stops
      // (RoundBusyError) if another holder has taken it meanwhile.
      const view = await this.revealView(round, { renew: async () => void (await this.claim(roundId, holder)) });
      if (round.state === 'closing') {
        await this.score(view);
        this.failpoint('reveal.after-score');
        const covered = view.feedback.map((f) => f.coverage);
        const summary = {
          answerCount: covered.length,
          coverage: covered.length ? Math.round((covered.reduce((a, b) => a + b, 0) / covered.length) * 1000) : -1,
        };
        this.check(await store.stepRound(roundId, holder, ['closing'], 'scored', summary), roundId, holder, 'scored');
        round = (await store.getRound(roundId))!;
      }
      if (round.state === 'scored') {
        const r = round;
        const deliver = async (threadRef: string) => {
          const at = (await store.getRound(roundId)) ?? r;
          await chat.postReveal(r.channel, threadRef, { ...view, round: at }, progressFrom(at));
        };
        const progressFrom = (at: Round): RevealProgress => ({
          from: at.revealSent,
          before: async (part) => {
            this.failpoint('reveal.before-send');
            // Each part is sent only with a fresh lease (fencing, as for the question).
            await this.claim(roundId, holder);
            const resume = at.revealIntent >= part;
            if (!resume) this.check(await store.stepRound(roundId, holder, ['scored'], null, { revealIntent: part }), roundId, holder, 'reveal intent');
            return resume;
          },
          sent: async (part) => {
            this.failpoint('reveal.after-send');
            this.check(await store.stepRound(roundId, holder, ['scored'], null, { revealSent: part + 1 }), roundId, holder, 'reveal sent');
          },
        });
        await this.deliverReveal(r, view, deliver);
        if (r.messageRef !== null) {
          // The question message loses its private-answer button and says it is revealed.
          await chat
            .markRevealed(r.channel, r.messageRef, { round: r, question: view.question, requestedBy: r.requestedBy })
            .catch((err: unknown) => logger.warn('could not mark the question message revealed', { roundId, err }));
        }
        this.check(await store.stepRound(roundId, holder, ['scored'], 'revealed'), roundId, holder, 'revealed');
        logger.info('round revealed', { roundId, answers: view.feedback.length });
        this.deps.metrics?.record({ kind: 'revealed', platform: r.channel.platform, mode: r.mode });
      }
      await store.clearRoundDue(roundId);
      const final = (await store.getRound(roundId)) ?? round;
      // A revealed round's own records go after the retention period; boards and stats stay.
      if (final.state === 'revealed') await this.expire(final);
      return { ...view, round: final };
    } finally {
      await store.releaseRound(roundId, holder);
    }
  }

  /**
   * Sends the reveal into the round's thread; a thread that is locked, archived for good or
   * deleted gets it in the channel instead (the admin is told once); a channel that refuses it
   * too is given up once — points are already counted — and the admin is told, instead of the
   * job retrying forever.
   */
  private async deliverReveal(r: Round, view: RevealView, deliver: (threadRef: string) => Promise<void>): Promise<void> {
    const { chat, logger } = this.deps;
    const tell = (text: string) =>
      chat
        .tellMember(r.channel, null, text.replace('{title}', view.question.title))
        .catch((err: unknown) => logger.warn('could not tell the admin about the reveal', { roundId: r.id, err }));
    // The thread, then the channel itself ('' — also where a thread-less round reveals).
    const targets = r.threadRef && r.threadRef !== r.channel.channelId ? [r.threadRef, ''] : [r.threadRef ?? ''];
    for (const [i, target] of targets.entries()) {
      try {
        await deliver(target);
        if (i > 0) await tell(TEXTS.revealInChannel);
        return;
      } catch (err) {
        if (!(err instanceof ChannelGoneError || err instanceof ChannelUnavailableError)) throw err;
        if (i + 1 < targets.length) logger.warn('the round’s thread refuses the reveal; revealing in the channel', { roundId: r.id, err });
        else {
          logger.error('the reveal could not be posted; given up (points are counted)', { roundId: r.id, err });
          await tell(TEXTS.revealUndelivered);
        }
      }
    }
  }

  /**
   * A finished round's own records go `retention` after it finished, by the injected clock (a
   * duration, never an instant Redis would compare with its own clock). Idempotent: every retry
   * sets the same end.
   */
  private async expire(round: Round): Promise<void> {
    const now = this.deps.clock.now();
    const retention = this.deps.settings.retentionMs ?? DEFAULT_RETENTION_MS;
    const end = (round.revealedAt ?? now) + retention;
    await this.deps.store.expireRound(round, Math.max(1, end - now));
    // The channel's day records of rounds already past retention go too (one per day, else forever).
    if (round.mode === 'scheduled') {
      const cutoff = localDate(now - retention, round.timezone);
      // Never the day of the round being finished, however old its date (a round revealed late).
      await this.deps.store.trimRoundDays(round.channel, cutoff < round.localDate ? cutoff : round.localDate);
    }
  }

  /**
   * An admin sets a member's points for a round, before or after the reveal. After scoring, the
   * round's boards move by the difference exactly once; the member is told privately.
   */
  async setGrade(
    round: Round,
    member: Member,
    points: number,
  ): Promise<{ outcome: 'pending' | 'applied' | 'unchanged'; previous: number; graded: number; title: string }> {
    const { store, chat, clock, logger } = this.deps;
    const base = await this.revealView(round, { overrides: false });
    const graded = base.feedback.find((f) => f.member.id === member.id)?.points ?? 0;
    const targets = await this.targetsFor(round, round.revealedAt ?? clock.now());
    const r = await store.adjustGrade(round, member, points, graded, targets, clock.now());
    if (r.outcome === 'unknown-round') throw QuizError.of('round-missing', { roundId: round.id });
    if (r.outcome === 'busy') throw QuizError.of('grade-busy');
    const title = base.question.title;
    if (r.outcome !== 'unchanged') {
      const text =
        r.outcome === 'pending'
          ? `An admin set your points for “${title}” to ${points}; they count at the reveal.`
          : `An admin changed your points for “${title}” from ${r.previous} to ${points}; the leaderboards are updated.`;
      await chat.tellMember(round.channel, member.id, text).catch((err: unknown) => logger.warn('could not tell the member about the new grade', { err }));
    }
    logger.info('grade set by an admin', { roundId: round.id, member: member.id, points, previous: r.previous, outcome: r.outcome });
    return { outcome: r.outcome, previous: r.previous, graded, title };
  }

  /**
   * The reveal as users see it: the same for every attempt (answers and votes are closed). Graded
   * in slices that yield to the event loop; `renew` runs between slices (the caller's lease).
   */
  private async revealView(round: Round, opts: { overrides?: boolean; renew?: () => Promise<void> } = {}): Promise<RevealView> {
    const { store } = this.deps;
    const question = (await store.roundQuestion(round.id)) ?? this.fallbackQuestion(round);
    const answers = await store.answers(round.id);
    const votes = this.deps.votesOf ? await this.deps.votesOf(round) : new Map<string, number>();
    // Answers whose text the platform withheld are neither compared nor graded.
    const withText = answers.filter((a) => a.textAvailable !== false);
    const overrides = opts.overrides === false ? new Map<string, number>() : await store.overrides(round.id);
    // The model grader may take a while (one request per answer): the lease is renewed meanwhile.
    const byModel = this.deps.modelGrader
      ? await keepRenewing(
          this.deps.modelGrader.gradeMany(
            question,
            withText.map((a) => a.text),
          ),
          opts.renew,
          this.leaseMs / 3,
        )
      : new Map<string, GradeResult>();
    // Each distinct text is read once, in slices: its grade (unless the model graded it) and its
    // shingles for copy detection. (A pasted answer is graded as its original was.)
    const work = meteredSlicer(opts.renew);
    if (!this.deps.grade) await prepareGrading(question, work.pause);
    const grades = new Map<string, GradeResult>();
    const shingled = new Map<string, Set<string>>();
    for (const a of withText) {
      if (!grades.has(a.text)) {
        const r = this.read(question, a.text, byModel.get(a.text));
        grades.set(a.text, r.grade);
        shingled.set(a.text, r.shingles);
      }
      await work.tick();
    }
    // Copy detection: an answer that is mostly another member's earlier answer in this round.
    const copied = await findCopies(
      withText.map((a) => ({ memberId: a.member.id, text: a.text, at: a.messageAt ?? a.receivedAt, shingles: shingled.get(a.text)! })),
      work.tick,
    );
    // (Tens of megabytes for a big round: let them go before the feedback is built.)
    shingled.clear();
    // Participation only: a copy of an earlier answer, or the member who suggested the question
    // (and wrote its sample answer) answering it.
    const only = (a: Answer) =>
      a.textAvailable === false ? 'no-text' : copied.has(a.member.id) ? 'copied' : question.author?.id === a.member.id ? 'own-question' : null;
    const graded: AnswerFeedback[] = [];
    for (const a of answers) {
      graded.push(this.feedbackFor(question, a, votes.get(a.member.id) ?? 0, only(a), grades.get(a.text)));
      await work.tick();
    }
    this.deps.metrics?.record({ kind: 'reveal-graded', answers: answers.length, cpuSeconds: work.cpuSeconds() });
    // (Sorting thousands of answers by name takes a slice of its own.)
    await work.pause();
    const feedback = graded
      .map((f) => (overrides.has(f.member.id) ? { ...f, points: overrides.get(f.member.id)!, adjusted: true } : f))
      .sort((a, b) => b.points - a.points || NAME_ORDER.compare(a.member.name, b.member.name) || NAME_ORDER.compare(a.member.id, b.member.id));
    await work.pause();
    return { round, question, feedback };
  }

  /** An answer's grade and shingles, from one reading of its text (the model's grade if it has one). */
  private read(question: Question, text: string, byModel: GradeResult | undefined): { grade: GradeResult; shingles: Set<string> } {
    if (byModel) return { grade: byModel, shingles: shingles(text) };
    if (this.deps.grade) return { grade: this.deps.grade(question, text), shingles: shingles(text) };
    return gradeRead(question, text);
  }

  private async score(view: RevealView): Promise<void> {
    const { round, question, feedback } = view;
    const at = round.revealedAt ?? this.deps.clock.now();
    // Every answer is passed: points go to the boards, and substantive answers (not empty, not
    // a one-word reply) count for streaks, group participation and stats.
    const entries = feedback.map((f) => ({ member: f.member, points: f.points, answered: isSubstantive(f.flags), coverage: f.coverage }));
    const targets = await this.targetsFor(round, at);
    await this.deps.store.applyScores(round, entries, targets, at, {
      topics: question.topics,
      now: this.deps.clock.now(),
      statsTtlMs: this.deps.settings.retentionMs ?? DEFAULT_RETENTION_MS,
    });
  }

  feedbackFor(
    question: Question,
    answer: Answer,
    votes = 0,
    participationOnly: 'copied' | 'own-question' | 'no-text' | null = null,
    /** Its grade, when the reveal has read it already. */
    known?: GradeResult,
  ): AnswerFeedback {
    // Text withheld by the platform: nothing to grade (the stand-in is not the member's words).
    const graded: GradeResult =
      participationOnly === 'no-text'
        ? { covered: [], missed: question.keyPoints, coverage: 0, quality: 0, flags: [], evidence: {}, voided: [] }
        : (known ?? this.gradeFn(question, answer.text));
    // Participation only (shown neutrally at the reveal): no quality, no votes.
    const g = participationOnly ? { ...graded, quality: 0, flags: [...graded.flags, participationOnly] } : graded;
    const points = pointsFor(g, votes);
    return {
      member: answer.member,
      text: answer.text,
      private: answer.private,
      covered: g.covered,
      missed: g.missed,
      coverage: g.coverage,
      flags: g.flags,
      points: points.total,
      evidence: g.evidence ?? {},
      voided: g.voided ?? [],
    };
  }

  /** Boards a round scores on: scheduled → channel + server; practice → the practice board only. */
  async targetsFor(round: Round, atMs: number): Promise<BoardTarget[]> {
    const scopes: BoardScope[] =
      round.mode === 'practice'
        ? [{ kind: 'practice', platform: round.channel.platform, serverId: round.channel.serverId }]
        : [
            { kind: 'channel', channel: round.channel },
            { kind: 'server', platform: round.channel.platform, serverId: round.channel.serverId },
          ];
    const out: BoardTarget[] = [];
    for (const scope of scopes) {
      const tz = await this.scopeTimezone(scope, round);
      for (const period of PERIODS) {
        const w = periodWindow(period, atMs, tz);
        out.push({ scope, period, periodKey: w.key, expiresAt: w.expiresAt });
      }
    }
    return out;
  }

  private async scopeTimezone(scope: BoardScope, round?: Round): Promise<string> {
    if (scope.kind === 'channel') return round?.timezone ?? (await this.timezoneOf(scope.channel));
    return this.deps.settings.defaultTimezone;
  }

  async leaderboard(scope: BoardScope, period: Period, callerId: string | null, limit = 10): Promise<Board> {
    const tz = await this.scopeTimezone(scope);
    const w = periodWindow(period, this.deps.clock.now(), tz);
    return this.deps.store.readBoard({ scope, period, periodKey: w.key, expiresAt: w.expiresAt }, callerId, limit);
  }
}
