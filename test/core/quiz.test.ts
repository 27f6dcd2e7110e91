import { privateAnswerReceipt } from '../../src/core/rounds/quiz.js';
import { afterAll, describe, expect, it } from 'vitest';
import { QuestionBank } from '../../src/content/bank.js';
import type { GradeResult } from '../../src/content/types.js';
import { COMMANDS, CommandRunner, type CommandDeps } from '../../src/core/commands/index.js';
import { silentLogger } from '../../src/core/ports.js';
import { QuizService, slotRoundId } from '../../src/core/rounds/quiz.js';
import type { ChannelRef, Question } from '../../src/core/types.js';
import { FakeClock, RecordingChat, closeTestStores, makeQuestion, testStore } from '../helpers/core.js';

afterAll(closeTestStores);

const channel: ChannelRef = { platform: 'console', serverId: 'local', channelId: 'general' };
const NOV_23_2026 = Date.UTC(2026, 10, 23, 9, 0, 0);

const cap = makeQuestion(
  'cap-theorem',
  ['cap', 'distributed-systems'],
  [
    ['Names consistency, availability, partition tolerance', ['partition tolerance']],
    ['Must choose C or A during a partition', ['during a partition']],
  ],
);
const acid = makeQuestion('acid-properties', ['acid', 'databases'], [['Atomicity', ['atomicity']]]);
const rest = makeQuestion('rest-web-services', ['rest', 'api'], [['Stateless', ['stateless']]]);

/** Grading pinned for core tests: coverage = fraction of key points whose first phrase appears. */
function pinnedGrade(q: Question, text: string): GradeResult {
  const t = text.toLowerCase();
  const covered = q.keyPoints.filter((k) => t.includes(k.phrases[0]!));
  const missed = q.keyPoints.filter((k) => !covered.includes(k));
  const coverage = covered.length / q.keyPoints.length;
  const flags: GradeResult['flags'] = t.trim() === '' ? ['empty'] : t.split(/\s+/).length < 3 ? ['too-short'] : [];
  return { covered, missed, coverage, quality: flags.length ? 0 : coverage, flags };
}

/** Commands over the quiz service alone: the verbs these tests use need nothing else. */
function quizCommands(quiz: QuizService): CommandRunner {
  const missing = new Proxy(
    {},
    {
      get: () => {
        throw new Error('not part of this test');
      },
    },
  );
  return new CommandRunner(
    {
      quiz,
      logger: silentLogger,
      scheduling: missing,
      progress: missing,
      recaps: missing,
      suggestions: missing,
      chat: missing,
      clock: { now: () => 0 },
      knownTopics: async () => new Set(),
      setNudge: async () => undefined,
    } as unknown as CommandDeps,
    COMMANDS,
  );
}

function setup(questions: Question[] = [cap, acid, rest], randomValues: number[] = [], grade = pinnedGrade) {
  const store = testStore();
  const chat = new RecordingChat();
  const clock = new FakeClock(NOV_23_2026);
  let i = 0;
  const quiz = new QuizService({
    bank: new QuestionBank(questions),
    store,
    chat,
    clock,
    random: () => randomValues[i++ % Math.max(1, randomValues.length)] ?? 0,
    scheduler: null,
    logger: silentLogger,
    settings: { defaultTimezone: 'Europe/Berlin', practiceRevealDelayMs: null },
    grade,
  });
  return { store, chat, clock, quiz, commands: quizCommands(quiz) };
}

const alice = { id: 'alice', name: 'Alice' };
const bob = { id: 'bob', name: 'Bob' };

describe('QuizService rounds', () => {
  it('GIVEN a topic THEN the matching question is posted and a thread opened', async () => {
    const { quiz, chat } = setup();
    const { round, question } = await quiz.startRound(channel, { mode: 'practice', topic: 'cap' });
    expect(question.id).toBe('cap-theorem');
    expect(chat.questions).toHaveLength(1);
    expect(round.threadRef).toBe('th1');
    expect(round.localDate).toBe('2026-11-23');
  });

  it('GIVEN a scheduled slot started twice THEN it is posted once with the same question', async () => {
    const { quiz, chat } = setup([cap, acid, rest], [0, 0.99]);
    const a = await quiz.startRound(channel, { mode: 'scheduled', slotMs: NOV_23_2026 });
    const b = await quiz.startRound(channel, { mode: 'scheduled', slotMs: NOV_23_2026 });
    expect(a.created).toBe(true);
    expect(b.created).toBe(false);
    expect(b.round.id).toBe(slotRoundId(channel, NOV_23_2026));
    expect(b.question.id).toBe(a.question.id);
    expect(chat.questions).toHaveLength(1);
  });

  it('GIVEN posting failed THEN a retry of the same slot posts it', async () => {
    const { quiz, chat } = setup();
    chat.failNextPost = 1;
    await expect(quiz.startRound(channel, { mode: 'scheduled', slotMs: NOV_23_2026 })).rejects.toThrow('platform unavailable');
    const retry = await quiz.startRound(channel, { mode: 'scheduled', slotMs: NOV_23_2026 });
    expect(chat.questions).toHaveLength(1);
    expect(retry.round.threadRef).toBe('th1');
  });

  it('GIVEN a channel THEN no question repeats until the bank is exhausted', async () => {
    const { quiz } = setup([cap, acid, rest], [0]);
    const seen: string[] = [];
    for (let i = 0; i < 3; i++) seen.push((await quiz.startRound(channel, { mode: 'practice' })).question.id);
    expect(new Set(seen).size).toBe(3);
    const fourth = await quiz.startRound(channel, { mode: 'practice' });
    expect(seen).toContain(fourth.question.id);
  });

  it('GIVEN an unknown topic THEN the error suggests close matches', async () => {
    const { commands } = setup();
    const reply = await commands.run({ channel, member: alice, isAdmin: false }, 'zzqx-nothing');
    expect(reply.kind).toBe('text');
    expect(reply.kind === 'text' && reply.error).toBe(true);
    expect(reply.kind === 'text' && reply.text).toMatch(/No question matches “zzqx-nothing”/);
  });
});

describe('QuizService answers and reveal', () => {
  async function roundWithAnswers() {
    const ctx = setup();
    const { round } = await ctx.quiz.startRound(channel, { mode: 'scheduled', slotMs: NOV_23_2026, topic: 'cap' });
    return { ...ctx, round };
  }

  it('GIVEN replies in the thread THEN one answer per member is kept, the latest edit wins', async () => {
    const { quiz, store, round, clock } = await roundWithAnswers();
    const base = { channel, threadRef: round.threadRef } as const;
    expect((await quiz.recordAnswer({ ...base, member: alice, text: 'first try', deliveryId: 'm1' })).outcome).toBe('recorded');
    clock.advance(1000);
    expect((await quiz.recordAnswer({ ...base, member: alice, text: 'partition tolerance matters', deliveryId: 'm1:e1' })).outcome).toBe('replaced');
    expect((await quiz.recordAnswer({ ...base, member: alice, text: 'first try', deliveryId: 'm1' })).outcome).toBe('duplicate');
    const answers = await store.answers(round.id);
    expect(answers.map((a) => a.text)).toEqual(['partition tolerance matters']);
  });

  it('GIVEN an answer over the size limit THEN it is refused with the reason, and the earlier answer is kept', async () => {
    const { quiz, store, round } = await roundWithAnswers();
    const base = { channel, threadRef: round.threadRef } as const;
    await quiz.recordAnswer({ ...base, member: alice, text: 'partition tolerance matters', deliveryId: 'm1' });
    const huge = 'consistency '.repeat(20_000);
    expect((await quiz.recordAnswer({ ...base, member: alice, text: huge, deliveryId: 'm2' })).outcome).toBe('too-long');
    expect(privateAnswerReceipt('too-long')).toMatch(/longer than 4,000 characters and was not saved/);
    expect((await store.answers(round.id)).map((a) => a.text)).toEqual(['partition tolerance matters']);
  });

  it('GIVEN a pasted answer THEN the reveal grades each distinct text once, and the paste is participation only', async () => {
    const graded: string[] = [];
    const ctx = setup(undefined, undefined, (q, text) => {
      graded.push(text);
      return pinnedGrade(q, text);
    });
    const { round } = await ctx.quiz.startRound(channel, { mode: 'scheduled', slotMs: NOV_23_2026, topic: 'cap' });
    const base = { channel, threadRef: round.threadRef } as const;
    const text = 'During a partition the nodes cannot agree, so you keep partition tolerance and give up one of the others.';
    await ctx.quiz.recordAnswer({ ...base, member: alice, text, deliveryId: 'a', messageAt: 1 });
    await ctx.quiz.recordAnswer({ ...base, member: bob, text, deliveryId: 'b', messageAt: 2 });
    const view = await ctx.quiz.reveal(round.id);
    expect(graded).toEqual([text]);
    expect(view.feedback.map((f) => [f.member.name, f.covered.length, f.flags])).toEqual([
      ['Alice', 2, []],
      ['Bob', 2, ['copied']],
    ]);
  });

  it('GIVEN a reply in an unrelated thread THEN it is ignored', async () => {
    const { quiz } = await roundWithAnswers();
    const r = await quiz.recordAnswer({ channel, threadRef: 'other', member: alice, text: 'hi there friends', deliveryId: 'x' });
    expect(r.outcome).toBe('unknown-round');
  });

  it('GIVEN answers THEN the reveal grades each, awards points once and posts once', async () => {
    const { quiz, chat, round } = await roundWithAnswers();
    const base = { channel, threadRef: round.threadRef } as const;
    await quiz.recordAnswer({ ...base, member: alice, text: 'you lose partition tolerance or pick during a partition', deliveryId: 'a' });
    await quiz.recordAnswer({ ...base, member: bob, text: 'it is about partition tolerance mostly', deliveryId: 'b' });
    const view = await quiz.reveal(round.id);
    await quiz.reveal(round.id); // a retried reveal job
    expect(chat.reveals).toHaveLength(1);
    expect(view.feedback.map((f) => [f.member.name, f.covered.length, f.points])).toEqual([
      ['Alice', 2, 50],
      ['Bob', 1, 30],
    ]);
    const board = await quiz.leaderboard({ kind: 'channel', channel }, 'week', 'bob');
    expect(board.top.map((e) => [e.name, e.points])).toEqual([
      ['Alice', 50],
      ['Bob', 30],
    ]);
    expect(board.caller?.rank).toBe(2);
    const server = await quiz.leaderboard({ kind: 'server', platform: 'console', serverId: 'local' }, 'all', null);
    expect(server.top).toHaveLength(2);
  });

  it('GIVEN a reply after the reveal THEN it does not count', async () => {
    const { quiz, round } = await roundWithAnswers();
    await quiz.reveal(round.id);
    const r = await quiz.recordAnswer({ channel, threadRef: round.threadRef, member: alice, text: 'partition tolerance late', deliveryId: 'late' });
    expect(r.outcome).toBe('closed');
  });

  it('GIVEN a practice round THEN points go to the practice board only', async () => {
    const { quiz } = setup();
    const { round } = await quiz.startRound(channel, { mode: 'practice', topic: 'cap' });
    await quiz.recordAnswer({ channel, threadRef: round.threadRef, member: alice, text: 'partition tolerance during a partition', deliveryId: 'a' });
    await quiz.reveal(round.id);
    expect((await quiz.leaderboard({ kind: 'channel', channel }, 'all', 'alice')).top).toEqual([]);
    expect((await quiz.leaderboard({ kind: 'practice', platform: 'console', serverId: 'local' }, 'all', 'alice')).top[0]?.points).toBe(50);
  });

  it('GIVEN an empty or one-word reply THEN it earns nothing', async () => {
    const { quiz, round } = await roundWithAnswers();
    await quiz.recordAnswer({ channel, threadRef: round.threadRef, member: alice, text: 'dunno', deliveryId: 'a' });
    const view = await quiz.reveal(round.id);
    expect(view.feedback[0]?.points).toBe(0);
  });
});

describe('CommandRunner', () => {
  it('GIVEN "/quiz leaderboard month" THEN a month board is returned', async () => {
    const { commands } = setup();
    const reply = await commands.run({ channel, member: alice, isAdmin: false }, 'leaderboard month');
    expect(reply.kind === 'board' && reply.board.title).toBe('Leaderboard — this channel, 2026-11');
    expect(reply.kind === 'board' && reply.mine.text).toMatch(/no points on this board yet/);
  });

  it('GIVEN a scheduled round THEN a non-admin cannot reveal it early', async () => {
    const { quiz, commands } = setup();
    await quiz.startRound(channel, { mode: 'scheduled', slotMs: NOV_23_2026 });
    const reply = await commands.run({ channel, member: alice, isAdmin: false }, 'reveal');
    expect(reply.kind === 'text' && reply.text).toMatch(/Only an admin/);
  });

  it('GIVEN no open round THEN reveal explains how to start one', async () => {
    const { commands } = setup();
    const reply = await commands.run({ channel, member: alice, isAdmin: true }, 'reveal');
    expect(reply.kind === 'text' && reply.text).toMatch(/no open question/i);
  });

  it('GIVEN a bad leaderboard option THEN the reply shows the valid ones', async () => {
    const { commands } = setup();
    const reply = await commands.run({ channel, member: alice, isAdmin: false }, 'leaderboard yearly');
    expect(reply.kind === 'text' && reply.text).toMatch(/week\|month\|all/);
    // A word every JavaScript object answers to is no option either.
    for (const word of ['constructor', 'toString', '__proto__']) {
      const r = await commands.run({ channel, member: alice, isAdmin: false }, `leaderboard ${word}`);
      expect(r.kind === 'text' && r.text).toMatch(/week\|month\|all/);
    }
  });
});

describe('rounds that must survive the world', () => {
  it('GIVEN a question removed from content/ while its round is open THEN the reveal uses the snapshot taken at post time', async () => {
    const { quiz, chat } = setup();
    const { round } = await quiz.startRound(channel, { mode: 'scheduled', slotMs: NOV_23_2026, topic: 'cap' });
    await quiz.recordAnswer({ channel, threadRef: round.threadRef, member: alice, text: 'during a partition you choose', deliveryId: 'a' });
    quiz.replaceBank(new QuestionBank([acid, rest])); // cap-theorem deleted (or renamed) on disk
    const view = await quiz.reveal(round.id);
    expect(view.question.id).toBe('cap-theorem');
    expect(view.feedback[0]!.covered.map((k) => k.point)).toEqual(['Must choose C or A during a partition']);
    expect(chat.reveals).toHaveLength(1);
  });

  it('GIVEN another worker posts a round between its creation and the creator taking the lease THEN it is posted once and the creator returns it as posted', async () => {
    const { store, chat, clock, quiz: other } = setup();
    let raced = false;
    // The creator's store: just before its first lease, the other worker posts the round.
    const racing = new Proxy(store, {
      get(target, prop, receiver) {
        if (prop === 'claimRound' && !raced) {
          return async (roundId: string, ...rest: unknown[]) => {
            raced = true;
            await other.post(roundId);
            return (target.claimRound as (...a: unknown[]) => unknown).call(target, roundId, ...rest);
          };
        }
        return Reflect.get(target, prop, receiver) as unknown;
      },
    });
    const creator = new QuizService({
      bank: new QuestionBank([cap, acid, rest]),
      store: racing,
      chat,
      clock,
      random: () => 0,
      scheduler: null,
      logger: silentLogger,
      settings: { defaultTimezone: 'Europe/Berlin', practiceRevealDelayMs: null },
      grade: pinnedGrade,
    });
    const started = await creator.startRound(channel, { mode: 'scheduled', slotMs: NOV_23_2026, topic: 'cap' });
    expect(raced).toBe(true);
    expect(started.created).toBe(true);
    expect(started.round.state).toBe('posted');
    expect(started.round.threadRef).toBe('th1');
    expect(chat.questions).toHaveLength(1);
  });

  it('GIVEN two reveals racing THEN the reveal is posted once and the points applied once', async () => {
    const { quiz, chat } = setup();
    const { round } = await quiz.startRound(channel, { mode: 'scheduled', slotMs: NOV_23_2026, topic: 'cap' });
    await quiz.recordAnswer({ channel, threadRef: round.threadRef, member: alice, text: 'partition tolerance and during a partition', deliveryId: 'a' });
    const results = await Promise.allSettled([quiz.reveal(round.id), quiz.reveal(round.id), quiz.reveal(round.id)]);
    // A loser finds the round leased and fails (its job is retried); it never reports a reveal it did not make.
    for (const r of results) if (r.status === 'rejected') expect((r.reason as Error).name).toBe('RoundBusyError');
    await quiz.reveal(round.id); // the retry
    expect(chat.reveals).toHaveLength(1);
    const board = await quiz.leaderboard({ kind: 'channel', channel }, 'week', null);
    expect(board.top.map((e) => [e.name, e.points])).toEqual([['Alice', 50]]);
  });

  it('GIVEN the practice limit THEN /quiz <topic> is refused with a pointer to the newest open one', async () => {
    const { commands } = setup();
    const ctx = { channel, member: alice, isAdmin: false };
    const limited = setupWithLimit(2);
    for (let i = 0; i < 2; i++) expect((await limited.commands.run(ctx, 'cap')).kind).toBe('posted');
    const refused = await limited.commands.run(ctx, 'acid');
    expect(refused).toMatchObject({ kind: 'text', error: true });
    expect(refused.kind === 'text' && refused.text).toMatch(/already has 2 open practice questions; answer or reveal the newest, “cap theorem”/);
    expect(limited.chat.questions).toHaveLength(2);
    expect((await commands.run(ctx, 'cap')).kind).toBe('posted');
  });

  it('GIVEN a practice round THEN the member who asked may reveal it early; another member may not', async () => {
    const { commands, chat } = setup();
    await commands.run({ channel, member: alice, isAdmin: false }, 'cap');
    const denied = await commands.run({ channel, member: bob, isAdmin: false }, 'reveal');
    expect(denied.kind === 'text' && denied.text).toMatch(/Only Alice or an admin can reveal this question early/);
    expect((await commands.run({ channel, member: alice, isAdmin: false }, 'reveal')).kind).toBe('revealed');
    expect(chat.reveals).toHaveLength(1);
  });
});

function setupWithLimit(max: number) {
  const ctx = setup();
  const quiz = new QuizService({
    bank: new QuestionBank([cap, acid, rest]),
    store: ctx.store,
    chat: ctx.chat,
    clock: ctx.clock,
    random: () => 0,
    scheduler: null,
    logger: silentLogger,
    settings: { defaultTimezone: 'Europe/Berlin', practiceRevealDelayMs: null, maxOpenPractice: max },
    grade: pinnedGrade,
  });
  return { ...ctx, quiz, commands: quizCommands(quiz) };
}
