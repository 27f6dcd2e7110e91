/**
 * The domain's vocabulary. Nothing here knows a platform or Redis: adapters translate
 * their own ids into these shapes, stores persist them.
 */
import type { Level, Kind, KeyPoint, Question } from '../content/types.js';

export type { Level, Kind, KeyPoint, Question };

export type PlatformName = 'console' | 'discord' | 'slack';

/** A place questions are posted: one channel of one server (Discord guild / Slack workspace). */
export interface ChannelRef {
  platform: PlatformName;
  serverId: string;
  channelId: string;
}

export interface Member {
  id: string;
  name: string;
}

/** scheduled rounds count on the leaderboards; practice rounds (on-demand `/quiz topic`) never do. */
export type RoundMode = 'scheduled' | 'practice';

/** Open while created, posting or posted; revealed (closed to answers) from closing on. */
export type RoundStatus = 'open' | 'revealed';

/**
 * A round is a durable state machine; each transition is recorded atomically in Redis and each
 * side effect is retried until its completion is recorded:
 * created → posting (intent to send recorded) → posted (message and thread recorded)
 * → closing (closed to answers) → scored (points applied) → revealed (every reveal message sent).
 * `cancelled` ends a round that could never be posted (the channel is gone).
 */
export type RoundState = 'created' | 'posting' | 'posted' | 'closing' | 'scored' | 'revealed' | 'cancelled';

export const FINAL_STATES: readonly RoundState[] = ['revealed', 'cancelled'];
export const OPEN_STATES: readonly RoundState[] = ['created', 'posting', 'posted'];

export interface Round {
  id: string;
  channel: ChannelRef;
  questionId: string;
  mode: RoundMode;
  /** Scheduled slot this round belongs to (epoch ms of the cron slot); null for practice rounds. */
  slotMs: number | null;
  /** The local calendar date of the round in the channel's zone, e.g. 2026-11-23. */
  localDate: string;
  timezone: string;
  /** When the round was started (the post follows at once unless the platform fails). */
  postedAt: number;
  /** When the reveal is due (epoch ms), null when it waits for an admin. */
  revealAt: number | null;
  /** Platform reference of the thread that collects answers (message ts / thread id). */
  threadRef: string | null;
  /** Platform reference of the question message, recorded before the thread is opened. */
  messageRef: string | null;
  state: RoundState;
  status: RoundStatus;
  revealedAt: number | null;
  startedBy: string | null;
  /** The member who asked for a practice round (they may reveal it early). */
  requestedBy: Member | null;
  /** Reveal messages whose sending is recorded (resumes a reveal cut short). */
  revealSent: number;
  /** The reveal message being sent (-1: none yet); equal to revealSent after a crash mid-send. */
  revealIntent: number;
}

export interface Answer {
  roundId: string;
  member: Member;
  text: string;
  /** Platform id of the delivering message/event; the same delivery twice counts once. */
  deliveryId: string;
  private: boolean;
  /** When this version of the answer was written (an edit's time for an edit). */
  receivedAt: number;
  /**
   * When the message carrying it was first sent (defaults to receivedAt). A member's answer is
   * their newest message: an edit of an older message never replaces it.
   */
  messageAt?: number;
  /** False when the platform did not give the text (Discord without Message Content): participation only. */
  textAvailable?: false;
  /** The platform message carrying it: deleting that message before the reveal withdraws the answer. */
  messageRef?: string;
}

export type Period = 'week' | 'month' | 'all';

export type BoardScope =
  | { kind: 'channel'; channel: ChannelRef }
  | { kind: 'server'; platform: PlatformName; serverId: string }
  | { kind: 'group'; platform: PlatformName; serverId: string; group: string }
  | { kind: 'practice'; platform: PlatformName; serverId: string };

export interface BoardEntry {
  rank: number;
  memberId: string;
  name: string;
  points: number;
}

export interface Board {
  scope: BoardScope;
  period: Period;
  periodKey: string;
  top: BoardEntry[];
  caller: BoardEntry | null;
}

/** Points won by one member in one round, as recorded on the boards. */
export interface Award {
  member: Member;
  points: number;
  participation: number;
  quality: number;
  votes: number;
}

export interface AnswerFeedback {
  member: Member;
  text: string;
  private: boolean;
  covered: KeyPoint[];
  missed: KeyPoint[];
  coverage: number;
  flags: string[];
  points: number;
  /** Per covered key point id: the answer's words that earned it. */
  evidence?: Record<string, string>;
  /** Key points the answer touched but did not earn, and why. */
  voided?: { id: string; why: string }[];
  /** Points set by an admin (human override) instead of the grader's. */
  adjusted?: boolean;
}

export function channelKey(c: ChannelRef): string {
  return `${c.platform}:${c.serverId}:${c.channelId}`;
}
