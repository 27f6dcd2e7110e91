/** Constants the Discord rooms share. */
import { TEXTS } from '../../core/text/texts.js';

export const NO_MENTIONS = { parse: [] as [] };
/**
 * REST as quizbot calls Discord: a call (retries included) gives up well within a round's 60 s
 * lease, and a rate limit longer than 5 s goes back to the job (RateLimitError) instead of being
 * waited out in place, past the lease. Messages carry a nonce, so a retried create posts once.
 */
export const REST_OPTIONS = { timeout: 10_000, retries: 2, rejectOnRateLimit: (limit: { retryAfter: number }) => limit.retryAfter > 5_000 };
export const MODAL_PREFIX = 'qb:modal:';
export const BUTTON_PREFIX = 'qb:answer:';
/** The stand-in text of a message whose content Discord withheld (no Message Content intent). */
export const CONTENT_UNAVAILABLE = TEXTS.contentUnavailable;
