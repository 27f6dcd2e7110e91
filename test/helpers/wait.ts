/**
 * Every wait budget of the tests comes from here: how long a test waits for a positive signal
 * before it fails. The budgets are generous for a loaded 2-core machine (CI runs on one), and
 * QUIZBOT_TEST_TIME_SCALE (default 1) multiplies them all on a slower one, e.g. 3.
 * A budget only bounds a wait for something that must happen; it never is a pause.
 */
function timeScale(raw = process.env.QUIZBOT_TEST_TIME_SCALE): number {
  if (raw === undefined || raw.trim() === '') return 1;
  const n = Number(raw);
  if (!Number.isFinite(n) || n <= 0) throw new Error(`QUIZBOT_TEST_TIME_SCALE must be a positive number (e.g. 2), not “${raw}”`);
  return n;
}

/** The factor every budget is multiplied by (QUIZBOT_TEST_TIME_SCALE, default 1). */
export const TIME_SCALE = timeScale();

/** A wait budget: `ms` at scale 1, multiplied by QUIZBOT_TEST_TIME_SCALE. Use it for every timeout. */
export function budget(ms: number): number {
  return Math.ceil(ms * TIME_SCALE);
}

/** waitFor's budget when none is given: 30 s at scale 1. */
export const DEFAULT_WAIT_MS = 30_000;

/**
 * Polls until `fn` returns something truthy (a positive signal), or fails naming what it waited for.
 * `timeoutMs` is taken as given: pass `budget(ms)`; without it the wait is `budget(DEFAULT_WAIT_MS)`.
 */
export async function waitFor<T>(what: string, fn: () => Promise<T | null | false | undefined>, timeoutMs = budget(DEFAULT_WAIT_MS)): Promise<T> {
  const end = Date.now() + timeoutMs;
  for (;;) {
    const v = await fn();
    if (v) return v;
    if (Date.now() > end) throw new Error(`timed out after ${timeoutMs} ms waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 100));
  }
}
