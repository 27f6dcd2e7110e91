/**
 * The ✅ a recorded reply gets is a courtesy: it spends the same platform budget posts and reveals
 * need (Discord's 50 requests/s per bot, Slack's per-method tiers). Acks get a small budget of
 * their own per process — a token bucket — and an ack beyond it is skipped, never queued in front
 * of a post or a reveal.
 */
export class AckBudget {
  private tokens: number;
  private last: number;

  constructor(
    private readonly perSecond = 5,
    private readonly burst = 10,
    private readonly now: () => number = () => performance.now(),
  ) {
    this.tokens = burst;
    this.last = now();
  }

  /** True when an ack may be sent now (one token spent); false: skip it. */
  take(): boolean {
    const t = this.now();
    this.tokens = Math.min(this.burst, this.tokens + ((t - this.last) / 1000) * this.perSecond);
    this.last = t;
    if (this.tokens < 1) return false;
    this.tokens -= 1;
    return true;
  }
}
