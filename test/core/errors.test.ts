import { describe, expect, it } from 'vitest';
import { ChannelUnavailableError, ERRORS, GENERIC_FAILURE, QuizError, RoundBusyError, userMessage, type ErrorReason } from '../../src/core/text/errors.js';

describe('the error-text table', () => {
  it('GIVEN every reason THEN its sentence is built from its details, ends like a sentence and leaks no placeholder', () => {
    const sample: Record<string, unknown> = {
      option: 'x',
      verb: 'frobnicate',
      who: 'an admin',
      automatic: true,
      max: 3,
      topic: 'zzz',
      closest: ['The CAP theorem'],
      roundId: 'r1',
      questionId: 'q1',
      title: 'ACID',
      name: 'Bob Smith',
      sub: 'nope',
      group: 'study',
      existing: ['a'],
      pattern: '61 9 * * *',
      why: 'bad minute',
      every: '1 minute',
      min: '5 minutes',
      timezone: 'Mars/Base',
      text: '1ms',
      level: 'expert',
      field: 'title',
      usage: '/quiz frobnicate <x>',
      expected: 'a whole number from 0 to 9',
      subs: ['show', 'set'],
    };
    for (const reason of Object.keys(ERRORS) as ErrorReason[]) {
      const e = new QuizError(reason, sample);
      expect(e.code).toBe(ERRORS[reason].code);
      expect(e.message.length, reason).toBeGreaterThan(10);
      expect(e.message, reason).not.toMatch(/undefined|\[object|\$\{/);
      expect(userMessage(e)).toBe(e.message);
    }
  });

  it('GIVEN a platform refusal or an unknown error THEN members read a clear sentence, never internals', () => {
    expect(userMessage(new ChannelUnavailableError('not-in-channel', 'Slack channel C1: not_in_channel'))).toMatch(/not a member.*\/invite/);
    expect(userMessage(new ChannelUnavailableError('missing-permissions', 'x'))).toMatch(/missing a permission/);
    expect(userMessage(new TypeError('Cannot read properties of undefined'))).toBe(GENERIC_FAILURE);
    // An admin whose /quiz post or reveal meets another replica driving the round is told so.
    expect(userMessage(new RoundBusyError('r1', 'w-2', 5_000))).toMatch(/Another quizbot process is posting or revealing this question right now/);
  });
});
