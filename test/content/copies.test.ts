/**
 * Copy detection over a whole round through an index (issue 23): an answer that is mostly another
 * member's earlier answer, earlier by the platform's message time, not by recording order.
 */
import { describe, expect, it } from 'vitest';
import { findCopies } from '../../src/content/copies.js';
import { gradeRead, shingles } from '../../src/content/grading.js';
import { makeQuestion } from '../helpers/core.js';

const ORIGINAL =
  'During a network partition a distributed system has to choose: refuse some requests to stay consistent, or keep answering with possibly stale data to stay available.';
const PASTE = `${ORIGINAL} Good question!`;
const OWN =
  'When the nodes cannot talk to each other you either stop serving writes on the minority side or you accept that some reads return old values until the network heals.';

describe('copy detection', () => {
  it('GIVEN a paste recorded before its original THEN the later message is the copy, by message time', async () => {
    const copied = await findCopies([
      { memberId: 'paster', text: PASTE, at: 2_000 },
      { memberId: 'author', text: ORIGINAL, at: 1_000 },
      { memberId: 'own', text: OWN, at: 3_000 },
    ]);
    expect([...copied]).toEqual(['paster']);
  });

  it('GIVEN shingles the reveal has read already THEN they are compared, not the text read again', async () => {
    const q = makeQuestion('cap-theorem', ['cap'], [['Must choose C or A during a partition', ['during a partition']]]);
    // One reading gives the grade and the same shingles as reading the text for copy detection.
    expect(gradeRead(q, PASTE).shingles).toEqual(shingles(PASTE));
    const own = shingles(OWN);
    const copied = await findCopies([
      { memberId: 'author', text: ORIGINAL, at: 1, shingles: shingles(ORIGINAL) },
      // (Its text is a paste; the shingles given are those of another answer, and they decide.)
      { memberId: 'paster', text: PASTE, at: 2, shingles: own },
      { memberId: 'second', text: OWN, at: 3, shingles: own },
    ]);
    expect([...copied]).toEqual(['second']);
  });

  it('GIVEN two answers sent at the same moment THEN neither is a copy of the other', async () => {
    expect((await findCopies([{ memberId: 'a', text: ORIGINAL, at: 5 }, { memberId: 'b', text: ORIGINAL, at: 5 }])).size).toBe(0);
  });

  it('GIVEN many copies of one answer among thousands of distinct ones THEN every copy and only the copies are found', async () => {
    const answers = [{ memberId: 'author', text: ORIGINAL, at: 0 }];
    for (let i = 1; i <= 3_000; i++) {
      const text = i % 100 === 0 ? `${ORIGINAL} (${i})` : `Answer ${i}: partitions ${i} force node ${i % 7} to pick between serving stale row ${i} and refusing request ${i * 3}.`;
      answers.push({ memberId: `m${i}`, text, at: i });
    }
    let ticks = 0;
    const copied = await findCopies(answers, async () => {
      ticks++;
    });
    expect([...copied].sort()).toEqual(Array.from({ length: 30 }, (_, k) => `m${(k + 1) * 100}`).sort());
    expect(ticks).toBeGreaterThanOrEqual(3_000);
  });

  it('GIVEN a whole round sent at one moment (no message times) THEN it is shingled and indexed an answer at a time, yielding between', async () => {
    const answers = Array.from({ length: 1_000 }, (_, i) => ({ memberId: `m${i}`, text: `${ORIGINAL} (${i})`, at: 7 }));
    let ticks = 0;
    const copied = await findCopies(answers, async () => {
      ticks++;
    });
    expect(copied.size).toBe(0);
    // Before, the group's shingles were computed and indexed in one synchronous stretch: 0 yields there.
    expect(ticks).toBeGreaterThanOrEqual(2_000);
  });
});
