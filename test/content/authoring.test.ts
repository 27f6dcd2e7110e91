/**
 * Key points drafted for a member's suggested question (no editor wrote them): what a drafted point
 * is recognised by, and that answers are graded by it as a curated point would grade them.
 */
import { describe, expect, it } from 'vitest';
import { draftKeyPoints, suggestedKeyPoints } from '../../src/content/authoring.js';
import { grade } from '../../src/content/grading.js';
import type { Question } from '../../src/content/types.js';

const TITLE = 'Database normalization';
const PROMPT = 'What is database normalization, and what are the normal forms?';
const SAMPLE = [
  'Database normalization is an important concept of database design.',
  'First normal form requires atomic values in every column and no repeating groups.',
  'Second normal form removes partial dependencies on a composite primary key.',
  'Third normal form eliminates transitive dependencies between non-key columns.',
  'Normalization reduces redundancy and prevents update anomalies.',
  'The downside is that reads need more joins across tables.',
].join(' ');

function suggested(points: string[] = []): Question {
  return {
    id: 'normalization-suggested',
    title: TITLE,
    topics: ['databases'],
    aliases: [],
    level: 'mid',
    kind: 'technical',
    sources: [],
    keyPoints: suggestedKeyPoints(points, SAMPLE, `${TITLE} ${PROMPT}`),
    prompt: PROMPT,
    lookFor: '',
    sampleAnswers: [{ source: null, text: SAMPLE }],
    editorNote: null,
    file: 'normalization-suggested.md',
  };
}

describe('drafted key points', () => {
  it('GIVEN a sample answer THEN its points are the sentences that say the most, phrased by their own terms, never by generic or asked words alone', () => {
    const points = draftKeyPoints(SAMPLE, `${TITLE} ${PROMPT}`);
    expect(points.length).toBeGreaterThanOrEqual(3);
    expect(points.length).toBeLessThanOrEqual(5);
    expect(points.every((k) => k.drafted)).toBe(true);
    // The opening sentence says nothing of its own ("an important concept of database design").
    expect(points.map((k) => k.point)).not.toContain(SAMPLE.split('. ')[0] + '.');
    const phrases = points.flatMap((k) => [...k.phrases, ...(k.negated ?? [])]);
    expect(phrases).toEqual(expect.arrayContaining(['atomic values', 'partial dependencies', 'transitive dependencies']));
    for (const p of phrases) {
      expect(p.split(' ').length).toBeGreaterThan(1); // one word names a thing, it states nothing
      expect(['important concept', 'database design', 'database normalization', 'normal form']).not.toContain(p);
    }
    // Three required points; the rest are bonus.
    expect(points.filter((k) => !k.bonus)).toHaveLength(3);
  });

  it('GIVEN a point that removes something THEN an answer saying there is none of it covers the point, not denies it', () => {
    const q = suggested();
    const third = q.keyPoints.find((k) => /transitive/.test(k.point))!;
    expect(third.negated).toContain('transitive dependencies');
    const g = grade(q, 'In 3NF there are no transitive dependencies: a non-key column never depends on another non-key column.');
    expect(g.covered.map((k) => k.id)).toContain(third.id);
    expect(g.voided ?? []).not.toContainEqual(expect.objectContaining({ id: third.id }));
  });

  it('GIVEN a member’s own key points THEN each is phrased by its own chunks, and a correct answer covers them while naming the terms does not', () => {
    const q = suggested(['1NF requires atomic values in every column', '2NF removes partial dependencies', '3NF eliminates transitive dependencies']);
    expect(q.keyPoints.map((k) => k.id)).toEqual(['point-1', 'point-2', 'point-3']);
    const good = grade(
      q,
      '1NF means every column holds atomic values. 2NF removes partial dependencies, so no column depends on only part of a composite key. 3NF eliminates transitive dependencies between non-key columns.',
    );
    expect(good.quality).toBe(1);
    // Naming what a point removes does not say it is removed.
    const salad = grade(q, 'We have atomic values. We have partial dependencies. We have transitive dependencies.');
    expect(salad.covered.map((k) => k.id)).not.toContain('point-2');
    expect(salad.covered.map((k) => k.id)).not.toContain('point-3');
    expect(salad.quality).toBeLessThan(0.5);
  });

  it('GIVEN a list of the sample’s words THEN closeness to the sample earns it nothing', () => {
    // (Closeness counts the words an answer says, not those it lists: before, this list earned 0.57.)
    for (const text of ['Redundancy, anomalies, groups, composite keys, joins and reads all matter here.', '- redundancy\n- anomalies\n- composite keys\n- joins\n- reads']) {
      const g = grade(suggested(), text);
      expect(g.covered).toEqual([]);
      expect(g.quality).toBe(0);
    }
  });
});

describe('a short, plain sample', () => {
  it('GIVEN three plain sentences THEN three points are drafted (the form accepts it), the plainest phrased by neighbouring words', () => {
    const sample = "YAGNI stands for you aren't gonna need it. Build only what today's requirement asks for. Speculative features cost time, and the guess is usually wrong.";
    const points = draftKeyPoints(sample, 'What is YAGNI?');
    expect(points).toHaveLength(3);
    expect(points.every((k) => !k.bonus && k.phrases.length > 0)).toBe(true);
  });
});

describe('drafted phrases', () => {
  it('GIVEN a point with brackets, a conjunction and an adverb THEN its phrases keep to one term each and say how the verb acts', () => {
    const [k, tls] = suggestedKeyPoints(['NoSQL often scales horizontally and trades consistency for availability (BASE)', 'Encrypts connections (TLS/SSL) so data cannot be read in transit'], '', '');
    expect(k!.phrases).toEqual(expect.arrayContaining(['scales horizontally', 'trades consistency']));
    // ("scales" has no object across "and": "scales trades consistency" is no phrase.)
    expect(k!.phrases.some((p) => p.startsWith('scales trades'))).toBe(false);
    expect(tls!.phrases).toContain('encrypts connections');
    expect(tls!.phrases.some((p) => p.includes('connections tls'))).toBe(false);
  });
});

describe('drafted point statements', () => {
  it('GIVEN sample sentences with Markdown, list markers and openers THEN the points read as statements of their own', () => {
    const sample = [
      '- **Atomicity**: a transaction either commits every change or rolls every change back.',
      'On the other hand, durability keeps committed changes safe through crashes and power loss.',
      'However, isolation levels trade anomalies such as dirty reads for throughput.',
      'Consistency keeps foreign keys and unique constraints valid after each transaction.',
    ].join('\n');
    const points = draftKeyPoints(sample, 'ACID What is ACID?').map((k) => k.point);
    expect(points).toContain('Atomicity: a transaction either commits every change or rolls every change back.');
    expect(points).toContain('Durability keeps committed changes safe through crashes and power loss.');
    expect(points).toContain('Isolation levels trade anomalies such as dirty reads for throughput.');
    for (const p of points) expect(p).not.toMatch(/\*\*|^- |^(?:On the other hand|However),/);
  });
});

describe('drafted denials', () => {
  it('GIVEN a point that only denies something THEN denying it covers the point, and affirming it does not', () => {
    const [k] = suggestedKeyPoints(['Containers do not boot a full guest operating system'], '', '');
    expect(k!.negated).toEqual(expect.arrayContaining(['boot full guest', 'containers boot']));
    const q = { id: 'c', title: 'Containers', topics: ['t'], aliases: [], level: 'mid' as const, kind: 'technical' as const, sources: [], keyPoints: [k!], prompt: 'What is a container?', lookFor: '', sampleAnswers: [], editorNote: null, file: 'c.md' };
    expect(grade(q, 'A container never boots a full guest operating system of its own; it shares the kernel.').covered).toHaveLength(1);
    expect(grade(q, 'Every container boots a full guest operating system of its own.').covered).toHaveLength(0);
  });
});
