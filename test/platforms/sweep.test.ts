/**
 * Every bank question through both platforms' renderers with worst-case reveals (ten members with
 * long names, every answer private and as long as the platform's modal allows, every flag), and
 * every payload checked by the same rules the strict fakes enforce: nothing Discord or Slack would
 * refuse, nothing dropped.
 */
import { describe, expect, it } from 'vitest';
import { loadBank } from '../../src/content/loader.js';
import type { RevealView } from '../../src/core/ports.js';
import type { AnswerFeedback, Question, Round } from '../../src/core/types.js';
import { boardView, questionView, revealViewModel } from '../../src/core/text/views.js';
import { boardEmbed, questionPayload, revealPayloads, withRevealMarker } from '../../src/platforms/discord/render.js';
import { boardText, questionMessage, revealMessages } from '../../src/platforms/slack/render.js';
import { checkMessage } from '../fakes/discord-limits.js';
import { makeRound } from '../helpers/core.js';
import { checkBlocks, SLACK_LIMITS } from '../fakes/slack.js';

const round = (q: Question, mode: Round['mode']): Round =>
  makeRound({
    id: `slack.T0.s0123456789abcdef-${Date.UTC(2026, 10, 23, 9)}`,
    channel: { platform: 'slack', serverId: 'T0', channelId: 'C0' },
    questionId: q.id,
    mode,
    slotMs: Date.UTC(2026, 10, 23, 9),
    timezone: 'Europe/Berlin',
    postedAt: Date.UTC(2026, 10, 23, 9),
    revealAt: mode === 'scheduled' ? Date.UTC(2026, 10, 23, 17) : null,
    threadRef: 't',
    messageRef: 'm',
    state: 'scored',
    status: 'revealed',
    requestedBy: mode === 'practice' ? { id: 'U1', name: 'A'.repeat(32) } : null,
  });

/** Ten private answers of `len` characters each (words, newlines and markup that must stay inert). */
function worstFeedback(q: Question, len: number): AnswerFeedback[] {
  return Array.from({ length: 10 }, (_, i) => {
    const body = `@everyone <!channel> **${i}** _x_ line\n`.repeat(Math.ceil(len / 40)).slice(0, len - 8);
    return {
      member: { id: `U${i}`, name: `*member ${i}* ${'ñ'.repeat(20)}`.slice(0, 32) },
      text: `${body} END${i}x`,
      private: true,
      covered: q.keyPoints.slice(0, 2),
      missed: q.keyPoints.slice(2),
      coverage: 0.4,
      flags: ['too-short', 'keyword-salad', 'echo', 'copied'],
      points: 50,
    };
  });
}

describe('every bank question renders within Discord’s and Slack’s limits', async () => {
  const bank = await loadBank();
  const questions = bank.all();

  it.each(questions.map((q) => [q.id, q] as const))('%s', (_id, q) => {
    for (const mode of ['scheduled', 'practice'] as const) {
      const r = round(q, mode);
      const post = { round: r, question: q, requestedBy: r.requestedBy };
      for (const revealed of [false, true]) {
        const qv = questionView(post, { revealed });
        expect(checkMessage(questionPayload(qv)), `discord question ${q.id}`).toEqual([]);
        const sm = questionMessage(qv);
        expect(checkBlocks(sm.blocks), `slack question ${q.id}`).toBeNull();
        expect(sm.text.length).toBeLessThanOrEqual(SLACK_LIMITS.text);
      }
      // Discord: private answers up to its modal's 4,000 characters.
      const dView: RevealView = { round: r, question: q, feedback: worstFeedback(q, 4000) };
      const dParts = revealPayloads(revealViewModel(dView));
      const dAll: string[] = [];
      dParts.forEach((p, i) => {
        const sent = withRevealMarker(p, i, dParts.length);
        expect(checkMessage(sent), `discord reveal ${q.id} part ${i}`).toEqual([]);
        dAll.push(JSON.stringify(sent));
      });
      // Slack: private answers up to its modal's 3,000 characters.
      const sView: RevealView = { round: r, question: q, feedback: worstFeedback(q, 3000) };
      const sParts = revealMessages(revealViewModel(sView));
      const sAll: string[] = [];
      for (const [i, m] of sParts.entries()) {
        expect(checkBlocks(m.blocks), `slack reveal ${q.id} part ${i}`).toBeNull();
        sAll.push(JSON.stringify(m.blocks));
      }
      for (let i = 0; i < 10; i++) {
        expect(dAll.join('')).toContain(`END${i}x`);
        expect(sAll.join('')).toContain(`END${i}x`);
      }
      const joinedSlack = sAll.join('');
      expect(joinedSlack).not.toMatch(/<!channel>|<!everyone>/);
      for (const k of q.keyPoints)
        expect(joinedSlack).toContain(JSON.stringify(k.point.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').slice(0, 40)).slice(1, -1));
    }
  });

  it('a full board renders within the limits and never shows raw flag ids or seed file names', () => {
    const board = {
      scope: { kind: 'channel' as const, channel: { platform: 'slack' as const, serverId: 'T0', channelId: 'C0' } },
      period: 'week' as const,
      periodKey: '2026-W48',
      top: Array.from({ length: 10 }, (_, i) => ({ rank: i + 1, memberId: `U${i}`, name: 'x'.repeat(32), points: 1_000_000 - i })),
      caller: null,
    };
    expect(checkMessage({ embeds: [boardEmbed(boardView(board))] })).toEqual([]);
    expect(boardText(boardView(board)).length).toBeLessThan(3000);
    const q = questions.find((x) => x.sampleAnswers.some((a) => a.source))!;
    const r = round(q, 'scheduled');
    const text = JSON.stringify([
      revealPayloads(revealViewModel({ round: r, question: q, feedback: worstFeedback(q, 100) })),
      revealMessages(revealViewModel({ round: r, question: q, feedback: worstFeedback(q, 100) })),
    ]);
    expect(text).not.toMatch(/keyword-salad|too-short|\.txt#\d+/);
    expect(text).toMatch(/Source: [A-Z][\w -]+Interview Questions/);
  });
});
