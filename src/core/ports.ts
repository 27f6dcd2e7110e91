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
  PlatformName,
  Question,
  Round,
} from './types.js';
import type { ChannelSchedule } from './schedule.js';

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
  /** A substantive answer: counts for stats, streaks and group participation. Defaults to points > 0. */
  answered?: boolean;
  /** Graded key-point coverage in [0, 1] (member stats). Defaults to 0. */
  coverage?: number;
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
  /**
   * Scores a round once, atomically; false when already applied. Always: points on every target
   * board, member stats. Scheduled rounds also: streaks, study-group boards (the server targets'
   * periods, for each group the member is in), group participation and team streaks.
   */
  applyScores(round: Round, entries: ScoreEntry[], targets: BoardTarget[], at: number, context?: ScoringContext): Promise<boolean>;
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

// ---------------------------------------------------------------------------------------------
// Progress: peer votes, streaks, member stats and study groups (Redis + Lua in production).

export interface ServerRef {
  platform: PlatformName;
  serverId: string;
}

/** Facts about the round that the scoring step records besides points. */
export interface ScoringContext {
  /** Topic tags of the round's question (per-topic coverage stats). */
  topics: string[];
}

export interface Vote {
  voter: Member;
  /** Author of the answer the voter reacted to. */
  targetId: string;
  /** Platform id of the reaction event (logged; one vote per voter per round is the dedupe key). */
  deliveryId: string;
}

export type VoteOutcome = 'recorded' | 'duplicate' | 'already-voted' | 'self-vote' | 'no-answer' | 'closed' | 'unknown-round';

/** A member's streak in one channel, counted in scored scheduled rounds (not days). */
export interface StreakState {
  current: number;
  best: number;
  /** Calendar month (yyyy-MM, channel zone) in which the member's streak freeze was last used. */
  freezeMonth: string | null;
  /** Channel round number the member last answered (0 = never). */
  lastRound: number;
  /** Scheduled rounds scored in the channel so far. */
  channelRounds: number;
}

export interface TopicTally {
  topic: string;
  answers: number;
  /** Sum of coverage (0..1) over the answers. */
  coverageSum: number;
}

export interface MemberStatsRecord {
  /** Substantive answers to scheduled rounds. */
  answered: number;
  /** Substantive answers to practice rounds. */
  practice: number;
  /** Sum of coverage (0..1) over all substantive answers (scheduled and practice). */
  coverageSum: number;
  topics: TopicTally[];
}

export interface GroupMemberRecord {
  memberId: string;
  name: string;
  joinedAt: number;
  /** Server's scheduled-round count when the member joined. */
  joinedAtRound: number;
  /** Scheduled rounds answered since joining. */
  answered: number;
}

export interface GroupRecord {
  name: string;
  createdBy: string;
  createdAt: number;
  teamStreak: number;
  bestTeamStreak: number;
  members: GroupMemberRecord[];
}

export type GroupJoinOutcome = 'created' | 'joined' | 'exists' | 'already-member' | 'no-group' | 'server-limit' | 'member-limit';
export type GroupLeaveOutcome = 'left' | 'deleted' | 'not-member';

export interface ProgressStore {
  /** One vote per voter per round, only for another member's answer, only while the round is open. */
  recordVote(round: Round, vote: Vote): Promise<VoteOutcome>;
  /** Takes a vote back (reaction removed) while the round is open; true when one was removed. */
  retractVote(round: Round, voterId: string, targetId: string): Promise<boolean>;
  /** Distinct voters per answer author. */
  votes(round: Round): Promise<Map<string, number>>;
  streak(channel: ChannelRef, memberId: string): Promise<StreakState>;
  memberStats(server: ServerRef, memberId: string): Promise<MemberStatsRecord>;
  /** Scheduled rounds scored on the server so far. */
  serverRounds(server: ServerRef): Promise<number>;
  /** Creates the group with the member in it (create) or adds the member to it (join). */
  joinGroup(server: ServerRef, group: string, member: Member, at: number, create: boolean): Promise<GroupJoinOutcome>;
  /** Removes the member (and their points from the given group boards); drops an emptied group. */
  leaveGroup(server: ServerRef, group: string, memberId: string, boards: BoardTarget[]): Promise<GroupLeaveOutcome>;
  group(server: ServerRef, group: string): Promise<GroupRecord | null>;
  groups(server: ServerRef): Promise<GroupRecord[]>;
  groupsOf(server: ServerRef, memberId: string): Promise<string[]>;
  /** Display names of the server's members who ever answered (id → name). */
  memberNames(server: ServerRef): Promise<Map<string, string>>;
}

// ---------------------------------------------------------------------------------------------
// Schedules (Redis in production) and the job runtime that fires them (BullMQ in production).

export interface ScheduleStore {
  getSchedule(channel: ChannelRef): Promise<ChannelSchedule | null>;
  saveSchedule(schedule: ChannelSchedule): Promise<void>;
  allSchedules(): Promise<ChannelSchedule[]>;
  /** Records that a slot was skipped and why; true only the first time for that slot. */
  recordSkip(channel: ChannelRef, slotMs: number, reason: string): Promise<boolean>;
  skipReason(channel: ChannelRef, slotMs: number): Promise<string | null>;
}

/** Once-per-cluster timers: one job scheduler per channel, catch-up posts, delayed reveals. */
export interface JobPort extends RevealScheduler {
  /** Creates/updates the channel's job scheduler, or removes it when paused. */
  syncChannel(schedule: ChannelSchedule): Promise<void>;
  /** Enqueues a (late) post for one slot; deduplicated per slot. */
  enqueuePost(channel: ChannelRef, slotMs: number): Promise<void>;
  /** Enqueues a reveal now (reveal overdue). */
  enqueueReveal(roundId: string): Promise<void>;
}
