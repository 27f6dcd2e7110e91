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
});
