/**
 * Long work in slices: a metered slicer counts the CPU of its own slices, not what runs while it is
 * yielded (other events, the lease renewal between slices).
 */
import { describe, expect, it } from 'vitest';
import { meteredSlicer } from '../../src/core/rounds/slices.js';

/** Spends `ms` of this process's CPU time (not wall time: a loaded machine does not shorten it). */
function burn(ms: number): void {
  const start = process.cpuUsage();
  for (;;) {
    const d = process.cpuUsage(start);
    if ((d.user + d.system) / 1000 >= ms) return;
  }
}

describe('metered slices', () => {
  it('GIVEN work between yields and a lease renewal at each yield THEN only the work is counted', async () => {
    let renewals = 0;
    const m = meteredSlicer(async () => {
      renewals++;
      burn(80);
    }, 1);
    burn(30);
    await m.tick();
    burn(30);
    await m.tick();
    expect(renewals).toBe(2);
    const counted = m.cpuSeconds();
    // 60 ms of work counted; the 160 ms of renewals are not.
    expect(counted).toBeGreaterThanOrEqual(0.058);
    expect(counted).toBeLessThan(0.12);
  });

  it('GIVEN a pause inside a slice THEN it yields at once and runs the renewal', async () => {
    let renewals = 0;
    const m = meteredSlicer(async () => {
      renewals++;
    }, 60_000);
    let other = false;
    setImmediate(() => {
      other = true;
    });
    await m.tick();
    // (A tick within its slice does not yield: the other event has not run.)
    expect([other, renewals]).toEqual([false, 0]);
    await m.pause();
    expect([other, renewals]).toEqual([true, 1]);
  });
});
