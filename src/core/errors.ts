/**
 * Errors with stable codes. The core throws QuizError; adapters show `error.message` (written
 * for users) and log the rest. Anything else is a bug: adapters show a generic sentence.
 */
export type QuizErrorCode =
  | 'no-open-round'
  | 'no-match'
  | 'empty-bank'
  | 'bad-argument'
  | 'forbidden'
  | 'bad-schedule'
  | 'not-found'
  | 'round-open'
  | 'practice-limit';

export class QuizError extends Error {
  constructor(
    readonly code: QuizErrorCode,
    message: string,
    readonly details: Record<string, unknown> = {},
  ) {
    super(message);
    this.name = 'QuizError';
  }
}

export const GENERIC_FAILURE = 'Something went wrong on our side; the team has the details in the logs. Please try again.';

export function userMessage(err: unknown): string {
  return err instanceof QuizError ? err.message : GENERIC_FAILURE;
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
export class ChannelUnavailableError extends Error {
  constructor(
    readonly reason: 'not-in-channel' | 'missing-permissions',
    message: string,
  ) {
    super(message);
    this.name = 'ChannelUnavailableError';
  }
}
