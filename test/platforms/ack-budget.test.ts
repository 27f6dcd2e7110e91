import { describe, expect, it } from 'vitest';
import { AckBudget } from '../../src/platforms/ack-budget.js';

describe('acks budget', () => {
  it('GIVEN a burst of recorded replies THEN acks stop at the budget and come back at its rate', () => {
    let t = 0;
    const budget = new AckBudget(5, 10, () => t);
    const granted = Array.from({ length: 25 }, () => budget.take()).filter(Boolean).length;
    expect(granted).toBe(10);
    t += 1_000; // one second: five more
    expect(Array.from({ length: 25 }, () => budget.take()).filter(Boolean).length).toBe(5);
    t += 60_000; // a quiet minute refills the burst, no more
    expect(Array.from({ length: 25 }, () => budget.take()).filter(Boolean).length).toBe(10);
  });
});
