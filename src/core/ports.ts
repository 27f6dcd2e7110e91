/**
 * Ports: what the core needs from the outside world. Redis, BullMQ and the chat platforms
 * implement these; unit tests pass in-memory versions.
 */
import type { Answer, AnswerFeedback, Board, BoardScope, ChannelRef, Member, Period, PlatformName, Question, Round, RoundState } from './types.js';
import type { ChannelSchedule } from './schedule/schedule.js';

/**
 * `resume`: an earlier attempt may have sent it (look first); `sinceMs`: on the core's clock, the
 * earliest that attempt can have been (a lookup reads no further back).
 */
export interface NoticeSendOptions {
  resume: boolean;
  sinceMs: number;
}

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

/** What operators count (Prometheus in production; nothing in unit tests). */
export type MetricEvent =
  | { kind: 'posted' | 'revealed'; platform: PlatformName; mode: 'scheduled' | 'practice' }
  | { kind: 'answer'; platform: PlatformName; outcome: string }
  | { kind: 'job'; queue: string; seconds: number; failed: boolean }
  | { kind: 'rate-limited'; platform: PlatformName }
  /** A platform event recognised as a redelivery (same event id) and dropped. */
  | { kind: 'duplicate-event'; platform: PlatformName }
  /** A gateway event that arrived while this process did not hold its shard (fencing) and was dropped. */
  | { kind: 'event-dropped'; platform: PlatformName }
  | { kind: 'redis-reconnect' }
  /** An answer acknowledged before it reached the QUIZBOT_REDIS_WAIT replicas (only `acked` did, within the timeout). */
  | { kind: 'unreplicated-answer'; acked: number }
  /** An answer graded by the model grader, taken from its cache, or graded lexically instead. */
  | { kind: 'model-grade'; outcome: 'graded' | 'cached' | 'fallback' }
  /** A reveal's answers checked for copies and graded: how many, and the CPU its own slices took. */
  | { kind: 'reveal-graded'; answers: number; cpuSeconds: number };

export interface Metrics {
  record(event: MetricEvent): void;
}

export const noMetrics: Metrics = { record() {} };

// ---------------------------------------------------------------------------------------------
// Chat: what a platform adapter renders. Views are plain data; each adapter owns its formatting.

export interface QuestionPost {
  round: Round;
  question: Question;
  /** Set when the round is a practice round started on demand by a member. */
  requestedBy: Member | null;
  /** The channel's opt-in notify role to mention (scheduled questions only). */
  mention?: string | null;
}

export interface RevealView {
  round: Round;
  question: Question;
  feedback: AnswerFeedback[];
}

/** How a reveal that may have been cut short resumes: parts before `from` are already sent. */
export interface RevealProgress {
  from: number;
  /** Called before part i is sent; true when an earlier attempt may already have sent it. */
  before(part: number): Promise<boolean>;
  /** Called once part i is accepted by the platform. */
  sent(part: number): Promise<void>;
}

/**
 * What the core asks of a chat platform. Every call that creates something is idempotent per
 * round: a retry after a crash finds what an earlier attempt created instead of creating it again
 * (Discord: a nonce derived from the round with enforce_nonce; Slack: message metadata carrying
 * the round id, looked up in the channel's recent history).
 */
export interface ChatPort {
  /**
   * Sends the question message. With `resume` (an earlier attempt may have sent it), first looks
   * for the message already sent for this round and returns it.
   */
  sendQuestion(channel: ChannelRef, post: QuestionPost, opts: { resume: boolean }): Promise<{ messageRef: string }>;
  /** Opens the answer thread on the question message; returns the existing thread if there is one. */
  openThread(channel: ChannelRef, messageRef: string, post: QuestionPost): Promise<{ threadRef: string }>;
  /** Posts the reveal (sample answer, key points, feedback) into the round's thread, part by part. */
  postReveal(channel: ChannelRef, threadRef: string, reveal: RevealView, progress: RevealProgress): Promise<void>;
  /**
   * Marks the question message as revealed once the reveal is sent: the private-answer button
   * goes, a "revealed" note is added. Editing is idempotent; failures are logged, never fatal.
   */
  markRevealed(channel: ChannelRef, messageRef: string, post: QuestionPost): Promise<void>;
  /**
   * Tells one member privately (a DM): `memberId` null means whoever administers the server
   * (Discord: its owner). Used for problems only a person can fix.
   */
  tellMember(channel: ChannelRef, memberId: string | null, text: string): Promise<void>;
  /**
   * Posts a notice (a period recap, a reminder) in the channel, or in a thread, once: `notice.key`
   * is its idempotency key. With `resume` (an earlier attempt may have sent it), first looks for
   * the message already sent under that key.
   */
  sendNotice(channel: ChannelRef, threadRef: string | null, notice: NoticeView, opts: NoticeSendOptions): Promise<void>;
  /**
   * Adds a member to a role (a Discord role, a Slack user group: the notify role, the reward role)
   * or removes them. Idempotent; a platform refusal (missing permission, paid-plan feature) throws
   * a QuizError.
   */
  setRoleMember(channel: ChannelRef, role: string, memberId: string, member: boolean): Promise<void>;
}

/** A message the core words and a platform only formats: a recap, a reminder. */
export interface NoticeContent {
  kind: 'recap' | 'reminder';
  title: string;
  /** Lines of plain text; member names in them are never mentions. */
  lines: string[];
}

/** A notice as sent: its content and its key. */
export interface NoticeView extends NoticeContent {
  /** Unique per notice (`recap-week-2026-W47-<channel>`): the platform-side idempotency key. */
  key: string;
}

// ---------------------------------------------------------------------------------------------
// Scheduler: delayed work that must happen once per cluster (BullMQ in production).

export interface RevealScheduler {
  /** Makes sure the round's reveal runs at round.revealAt (idempotent per round). */
  scheduleReveal(round: Round): Promise<void>;
  /** Makes sure the round's thread reminder runs at `atMs` (idempotent per round). */
  scheduleReminder?(round: Round, atMs: number): Promise<void>;
}

// ---------------------------------------------------------------------------------------------
// Store: persistence with atomic, idempotent steps (Redis + Lua in production).

/** What deleting an answer's message did: withdrew it, or nothing (revealed, replaced, unknown). */
export type WithdrawOutcome = 'withdrawn' | 'closed' | 'not-current' | 'no-answer';

export type RecordOutcome =
  | 'recorded'
  | 'replaced'
  | 'duplicate'
  | 'stale'
  | 'closed'
  | 'unknown-round'
  | 'too-long'
  /** The store is unreachable: held in memory, recorded when it is back (core/rounds/answer-buffer.ts). */
  | 'held'
  /** The store is unreachable and too many answers are held already: not recorded. */
  | 'not-recorded';

export type CreateOutcome =
  /** This call created the round. */
  | 'created'
  /** The round (or the slot's round) already exists: `round` is it. */
  | 'exists'
  /** Refused: the channel has an open scheduled round (`round`). */
  | 'scheduled-open'
  /** Refused: the channel has as many open practice rounds as allowed (`round` is the newest). */
  | 'practice-limit';

export interface CreateRoundResult {
  outcome: CreateOutcome;
  created: boolean;
  /** The round created, the existing one, or the one that blocked creation. */
  round: Round;
}

export interface CreateRoundOptions {
  /** Refuse while the channel has an open scheduled round (`/quiz post`). */
  refuseWhileScheduledOpen?: boolean;
  /** For practice rounds: at most this many open at once (0 = no limit). */
  maxOpenPractice?: number;
}

/** A round's lease: who may drive its side effects now. Expiry lets another worker resume. */
export type Claim = { ok: true } | { ok: false; holder: string; retryInMs: number };

/** ok; wrong-state: the round is not in an expected state; lost-lease: another holder drives it. */
export type StepResult = 'ok' | 'wrong-state' | 'lost-lease' | 'missing';

export interface RoundFields {
  postIntentAt?: number;
  messageRef?: string;
  threadRef?: string;
  revealIntent?: number;
  revealSent?: number;
  /** Set when the round is scored: how many answers, and their average coverage ×1000. */
  answerCount?: number;
  coverage?: number;
}

/** A member's suggested question, waiting for an admin (or decided). */
export interface SuggestionRecord {
  id: string;
  by: Member;
  at: number;
  /** Where it was suggested (the author is told there, privately). */
  channel: ChannelRef;
  status: 'pending' | 'approved' | 'rejected';
  title: string;
  question: string;
  sample: string;
  /** Key points as written by the member (empty: drafted from the sample at approval). */
  keyPoints: string[];
  decidedBy?: string;
  reason?: string;
  /** The question id it became (approved). */
  questionId?: string;
}

/** A past scheduled round as `/quiz history` lists it. */
export interface RoundSummary {
  round: Round;
  /** Answers and average coverage (0–1) at the reveal; null before it. */
  answers: number | null;
  coverage: number | null;
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

/** Rounds: their state machine (leased, compare-and-set steps), threads, answers, slots and the reconciler's work list. */
export interface RoundStore {
  /**
   * Stores a new round in state `created` with a snapshot of its question, atomically with its
   * checks: one round per channel and slot, the open-scheduled and practice limits.
   */
  createRound(round: Round, question: Question, opts?: CreateRoundOptions): Promise<CreateRoundResult>;
  getRound(roundId: string): Promise<Round | null>;
  /** The question as it was when the round was created (content edits never lose a round). */
  roundQuestion(roundId: string): Promise<Question | null>;
  claimRound(roundId: string, holder: string, ttlMs: number): Promise<Claim>;
  releaseRound(roundId: string, holder: string): Promise<void>;
  /** Compare-and-set transition by the lease holder: from one of `from` to `to` (null keeps the state). */
  stepRound(roundId: string, holder: string, from: readonly RoundState[], to: RoundState | null, fields?: RoundFields): Promise<StepResult>;
  /** posting → posted: records the thread and indexes it for incoming replies. */
  setThread(roundId: string, holder: string, threadRef: string, channel?: ChannelRef): Promise<StepResult>;
  /** Closes an open round to answers: posted → closing (or created/posting → cancelled). */
  closeRound(roundId: string, holder: string, to: 'closing' | 'cancelled', at: number): Promise<StepResult>;
  roundByThread(channel: ChannelRef, threadRef: string): Promise<Round | null>;
  /** Open rounds of a channel, newest first. */
  openRounds(channel: ChannelRef): Promise<Round[]>;
  /** One answer per member per round; the latest (by receivedAt) before the reveal wins. */
  recordAnswer(round: Round, answer: Answer): Promise<RecordOutcome>;
  /** A thread reply: resolves the thread's round, records, indexes the message; one round trip. */
  recordReply(
    channel: ChannelRef,
    threadRef: string,
    answer: Omit<Answer, 'roundId'>,
    messageRef: string | null,
  ): Promise<{ outcome: RecordOutcome; roundId: string | null }>;
  answers(roundId: string): Promise<Answer[]>;
  /**
   * A final round's own records (round hash, slot claim, thread index, answers, deliveries, votes,
   * scored flag, overrides) expire after ttlMs; boards, stats and streaks are kept.
   */
  expireRound(round: Round, ttlMs: number): Promise<void>;
  /** Forgets the channel's day → round records for days before `beforeLocalDate` ('yyyy-MM-dd'): rounds past retention. */
  trimRoundDays(channel: ChannelRef, beforeLocalDate: string): Promise<number>;
  /** Index of rounds not yet final, by when they next need attention (the reconciler's work list). */
  markRoundDue(roundId: string, atMs: number): Promise<void>;
  clearRoundDue(roundId: string): Promise<void>;
  dueRounds(beforeMs: number, limit: number): Promise<string[]>;
  /** The round that claimed a channel's slot, if any. */
  slotRound(channel: ChannelRef, slotMs: number): Promise<string | null>;
  /** The channel's most recent scheduled round (by local date), if any. */
  latestScheduledRound(channel: ChannelRef): Promise<string | null>;
  /** The channel's scheduled rounds still kept (retention), newest first. */
  scheduledRounds(channel: ChannelRef, limit: number): Promise<RoundSummary[]>;
  /** The scheduled round created for a local date of the channel, if any. */
  roundOnDate(channel: ChannelRef, localDate: string): Promise<string | null>;
  /** Remembers which round and member a platform message (an answer) belongs to, for votes. */
  indexAnswerMessage(channel: ChannelRef, messageRef: string, roundId: string, memberId: string): Promise<void>;
  answerMessage(channel: ChannelRef, messageRef: string): Promise<{ roundId: string; memberId: string } | null>;
  /** Withdraws the answer a deleted message carried, while its round is open and it is still the member's answer. */
  withdrawAnswer(channel: ChannelRef, messageRef: string): Promise<{ outcome: WithdrawOutcome; roundId: string | null; memberId: string | null }>;
  usedQuestions(channel: ChannelRef): Promise<Set<string>>;
  markQuestionUsed(channel: ChannelRef, questionId: string): Promise<void>;
  resetUsedQuestions(channel: ChannelRef): Promise<void>;
}

/** Scoring into boards, reading them, and human grade overrides. */
export interface BoardStore {
  /**
   * Scores a round once, atomically; false when already applied. Always: points on every target
   * board, member stats. Scheduled rounds also: streaks, study-group boards (the server targets'
   * periods, for each group the member is in), group participation and team streaks.
   */
  applyScores(round: Round, entries: ScoreEntry[], targets: BoardTarget[], at: number, context?: ScoringContext): Promise<boolean>;
  readBoard(target: BoardTarget, callerId: string | null, limit: number): Promise<Board>;
  /**
   * An admin's grade for a member in a round: before scoring it is kept for the reveal; after,
   * the round's boards move by the difference, once. `gradedPoints` is what the grader gave.
   */
  adjustGrade(
    round: Round,
    member: Member,
    points: number,
    gradedPoints: number,
    targets: BoardTarget[],
    at: number,
  ): Promise<{ outcome: 'pending' | 'applied' | 'unchanged' | 'busy' | 'unknown-round'; previous: number }>;
  /** Admin-set points of a round's members. */
  overrides(roundId: string): Promise<Map<string, number>>;
}

/** Members' suggested questions and each server's approved ones. */
export interface SuggestionStore {
  /** Queues a suggestion (id assigned here) unless its author has `maxPending` waiting; null then. */
  addSuggestion(server: ServerRef, s: Omit<SuggestionRecord, 'id'>, maxPending: number): Promise<string | null>;
  suggestion(server: ServerRef, id: string): Promise<SuggestionRecord | null>;
  suggestions(server: ServerRef): Promise<SuggestionRecord[]>;
  /** Records an admin's decision (approved or rejected): no longer pending for its author. */
  decideSuggestion(server: ServerRef, s: SuggestionRecord): Promise<void>;
  /** Stores an approved question's content file in the server's own bank (and bumps its version). */
  putServerQuestion(server: ServerRef, id: string, file: string): Promise<void>;
  serverQuestionFiles(server: ServerRef): Promise<Map<string, string>>;
  /** Changes whenever the server's own questions change; null while it has none. */
  serverBankVersion(server: ServerRef): Promise<string | null>;
}

/** Per-member channel settings: streak nudges, the reward role's holder. */
export interface MemberStore {
  /** Members of a channel who asked for a private nudge when their streak is at risk. */
  setNudge(channel: ChannelRef, memberId: string, on: boolean): Promise<void>;
  nudgeMembers(channel: ChannelRef): Promise<string[]>;
  /** The member who holds a channel's reward role now (given at the last weekly recap). */
  rewardHolder(channel: ChannelRef): Promise<string | null>;
  setRewardHolder(channel: ChannelRef, memberId: string): Promise<void>;
}

/** Once-only notices, short claims, named leases and failure counters. */
export interface LockStore {
  /** Where a once-only notice stands: being sent (an attempt began), sent, or never tried. */
  noticeState(server: ServerRef, key: string): Promise<'sending' | 'sent' | null>;
  setNoticeState(server: ServerRef, key: string, state: 'sending' | 'sent', ttlMs: number): Promise<void>;
  /** A short-lived exclusive claim for a one-off side effect (e.g. a notice sent once). */
  tryLock(name: string, ttlMs: number): Promise<boolean>;
  /** Takes or renews a named lease for `holder` (e.g. a Discord shard); false while another holds it. */
  holdLease(name: string, holder: string, ttlMs: number): Promise<boolean>;
  /** Gives a lease up (only its holder can). */
  releaseLease(name: string, holder: string): Promise<void>;
  /**
   * Saves (null: deletes) what the next holder needs to take the work over — only while `holder`
   * still holds the lease; false otherwise. Expires ttlMs after the last save.
   */
  saveLeaseState(name: string, holder: string, state: string | null, ttlMs: number): Promise<boolean>;
  leaseState(name: string): Promise<string | null>;
  /** Adds one to a named counter that expires ttlMs after its first count; returns the count. */
  countFailure(name: string, ttlMs: number): Promise<number>;
  resetFailures(name: string): Promise<void>;
}

export interface QuizStore extends RoundStore, BoardStore, SuggestionStore, MemberStore, LockStore {}

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
  /** The injected clock's now: expiries are durations from it (a retried scoring must not lengthen them). */
  now?: number;
  /** How long a member's stats stay after their last scored answer (QUIZBOT_RETENTION); absent: forever. */
  statsTtlMs?: number;
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
  /** A member by id or display name (case-insensitive), without reading the server's whole names hash. */
  findMember(server: ServerRef, query: string): Promise<Member | null>;
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
  /** Index of each channel's next slot to handle (the reconciler reads only what is due). */
  setDue(channel: ChannelRef, slotMs: number | null): Promise<void>;
  /** setDue, returning the slot the index held before (one round trip). */
  swapDue(channel: ChannelRef, slotMs: number | null): Promise<number | null>;
  dueOf(channel: ChannelRef): Promise<number | null>;
  dueChannels(beforeMs: number, limit: number): Promise<{ channel: ChannelRef; slotMs: number }[]>;
  /** Channels with a schedule but no entry in the due index (upgrades, lost writes). */
  unindexed(): Promise<ChannelRef[]>;
  /** Index of each channel's next recap per period (null: none). */
  setRecapDue(channel: ChannelRef, period: RecapPeriod, atMs: number | null): Promise<void>;
  /** Indexes several periods' next recaps in one command, never moving an entry already there. */
  indexRecaps(channel: ChannelRef, due: readonly { period: RecapPeriod; atMs: number }[]): Promise<void>;
  dueRecaps(beforeMs: number, limit: number): Promise<{ channel: ChannelRef; period: RecapPeriod; atMs: number }[]>;
}

/** The periods that get a recap (every board period but all time). */
export type RecapPeriod = Exclude<Period, 'all'>;

/** Once-per-cluster timers: a delayed job per channel's next slot, delayed reveals, re-drives. */
export interface JobPort extends RevealScheduler {
  /** Queues the post job for a channel's slot (deduplicated per slot), due at the slot. */
  enqueuePost(channel: ChannelRef, slotMs: number): Promise<void>;
  /** Removes a queued post job for a slot that is no longer the schedule's next one. */
  dropPost(channel: ChannelRef, slotMs: number): Promise<void>;
  /** True while the slot's post job waits, is delayed or runs (not missed: still in the queue). */
  postPending(channel: ChannelRef, slotMs: number): Promise<boolean>;
  /** Enqueues a reveal now (reveal overdue). */
  enqueueReveal(roundId: string): Promise<void>;
  /** Enqueues another attempt at posting a round stuck before `posted`. */
  /** Another attempt at an overdue slot whose job is gone (the reconciler's catch-up). */
  enqueueCatchUp(channel: ChannelRef, slotMs: number): Promise<void>;
  enqueueDrive(roundId: string): Promise<void>;
  /** Queues the recap of a channel's ended period (deduplicated per channel, period and key). */
  enqueueRecap(channel: ChannelRef, period: RecapPeriod, periodKey: string): Promise<void>;
}
