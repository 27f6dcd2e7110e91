/** Runs work under a named lease (one holder at a time, across replicas), released afterwards. */
import type { QuizStore } from './ports.js';

export async function withLease<T>(
  store: Pick<QuizStore, 'holdLease' | 'releaseLease'>,
  lease: { name: string; holder: string; ttlMs: number },
  busy: () => Error,
  fn: () => Promise<T>,
): Promise<T> {
  if (!(await store.holdLease(lease.name, lease.holder, lease.ttlMs))) throw busy();
  try {
    return await fn();
  } finally {
    await store.releaseLease(lease.name, lease.holder).catch(() => undefined);
  }
}
