/**
 * Definitions swapped between a question's named terms (definitions.ts): the terms and their
 * defining words read from the references, and an answer that says of one what they say of another.
 */
import { describe, expect, it } from 'vitest';
import { analyse, grade, gradeDetailed, NEGATORS } from '../../src/content/grading.js';
import { definedTerms, swappedClauses } from '../../src/content/definitions.js';
import type { Question } from '../../src/content/types.js';
import { makeQuestion } from '../helpers/core.js';

const PATTERNS: Question = {
  ...makeQuestion('creational', ['patterns'], []),
  title: 'Creational patterns',
  prompt: 'Which creational patterns do you use, and what is each for?',
  keyPoints: [
    { id: 'singleton', point: 'Singleton keeps one shared instance', phrases: ['singleton', 'one instance', 'single instance'] },
    { id: 'factory', point: 'Factory lets subclasses choose the class to create', phrases: ['factory', 'factory method'] },
    { id: 'builder', point: 'Builder, assembling a complex object step by step', phrases: ['builder', 'step by step'] },
  ],
  sampleAnswers: [
    {
      source: null,
      text: [
        'Three patterns come up most.',
        '1. **Singleton Pattern**: ensures that a class has only one instance and provides a global point of access to it, for shared resources such as a configuration.',
        '2. **Factory Pattern**: defines an interface for creating objects but lets subclasses decide which concrete class to instantiate.',
        'Builder is the one that separates the construction of a complex object from its representation, so the same steps can assemble different results.',
      ].join('\n'),
    },
  ],
};
const asked = new Set(analyse(`${PATTERNS.title}\n${PATTERNS.prompt}`).map((w) => w.canon));
const terms = definedTerms(PATTERNS, analyse, asked);
const swaps = (text: string) => {
  const words = analyse(text);
  return swappedClauses(words, terms, asked, (i) => NEGATORS.has(words[i]!.raw)).map((s) => [s.said.name, s.meant.name]);
};

describe('terms defined by the references', () => {
  it('GIVEN labelled lines, sentences said of a term and labelled key points THEN each term has its defining words', () => {
    expect(terms.map((t) => t.name)).toEqual(['Singleton Pattern', 'Factory Pattern', 'Builder']);
    const [singleton, factory, builder] = terms;
    expect([...singleton!.words]).toEqual(expect.arrayContaining(['class', 'global', 'access']));
    expect([...factory!.words]).toEqual(expect.arrayContaining(['subclass', 'instanti']));
    // (From the sample's sentence and the key point "Builder, assembling …" with its phrases.)
    expect([...builder!.words]).toEqual(expect.arrayContaining(['construct', 'assembl', 'step']));
    // (No term's own name is a defining word of another.)
    expect(singleton!.words.has('factori')).toBe(false);
  });

  it('GIVEN a story question, or one defining a single term, or a subject no key point names THEN no terms', () => {
    expect(definedTerms({ ...PATTERNS, kind: 'behavioural' }, analyse, asked)).toEqual([]);
    const one = { ...PATTERNS, sampleAnswers: [{ source: null, text: 'Singleton ensures that a class has only one instance.' }], keyPoints: PATTERNS.keyPoints.map((k) => ({ ...k, point: 'Knows it' })) };
    expect(definedTerms(one, analyse, asked)).toEqual([]);
    // ("Three patterns come up most": no key point's phrase names "three" or "come".)
    expect(terms.some((t) => t.key.includes('three'))).toBe(false);
  });
});

describe('definitions swapped between terms', () => {
  it('GIVEN one term said in the words of another THEN the swap is found, per statement', () => {
    expect(swaps('Factory makes sure a class has exactly one instance with a global access point. Builder assembles a complex object step by step.')).toEqual([['Factory Pattern', 'Singleton Pattern']]);
    // (A relative clause goes on saying it of the same term; "while" hands over to the next.)
    expect(swaps('Singleton lets subclasses decide the concrete class, which gets instantiated later, while Factory keeps one global instance.')).toEqual([
      ['Singleton Pattern', 'Factory Pattern'],
      ['Factory Pattern', 'Singleton Pattern'],
    ]);
  });

  it('GIVEN each term said in its own words, a run of definitions, or a contrast THEN nothing is swapped', () => {
    expect(swaps('Singleton ensures a class has one instance with a global access point, and Factory lets subclasses decide which concrete class to instantiate.')).toEqual([]);
    // (One run: what follows the next term's name is said of that term.)
    expect(swaps('Singleton gives one instance with global access and Factory lets subclasses decide what to instantiate and Builder assembles a complex object step by step.')).toEqual([]);
    expect(swaps('Factory does not keep one instance with a global access point; that is Singleton.')).toEqual([]);
  });

  it('GIVEN a swapped definition in an answer THEN the point it claims is voided and costs as a wrong claim', () => {
    const right = 'Singleton ensures a class has only one instance with a global access point. Factory lets subclasses decide which concrete class to instantiate. Builder assembles a complex object step by step.';
    const swapped = 'Factory ensures a class has only one instance with a global access point. Singleton lets subclasses decide which concrete class to instantiate. Builder assembles a complex object step by step.';
    expect(grade(PATTERNS, right).quality).toBe(1);
    const g = gradeDetailed(PATTERNS, swapped);
    expect(g.covered.map((k) => k.id)).toEqual(['builder']);
    expect((g.voided ?? []).map((v) => v.id).sort()).toEqual(['factory', 'singleton']);
    expect(g.voided?.find((v) => v.id === 'singleton')?.why).toMatch(/which says of Factory Pattern what is said of Singleton Pattern/);
    expect(g.quality).toBe(0);
  });
});
