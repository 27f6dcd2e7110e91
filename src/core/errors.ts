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
  | 'not-found';

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
