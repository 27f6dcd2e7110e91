/**
 * `content check` lint: what makes the grader reward or punish the wrong answers.
 */
import { describe, expect, it } from 'vitest';
import { lintBank } from '../../src/content/lint.js';
import type { Question } from '../../src/content/types.js';
import { makeQuestion } from '../helpers/core.js';

const withSample = (q: Question, text: string): Question => ({ ...q, sampleAnswers: [{ source: null, text }] });

describe('counter-phrases', () => {
  it('GIVEN a counter that fires on an unrelated question’s sample answer THEN it is too generic and warned about; a specific one is not', () => {
    const oop = makeQuestion('oop-basics', ['oop'], [['Objects bundle state and behaviour', ['state and behaviour']]]);
    oop.keyPoints[0]!.counter = ['objects are just functions', 'objects are only functions'];
    const other = withSample(makeQuestion('serialization', ['java-io'], [['Writes an object as bytes', ['as bytes']]]), 'It calls a method of the Object class to write the object as bytes.');
    const warnings = lintBank([withSample(oop, 'Objects bundle state and behaviour.'), other]);
    const counters = warnings.filter((w) => w.where.includes('counter'));
    expect(counters.map((w) => w.where)).toEqual(['keyPoints[0].counter[0]']);
    expect(counters[0]!.message).toMatch(/fires on “serialization”'s sample answer/);
  });

  it('GIVEN a counter that fires on its own question’s sample answer THEN it is warned about: the curated answer would lose its point', () => {
    const oop = makeQuestion('oop-basics', ['oop'], [['Objects bundle state and behaviour', ['state and behaviour']]]);
    oop.keyPoints[0]!.counter = ['objects bundle functions', 'objects are only functions'];
    const warnings = lintBank([withSample(oop, 'Objects bundle state and behaviour, and the functions that act on it.')]);
    const counters = warnings.filter((w) => w.where.includes('counter'));
    expect(counters.map((w) => w.where)).toEqual(['keyPoints[0].counter[0]']);
    expect(counters[0]!.message).toMatch(/fires on this question's own sample answer/);
    // A seed answer that an editor's note corrects may say the misconception; the curated one may not.
    const noted: Question = { ...oop, editorNote: 'The seed says objects bundle functions only.', sampleAnswers: [{ source: 'seed.txt#1', text: 'Objects bundle functions.' }, { source: null, text: 'Objects bundle state and behaviour.' }] };
    expect(lintBank([noted]).filter((w) => w.where.includes('counter'))).toEqual([]);
  });
});
