/**
 * Long work in slices: `tick()` after each unit yields to the event loop once the slice has run
 * SLICE_MS, so gateway heartbeats, interactions and replies are served during a big reveal, and
 * runs `between` (e.g. renewing the round's lease) at each yield.
 */
import { performance } from 'node:perf_hooks';
import { setImmediate as yieldToLoop } from 'node:timers/promises';

/** Work done between two yields (the event loop never waits much longer than this). */
export const SLICE_MS = 10;

export function slicer(between?: () => Promise<void>, sliceMs = SLICE_MS): () => Promise<void> {
  let start = performance.now();
  return async () => {
    if (performance.now() - start < sliceMs) return;
    await yieldToLoop();
    if (between) await between();
    start = performance.now();
  };
}

/**
 * Awaits `work` while running `renew` every `everyMs` (a lease kept during a long wait). A failed
 * renewal (the lease lost) is thrown once the work settles: nothing after it may act.
 */
export async function keepRenewing<T>(work: Promise<T>, renew: (() => Promise<void>) | undefined, everyMs: number): Promise<T> {
  if (!renew) return work;
  const state: { lost: Error | null } = { lost: null };
  const timer = setInterval(() => {
    renew().catch((err: unknown) => {
      state.lost ??= err instanceof Error ? err : new Error(String(err));
    });
  }, everyMs);
  try {
    const out = await work;
    if (state.lost) throw state.lost;
    return out;
  } finally {
    clearInterval(timer);
  }
}
