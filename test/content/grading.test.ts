import { describe, expect, it } from 'vitest';
import { grade } from '../../src/content/grading.js';
import { editDistance, terms } from '../../src/content/text.js';
import type { Question } from '../../src/content/types.js';
import { makeQuestion } from '../helpers/core.js';

const cap: Question = {
  ...makeQuestion('cap-theorem', ['cap'], [
    ['Names the three guarantees', ['partition tolerance', 'consistency availability partition']],
    ['During a partition, choose consistency or availability', ['choose consistency availability', 'cp or ap', 'trade off']],
    ['Gives real CP and AP systems', ['zookeeper', 'cassandra', 'dynamodb', 'mongodb']],
    ['Partitions are unavoidable in practice', ['network partitions happen', 'partitions are inevitable', 'cannot avoid partitions']],
  ]),
  prompt: 'Can you explain the CAP theorem and its implications for distributed systems?',
};
// "cannot guarantee consistency, availability and partition tolerance at once" names the three
// under a negation that is the theorem itself: the point says so with a negated phrase.
cap.keyPoints[0]!.negated = ['guarantee consistency availability partition'];

describe('grade', () => {
  it('GIVEN a full answer with inflections and synonyms THEN every key point is covered', () => {
    const g = grade(
      cap,
      'A distributed store cannot guarantee consistency, availability and partition-tolerance at once. Network partitions do happen, so you must choose between consistency and availability: ZooKeeper is CP, Cassandra is AP.',
    );
    expect(g.covered.map((k) => k.id)).toEqual(['k0', 'k1', 'k2', 'k3']);
    expect(g.coverage).toBe(1);
    expect(g.quality).toBe(1);
    expect(g.flags).toEqual([]);
  });

  it('GIVEN a partial answer THEN covered and missed points are reported', () => {
    const g = grade(cap, 'It is a trade off: when the network splits you have to pick, and Cassandra picks availability.');
    expect(g.covered.map((k) => k.id)).toEqual(['k1', 'k2']);
    expect(g.missed.map((k) => k.id)).toEqual(['k0', 'k3']);
    expect(g.coverage).toBe(0.5);
  });

  it('GIVEN empty or very short replies THEN they earn no quality', () => {
    expect(grade(cap, '   ').flags).toEqual(['empty']);
    const short = grade(cap, 'partition tolerance');
    expect(short.flags).toEqual(['too-short']);
    expect(short.quality).toBe(0);
    // A terse answer of a few words is scored on what it covers.
    const terse = grade(cap, 'Cassandra picks availability during partitions.');
    expect(terse.flags).toEqual([]);
    expect(terse.quality).toBeGreaterThan(0);
  });

  it('GIVEN a keyword salad THEN coverage counts but quality is cut to a tenth or less', () => {
    const g = grade(cap, 'consistency, availability, partition tolerance, cp or ap, zookeeper, cassandra, trade off, network partitions happen');
    expect(g.flags).toContain('keyword-salad');
    expect(g.coverage).toBe(1);
    expect(g.quality).toBeGreaterThan(0);
    expect(g.quality).toBeLessThanOrEqual(0.1 + 1e-9);
  });

  it('GIVEN the question pasted back THEN it is flagged as an echo and earns nothing', () => {
    const g = grade(cap, 'Can you explain the CAP theorem and its implications for distributed systems?');
    expect(g.flags).toEqual(['echo']);
    expect(g.quality).toBe(0);
  });

  it('GIVEN words far apart THEN a phrase does not match across a sentence', () => {
    const g = grade(cap, 'We should choose a good database. Later, the consistency of our logs and the availability of staff were discussed.');
    expect(g.covered.map((k) => k.id)).not.toContain('k1');
  });
});

describe('a phrase said with a word or two in other words', () => {
  const loop: Question = makeQuestion('do-while', ['loops'], [
    ['The body of a do-while runs at least once', ['body always executes once', 'condition checked after the body']],
    ['Redis keeps data in memory', ['keeps everything in ram']],
  ]);

  it('GIVEN most of a phrase in order, the missing word stood in for by one of its kind THEN the point is earned', () => {
    expect(grade(loop, 'A do-while loop’s body always processes once before anything is checked.').covered.map((k) => k.id)).toContain('k0');
    expect(grade(loop, 'With Redis everything sits in RAM, which is why reads are quick.').covered.map((k) => k.id)).toContain('k1');
  });

  it('GIVEN the same words with nothing in the missing word’s place, or negated THEN the point is not earned', () => {
    expect(grade(loop, 'Everything, from RAM to disks to the network, is ours to watch.').covered.map((k) => k.id)).not.toContain('k1');
    expect(grade(loop, 'In a do-while the body never always executes once; that is a myth.').covered.map((k) => k.id)).not.toContain('k0');
  });
});

describe('text helpers', () => {
  it('GIVEN inflected words THEN they stem alike; transpositions cost one edit', () => {
    expect(terms('Partitions partitioned')).toEqual(terms('partition partition'));
    expect(editDistance('cpa', 'cap')).toBe(1);
    expect(editDistance('kitten', 'sitting')).toBe(3);
  });
});
