/**
 * A behavioural question is answered by a story: an answer that names no concrete detail (no
 * number, no name the question did not give) earns a quarter at most and says why.
 */
import { beforeAll, describe, expect, it } from 'vitest';
import type { QuestionBank } from '../../src/content/bank.js';
import { asksForStory } from '../../src/content/experience.js';
import { grade } from '../../src/content/grading.js';
import { loadBank } from '../../src/content/loader.js';
import { flagSentence } from '../../src/core/text/views.js';

let bank: QuestionBank;
beforeAll(async () => {
  bank = await loadBank();
});

const GENERIC =
  'In my previous role I was responsible for backend development, where I optimized, designed and integrated solutions that improved performance and reliability. I always choose the right tool for the job, and looking back the lessons I learned shaped how I work and what I would do differently next time.';

const STORY =
  'At a ticketing company I owned the checkout API, written in Python with Django on Postgres. I was responsible for it when a big concert sale took it down twice in 2022: I profiled it, moved seat holds into Redis and put the payment calls behind a queue, which improved p99 latency from 4 s to 300 ms. Looking back, the lesson I learned was to load-test before every big sale; I chose Python because the team knew it well.';

describe('questions about the member’s own past', () => {
  it('GIVEN a behavioural question, about the past or how one would go about it THEN it asks for a story; GIVEN a technical question THEN it does not', () => {
    expect(asksForStory(bank.get('backend-experience-and-stack')!)).toBe(true);
    expect(asksForStory(bank.get('hardest-backend-problem')!)).toBe(true);
    expect(asksForStory(bank.get('leading-a-backend-team')!)).toBe(true);
    expect(asksForStory(bank.get('cap-theorem')!)).toBe(false);
  });

  it('GIVEN the story vocabulary with no concrete detail THEN it earns a quarter at most, and the reveal says why', () => {
    const q = bank.get('backend-experience-and-stack')!;
    const generic = grade(q, GENERIC);
    expect(generic.flags).toEqual(['no-example']);
    expect(generic.quality).toBeLessThanOrEqual(0.25);
    expect(flagSentence('no-example')).toMatch(/no concrete detail/);
    // (A salad in full sentences is no list: the salad sentence says what is missing instead.)
    expect(flagSentence('keyword-salad')).toMatch(/^Names the key terms without saying what they do/);
    // The same points told as a story with a place, names and numbers are an answer.
    const story = grade(q, STORY);
    expect(story.flags).toEqual([]);
    expect(story.quality).toBeGreaterThan(0.75);
  });

  it('GIVEN a story typed in lowercase with no number THEN its details in words of its own are enough', () => {
    const q = bank.get('hardest-backend-problem')!;
    const casual =
      'i worked on the payments service at a fintech, we had slow queries on the orders table so i added the missing indexes and rewrote the worst report query, pages got way faster and the on-call alerts stopped';
    expect(grade(q, casual).flags).toEqual([]);
    expect(grade(q, casual).quality).toBeGreaterThan(0.5);
  });

  it('GIVEN a how-would-you behavioural question THEN the STAR vocabulary with no detail tells no story, and the same approach with its details does', () => {
    const q = bank.get('leading-a-backend-team')!;
    const generic = grade(q, 'I would set clear goals with the product owner, split the work by strengths, remove blockers every day and use code review and mentoring so the team grows, and I would hold a retrospective at the end to learn what to do differently next time.');
    expect(generic.flags).toEqual(['no-example']);
    expect(generic.quality).toBeLessThanOrEqual(0.25);
    const told = grade(
      q,
      'When I led the five backend developers on the Acme billing rewrite, I set clear goals with the product owner, split the work by strengths and removed blockers at a daily standup; code review and weekly mentoring helped the two juniors grow. We shipped in 14 weeks, and in the retrospective I learned to plan the data migration earlier next time.',
    );
    expect(told.flags).toEqual([]);
    expect(told.quality).toBeGreaterThan(0.75);
  });
});
