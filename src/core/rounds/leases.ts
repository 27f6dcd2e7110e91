/** Runs work under a named lease (one holder at a time, across replicas), released afterwards. */
import type { LockStore } from '../ports.js';

export async function withLease<T>(
  store: Pick<LockStore, 'holdLease' | 'releaseLease'>,
  lease: { name: string; holder: string; ttlMs: number },
  busy: () => Error,
  fn: () => Promise<T>,
  /** Held elsewhere: try again this many times, this far apart, before `busy` (default: at once). */
  wait: { tries: number; everyMs: number } = { tries: 0, everyMs: 0 },
): Promise<T> {
  for (let tried = 0; !(await store.holdLease(lease.name, lease.holder, lease.ttlMs)); tried++) {
    if (tried >= wait.tries) throw busy();
    await new Promise((r) => setTimeout(r, wait.everyMs));
  }
  try {
    return await fn();
  } finally {
    await store.releaseLease(lease.name, lease.holder).catch(() => undefined);
  }
}
