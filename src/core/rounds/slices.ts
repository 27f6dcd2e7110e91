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
  return meteredSlicer(between, sliceMs).tick;
}

/**
 * A slicer that also counts the CPU time of its own slices: what ran between two yields, not the
 * events served while it was yielded nor `between`.
 */
export function meteredSlicer(
  between?: () => Promise<void>,
  sliceMs = SLICE_MS,
): { tick: () => Promise<void>; pause: () => Promise<void>; cpuSeconds: () => number } {
  let start = performance.now();
  let mark = process.cpuUsage();
  let spent = 0;
  const since = () => {
    const d = process.cpuUsage(mark);
    return (d.user + d.system) / 1e6;
  };
  const tick = async () => {
    if (performance.now() - start < sliceMs) return;
    spent += since();
    await yieldToLoop();
    if (between) await between();
    start = performance.now();
    mark = process.cpuUsage();
  };
  /** Yields now (before a step that is a slice on its own). */
  const pause = async () => {
    start = -Infinity;
    await tick();
  };
  return { tick, pause, cpuSeconds: () => spent + since() };
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
