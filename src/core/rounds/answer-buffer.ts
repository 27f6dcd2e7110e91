/**
 * No answer lost to a storage outage: an answer that cannot be recorded because the store is
 * unreachable is held in memory (bounded, in arrival order) and recorded when the store answers
 * again — at most once, since recording is idempotent by delivery id. A member whose answer is
 * held hears so; when it is recorded later, or cannot be (the buffer is full, or the process
 * stops first), they hear that too. Never a crash, never silence.
 */
import type { Logger } from '../ports.js';
import type { AnswerInput, AnswerReceipt } from './quiz.js';

/** Answers held at most (beyond that a member is told at once that theirs was not recorded). */
export const HELD_MAX = 1000;
const RETRY_MS = 2_000;
/** How long an answer waits for the store before it is held instead. */
const WAIT_MS = 5_000;

/** Connection-shaped failures of the store (ioredis, Redis Cluster): worth holding and retrying. */
export function isTransientStoreError(err: unknown): boolean {
  if (!(err instanceof Error)) return false;
  const code = (err as NodeJS.ErrnoException).code ?? '';
  return (
    ['ECONNREFUSED', 'ECONNRESET', 'ETIMEDOUT', 'EPIPE', 'ENOTFOUND', 'EHOSTUNREACH', 'ECONNABORTED'].includes(code) ||
    /MaxRetriesPerRequest|ClusterAllFailed/.test(err.name) ||
    /Connection is closed|Stream isn't writeable|Reached the max retries per request|All sentinels are unreachable|LOADING|TRYAGAIN|CLUSTERDOWN/.test(
      err.message,
    )
  );
}

/**
 * Whether a reply gets the ✅: a member's first answer in a round does (recorded); a later one
 * that replaces it does not — one reaction per member per round, not one REST call per reply.
 */
export function wantsAck(receipt: Pick<AnswerReceipt, 'outcome'>): boolean {
  return receipt.outcome === 'recorded';
}

/** What happened to a held answer later: recorded, or given up (with the reason). */
export type LateOutcome = { kind: 'recorded'; receipt: AnswerReceipt } | { kind: 'lost'; reason: 'failed' | 'stopped' };

/**
 * What a platform does when a held answer's fate is known: acknowledge it as it does any recorded
 * answer (✅), or tell the member privately (not recorded, or arrived after the reveal).
 */
export function lateResponse(o: LateOutcome): { ack: true } | { tell: string } {
  if (o.kind === 'recorded' && wantsAck(o.receipt)) return { ack: true };
  return { tell: lateAnswerText(o) };
}

/** What a member is told when an answer held during an outage is finally recorded, or is not. */
export function lateAnswerText(o: LateOutcome): string {
  if (o.kind === 'recorded')
    return o.receipt.outcome === 'closed'
      ? '⚠️ Your held answer arrived after the reveal and was not scored.'
      : '✓ Your answer held during the outage is now recorded.';
  return o.reason === 'stopped'
    ? '⚠️ quizbot stopped before it could record your answer held during the outage: it was NOT recorded, please send it again.'
    : '⚠️ Your answer held during the outage could not be recorded: please send it again.';
}

interface Held {
  input: AnswerInput;
  late: (o: LateOutcome) => void;
}

export class AnswerBuffer {
  private readonly held: Held[] = [];
  private timer: NodeJS.Timeout | null = null;
  private flushing = false;

  constructor(
    private readonly recordNow: (input: AnswerInput) => Promise<AnswerReceipt>,
    private readonly deps: { logger: Logger; available?: () => boolean; max?: number; retryMs?: number; waitMs?: number },
  ) {}

  get size(): number {
    return this.held.length;
  }

  /**
   * Records an answer, or holds it while the store is unreachable (outcome `held`; `late` is told
   * what became of it). Answers arriving while others are held queue behind them, in order.
   */
  async record(input: AnswerInput, late: (o: LateOutcome) => void = () => undefined): Promise<AnswerReceipt> {
    if (this.held.length === 0 && this.deps.available?.() !== false) {
      // A store that stops answering mid-call (its connection just died) holds the answer after
      // a short wait rather than after the client's own retries; if the call lands after all,
      // the held copy is a duplicate delivery id and counts once.
      const attempt = this.recordNow(input);
      attempt.catch(() => undefined);
      let timer: NodeJS.Timeout | undefined;
      try {
        const r = await Promise.race([attempt, new Promise<null>((res) => (timer = setTimeout(() => res(null), this.deps.waitMs ?? WAIT_MS)))]);
        if (r) return r;
      } catch (err) {
        if (!isTransientStoreError(err)) throw err;
      } finally {
        clearTimeout(timer);
      }
    }
    if (this.held.length >= (this.deps.max ?? HELD_MAX)) return { outcome: 'not-recorded', roundId: null };
    this.held.push({ input, late });
    this.schedule();
    return { outcome: 'held', roundId: input.roundId ?? null };
  }

  /** Tells every member whose answer is still held that it was not recorded (the process stops). */
  stop(): void {
    if (this.timer) clearTimeout(this.timer);
    this.timer = null;
    for (const h of this.held.splice(0)) h.late({ kind: 'lost', reason: 'stopped' });
  }

  private schedule(): void {
    if (this.timer || this.flushing) return;
    this.timer = setTimeout(() => {
      this.timer = null;
      void this.flush();
    }, this.deps.retryMs ?? RETRY_MS);
    this.timer.unref();
  }

  private async flush(): Promise<void> {
    if (this.deps.available?.() === false) return this.schedule();
    this.flushing = true;
    try {
      while (this.held.length > 0) {
        const next = this.held[0]!;
        let receipt: AnswerReceipt;
        try {
          receipt = await this.recordNow(next.input);
        } catch (err) {
          if (isTransientStoreError(err)) break; // still down: try again later, in the same order
          this.deps.logger.warn('a held answer could not be recorded', { err: (err as Error).message });
          this.held.shift();
          next.late({ kind: 'lost', reason: 'failed' });
          continue;
        }
        this.held.shift();
        // 'duplicate': the first attempt landed after all — recorded, once.
        next.late({ kind: 'recorded', receipt: receipt.outcome === 'duplicate' ? { ...receipt, outcome: 'recorded' } : receipt });
      }
    } finally {
      this.flushing = false;
    }
    if (this.held.length > 0) this.schedule();
  }
}
