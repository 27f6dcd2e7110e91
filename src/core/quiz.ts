/**
 * The round lifecycle: pick → post → collect → reveal → score → boards.
 *
 * Every step is safe to repeat: scheduled rounds have deterministic ids per slot, posting and
 * revealing are guarded by durable "done" markers plus a short lock, answers are deduplicated
 * by delivery id in the store, and scores are applied once per round by the store.
 */
import { createHash, randomUUID } from 'node:crypto';
import type { QuestionBank } from '../content/bank.js';
import { grade as gradeAnswer } from '../content/grading.js';
import type { GradeResult } from '../content/types.js';
import { QuizError } from './errors.js';
import { PERIODS, localDate, periodWindow } from './periods.js';
import type {
  BoardTarget,
  ChatPort,
  Clock,
  Logger,
  QuizStore,
  Random,
  RecordOutcome,
  RevealScheduler,
  RevealView,
} from './ports.js';
import { isSubstantive, pointsFor } from './scoring.js';
import type {
  Answer,
  AnswerFeedback,
  Board,
  BoardScope,
  ChannelRef,
  Member,
  Period,
  Question,
  Round,
  RoundMode,
} from './types.js';
import { channelKey } from './types.js';

export interface QuizSettings {
  defaultTimezone: string;
  /** Reveal delay for rounds started on demand; null waits for `/quiz reveal`. */
  practiceRevealDelayMs: number | null;
}

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
  /** The channel's zone (schedule settings); defaults to settings.defaultTimezone. */
  timezoneOf?: (channel: ChannelRef) => Promise<string>;
  /** Topic filters of the channel's schedule, used when a scheduled round picks a question. */
  filtersOf?: (channel: ChannelRef) => Promise<QuestionFilter>;
  /** Peer votes per member for a round, counted into the score at the reveal. */
  votesOf?: (round: Round) => Promise<Map<string, number>>;
  /** Called after a round's scores are applied the first time (streaks, groups). */
  onScored?: (round: Round, feedback: AnswerFeedback[]) => Promise<void>;
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
}

export interface AnswerReceipt {
  outcome: RecordOutcome;
  round: Round | null;
}

const POST_LOCK_MS = 60_000;

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
    default:
      return 'That question is no longer open.';
  }
}

export class QuizService {
  private readonly gradeFn: (q: Question, text: string) => GradeResult;

  constructor(private readonly deps: QuizDeps) {
    this.gradeFn = deps.grade ?? gradeAnswer;
  }

  get bank(): QuestionBank {
    return this.deps.bank;
  }

  /** Swaps in a reloaded question bank (content/ changed on disk); rounds keep their question ids. */
  replaceBank(bank: QuestionBank): void {
    this.deps.bank = bank;
  }

  async timezoneOf(channel: ChannelRef): Promise<string> {
    return this.deps.timezoneOf ? this.deps.timezoneOf(channel) : this.deps.settings.defaultTimezone;
  }

  /** Starts (or, for an already started slot, resumes) a round and makes sure it is posted. */
  async startRound(channel: ChannelRef, opts: StartRoundOptions): Promise<StartedRound> {
    const now = this.deps.clock.now();
    const timezone = await this.timezoneOf(channel);
    const question = opts.topic !== undefined ? await this.questionForTopicIn(channel, opts.topic) : await this.pickQuestion(channel);
    const id = opts.slotMs !== undefined ? slotRoundId(channel, opts.slotMs) : `r-${randomUUID()}`;
    const revealAt =
      opts.revealAt !== undefined
        ? opts.revealAt
        : opts.mode === 'practice' && this.deps.settings.practiceRevealDelayMs !== null
          ? now + this.deps.settings.practiceRevealDelayMs
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
      status: 'open',
      revealedAt: null,
      startedBy: opts.requestedBy?.id ?? null,
    };
    const { created, round } = await this.deps.store.createRound(draft);
    const stored = this.deps.bank.get(round.questionId) ?? question;
    if (created) await this.deps.store.markQuestionUsed(channel, stored.id);
    const posted = await this.ensurePosted(round, stored, opts.requestedBy ?? null);
    if (posted.revealAt !== null && posted.status === 'open' && this.deps.scheduler) {
      await this.deps.scheduler.scheduleReveal(posted);
    }
    return { round: posted, question: stored, created };
  }

  private async ensurePosted(round: Round, question: Question, requestedBy: Member | null): Promise<Round> {
    const { store, chat, logger } = this.deps;
    const marker = `posted:${round.id}`;
    if (round.threadRef !== null || (await store.isDone(marker))) return round;
    if (!(await store.tryLock(`post:${round.id}`, POST_LOCK_MS))) {
      logger.info('round is being posted by another worker', { roundId: round.id });
      return round;
    }
    try {
      if (await store.isDone(marker)) return (await store.getRound(round.id)) ?? round;
      const { threadRef } = await chat.postQuestion(round.channel, { round, question, requestedBy });
      await store.setThread(round.id, threadRef);
      await store.markDone(marker);
      logger.info('question posted', { roundId: round.id, questionId: question.id, channel: channelKey(round.channel) });
      return { ...round, threadRef };
    } finally {
      await store.unlock(`post:${round.id}`);
    }
  }

  questionForTopic(topic: string): Question {
    const found = this.deps.bank.find(topic);
    if (found.kind === 'match') return found.question;
    const names = found.suggestions.slice(0, 5).map((s) => `“${s.title}”`);
    throw new QuizError(
      'no-match',
      names.length > 0
        ? `No question matches “${topic}”. Closest: ${names.join(', ')}.`
        : `No question matches “${topic}”. Try a topic such as cap, acid, rest, caching or microservices.`,
      { suggestions: found.suggestions },
    );
  }

  /** Among equally good matches for a topic (e.g. every `rest` question), one the channel has not had. */
  async questionForTopicIn(channel: ChannelRef, topic: string): Promise<Question> {
    const found = this.deps.bank.find(topic);
    if (found.kind !== 'match' || found.candidates.length <= 1) return this.questionForTopic(topic);
    const used = await this.deps.store.usedQuestions(channel);
    const fresh = found.candidates.filter((q) => !used.has(q.id));
    const pool = fresh.length > 0 ? fresh : found.candidates;
    return pool[Math.min(pool.length - 1, Math.floor(this.deps.random() * pool.length))]!;
  }

  /** A question the channel has not had yet; when its bank is exhausted, start over. */
  async pickQuestion(channel: ChannelRef): Promise<Question> {
    const filter = this.deps.filtersOf ? await this.deps.filtersOf(channel) : {};
    let pool = this.deps.bank.filter(filter);
    if (pool.length === 0) pool = [...this.deps.bank.all()];
    if (pool.length === 0) throw new QuizError('empty-bank', 'The question bank is empty.');
    const used = await this.deps.store.usedQuestions(channel);
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
    let round: Round | null = null;
    if (input.roundId) round = await store.getRound(input.roundId);
    else if (input.threadRef !== null) round = await store.roundByThread(input.channel, input.threadRef);
    else round = (await store.openRounds(input.channel))[0] ?? null;
    if (!round) return { outcome: 'unknown-round', round: null };
    const answer: Answer = {
      roundId: round.id,
      member: input.member,
      text: input.text,
      deliveryId: input.deliveryId,
      private: input.private ?? false,
      receivedAt: input.sentAt ?? clock.now(),
    };
    const outcome = await store.recordAnswer(round, answer);
    return { outcome, round };
  }

  /** The newest open round of a channel, or a clear error. */
  async openRound(channel: ChannelRef): Promise<Round> {
    const round = (await this.deps.store.openRounds(channel))[0];
    if (!round) throw new QuizError('no-open-round', 'There is no open question in this channel. Start one with `/quiz`.');
    return round;
  }

  /**
   * Closes the round, grades every answer, applies the points once and posts the reveal once.
   * Safe to call again after a crash at any step: each step checks what is already done.
   */
  async reveal(roundId: string): Promise<RevealView> {
    const { store, chat, clock, logger } = this.deps;
    const round0 = await store.getRound(roundId);
    if (!round0) throw new QuizError('not-found', `Round ${roundId} does not exist.`);
    const now = clock.now();
    await store.closeRound(roundId, now);
    const round = (await store.getRound(roundId)) ?? round0;
    const question = this.deps.bank.get(round.questionId);
    if (!question) throw new QuizError('not-found', `Question ${round.questionId} is no longer in the bank.`);
    const answers = await store.answers(roundId);
    const votes = this.deps.votesOf ? await this.deps.votesOf(round) : new Map<string, number>();
    const feedback = answers
      .map((a) => this.feedbackFor(question, a, votes.get(a.member.id) ?? 0))
      .sort((a, b) => b.points - a.points || a.member.name.localeCompare(b.member.name));
    // Every answer is passed: points go to the boards, and substantive answers (not empty, not
    // a one-word reply) count for streaks, group participation and stats.
    const entries = feedback.map((f) => ({
      member: f.member,
      points: f.points,
      answered: isSubstantive(f.flags),
      coverage: f.coverage,
    }));
    const targets = await this.targetsFor(round, round.revealedAt ?? now);
    const firstScore = await store.applyScores(round, entries, targets, round.revealedAt ?? now, { topics: question.topics });
    if (firstScore && this.deps.onScored) await this.deps.onScored(round, feedback);
    const view: RevealView = { round, question, feedback };
    const marker = `revealed:${round.id}`;
    if (!(await store.isDone(marker)) && (await store.tryLock(`reveal:${round.id}`, POST_LOCK_MS))) {
      try {
        if (!(await store.isDone(marker))) {
          await chat.postReveal(round.channel, round.threadRef ?? '', view);
          await store.markDone(marker);
          logger.info('round revealed', { roundId: round.id, answers: answers.length });
        }
      } finally {
        await store.unlock(`reveal:${round.id}`);
      }
    }
    return view;
  }

  feedbackFor(question: Question, answer: Answer, votes = 0): AnswerFeedback {
    const g = this.gradeFn(question, answer.text);
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

/** Deterministic id of the round for one channel and cron slot (no ':' so it can be a job id). */
export function slotRoundId(channel: ChannelRef, slotMs: number): string {
  const h = createHash('sha256').update(channelKey(channel)).digest('hex').slice(0, 16);
  return `s-${h}-${slotMs}`;
}
