/**
 * The narrow face of the core that platform adapters see: record an answer, vote, run a
 * command, claim a one-off side effect, look up topics. Adapters never reach into the App
 * (stores, services, config); they translate platform events into these calls and render what
 * comes back.
 */
import type { LateOutcome } from './rounds/answer-buffer.js';
import type { CommandContext, Invocation, Reply, RoundChoice } from './commands/index.js';
import type { ChatPort, Logger, MetricEvent, VoteOutcome, WithdrawOutcome } from './ports.js';
import type { MessageVoteInput, VoteInput } from './progress/progress.js';
import type { AnswerInput, AnswerReceipt } from './rounds/quiz.js';
import type { ChannelRef, PlatformName } from './types.js';

export interface TopicChoice {
  id: string;
  title: string;
}

export interface PlatformFacade {
  readonly logger: Logger;
  /** The adapter's outgoing side: the core posts questions and reveals through it. */
  registerChat(platform: PlatformName, port: ChatPort): void;
  /**
   * Records an answer, or holds it while the store is unreachable (outcome `held`): `late` hears
   * what became of a held answer (recorded, or not).
   */
  recordAnswer(input: AnswerInput, late?: (o: LateOutcome) => void): Promise<AnswerReceipt>;
  /** A member deleted a message: the answer it carried is withdrawn while its round is open. */
  withdrawAnswer(channel: ChannelRef, messageRef: string): Promise<WithdrawOutcome>;
  /** A 👍 on a message: counts for the answer it carries (no-answer otherwise). */
  vote(input: MessageVoteInput): Promise<VoteOutcome>;
  retractVote(input: Omit<MessageVoteInput, 'deliveryId'>): Promise<boolean>;
  /** A vote named by member (text platforms: the console's `/vote <name>`). */
  voteForMember(input: VoteInput): Promise<VoteOutcome>;
  retractMemberVote(input: Omit<VoteInput, 'deliveryId'>): Promise<boolean>;
  /** Runs a command; never throws (failures come back as a caller-only error reply). */
  runCommand(ctx: CommandContext, command: Invocation | string): Promise<Reply>;
  /** Every command, one line each, in the text grammar (renderers rewrite hints per platform). */
  helpText(): string;
  /** A form's field errors that need no lookup, by field (answered at once; {} when none). */
  formErrors(command: Invocation): Readonly<Record<string, string>>;
  /** Open rounds the caller may reveal (reveal pickers). */
  revealChoices(ctx: CommandContext): Promise<RoundChoice[]>;
  /** Questions matching what a member is typing (topic autocomplete); input is capped. */
  suggestTopics(query: string, limit: number): TopicChoice[];
  /** True for exactly one caller per name until ttlMs passes (across replicas and restarts). */
  claimOnce(name: string, ttlMs: number): Promise<boolean>;
  /** A renewable lease for one holder at a time (a Discord shard's gateway session). */
  holdLease(name: string, holder: string, ttlMs: number): Promise<boolean>;
  releaseLease(name: string, holder: string): Promise<void>;
  /** What a lease's holder leaves for the next one (a shard's session to RESUME); saved only while held. */
  saveLeaseState(name: string, holder: string, state: string | null, ttlMs: number): Promise<boolean>;
  leaseState(name: string): Promise<string | null>;
  /**
   * Runs `fn` while holding the named lease (one holder across replicas), waiting up to ~5 s for
   * it; released afterwards. For read-modify-write of platform state (a Slack user group).
   */
  underLease<T>(name: string, ttlMs: number, fn: () => Promise<T>): Promise<T>;
  /** Operator metrics the adapter sees (platform 429s). */
  recordMetric(event: MetricEvent): void;
  /** Runs on shutdown (platform clients close before the core). */
  onClose(fn: () => Promise<void>): void;
}
