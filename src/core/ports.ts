/**
 * Ports: what the core needs from the outside world. Redis, BullMQ and the chat platforms
 * implement these; unit tests pass in-memory versions.
 */
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
} from './types.js';

export interface Clock {
  now(): number;
}

export const systemClock: Clock = { now: () => Date.now() };

/** Returns a float in [0, 1). Injected so tests can pick questions deterministically. */
export type Random = () => number;

export interface Logger {
  debug(msg: string, meta?: Record<string, unknown>): void;
  info(msg: string, meta?: Record<string, unknown>): void;
  warn(msg: string, meta?: Record<string, unknown>): void;
  error(msg: string, meta?: Record<string, unknown>): void;
}

export const silentLogger: Logger = { debug() {}, info() {}, warn() {}, error() {} };

// ---------------------------------------------------------------------------------------------
// Chat: what a platform adapter renders. Views are plain data; each adapter owns its formatting.

export interface QuestionPost {
  round: Round;
  question: Question;
  /** Set when the round is a practice round started on demand by a member. */
  requestedBy: Member | null;
}

export interface RevealView {
  round: Round;
  question: Question;
  feedback: AnswerFeedback[];
}

export interface ChatPort {
  /** Posts the question and opens its thread; returns the platform's thread reference. */
  postQuestion(channel: ChannelRef, post: QuestionPost): Promise<{ threadRef: string }>;
  /** Posts the reveal (sample answer, key points, feedback) into the round's thread. */
  postReveal(channel: ChannelRef, threadRef: string, reveal: RevealView): Promise<void>;
  /** A short notice in the channel (or a thread when given), e.g. "today's slot was skipped". */
  postNotice(channel: ChannelRef, threadRef: string | null, text: string): Promise<void>;
}

// ---------------------------------------------------------------------------------------------
// Scheduler: delayed work that must happen once per cluster (BullMQ in production).

export interface RevealScheduler {
  /** Makes sure the round's reveal runs at round.revealAt (idempotent per round). */
  scheduleReveal(round: Round): Promise<void>;
}

// ---------------------------------------------------------------------------------------------
// Store: persistence with atomic, idempotent steps (Redis + Lua in production).

export type RecordOutcome = 'recorded' | 'replaced' | 'duplicate' | 'stale' | 'closed' | 'unknown-round';

export interface CreateRoundResult {
  created: boolean;
  /** The round now stored for this id or slot (the existing one when created is false). */
  round: Round;
}

export interface ScoreEntry {
  member: Member;
  points: number;
}

export interface BoardTarget {
  scope: BoardScope;
  period: Period;
  periodKey: string;
  /** Epoch seconds after which the board may be dropped; null keeps it forever. */
  expiresAt: number | null;
}

export interface QuizStore {
  /** Stores a new round. With a slot, at most one round exists per channel and slot. */
  createRound(round: Round): Promise<CreateRoundResult>;
  getRound(roundId: string): Promise<Round | null>;
  /** Records where the round's thread lives and indexes the thread for incoming replies. */
  setThread(roundId: string, threadRef: string): Promise<void>;
  roundByThread(channel: ChannelRef, threadRef: string): Promise<Round | null>;
  /** Open rounds of a channel, newest first. */
  openRounds(channel: ChannelRef): Promise<Round[]>;
  /** One answer per member per round; the latest (by receivedAt) before the reveal wins. */
  recordAnswer(round: Round, answer: Answer): Promise<RecordOutcome>;
  answers(roundId: string): Promise<Answer[]>;
  /** Closes the round to answers. True only for the call that closed it. */
  closeRound(roundId: string, at: number): Promise<boolean>;
  /** Applies a round's points to every target board once; false when already applied. */
  applyScores(round: Round, entries: ScoreEntry[], targets: BoardTarget[], at: number): Promise<boolean>;
  readBoard(target: BoardTarget, callerId: string | null, limit: number): Promise<Board>;
  /** A short-lived exclusive claim for a one-off side effect (posting a question, a reveal). */
  tryLock(name: string, ttlMs: number): Promise<boolean>;
  unlock(name: string): Promise<void>;
  /** Durable once-only markers (question posted, reveal posted). */
  markDone(name: string): Promise<boolean>;
  isDone(name: string): Promise<boolean>;
  usedQuestions(channel: ChannelRef): Promise<Set<string>>;
  markQuestionUsed(channel: ChannelRef, questionId: string): Promise<void>;
  resetUsedQuestions(channel: ChannelRef): Promise<void>;
}
