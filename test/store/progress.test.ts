/**
 * Scoring end to end on real Redis: QuizService + RedisQuizStore + RedisProgressStore, with a
 * controlled clock. Each test gets its own key namespace.
 */
import { afterAll, describe, expect, it } from 'vitest';
import type { RedisClient } from '../../src/store/topology.js';
import { QuestionBank } from '../../src/content/bank.js';
import type { GradeResult } from '../../src/content/types.js';
import { silentLogger } from '../../src/core/ports.js';
import { ProgressService } from '../../src/core/progress/progress.js';
import { QuizService } from '../../src/core/rounds/quiz.js';
import type { ChannelRef, Member, Question } from '../../src/core/types.js';
import { RedisProgressStore } from '../../src/store/progress-store.js';
import { RedisQuizStore } from '../../src/store/redis-store.js';
import { FakeClock, RecordingChat, makeQuestion } from '../helpers/core.js';
import { newNamespace, testRedis } from '../helpers/redis.js';

const clients: RedisClient[] = [];
afterAll(async () => {
  await Promise.all(clients.map((c) => c.quit()));
});

const channel: ChannelRef = { platform: 'discord', serverId: 'g1', channelId: 'c1' };
const alice: Member = { id: 'alice', name: 'Alice' };
const bob: Member = { id: 'bob', name: 'Bob' };
const carol: Member = { id: 'carol', name: 'Carol' };
const dave: Member = { id: 'dave', name: 'Dave' };
const erin: Member = { id: 'erin', name: 'Erin' };

const questions: Question[] = [
  makeQuestion(
    'cap-theorem',
    ['cap', 'distributed-systems'],
    [
      ['c', ['partition tolerance']],
      ['choose', ['during a partition']],
      ['examples', ['cassandra']],
      ['pacelc', ['pacelc']],
    ],
  ),
  makeQuestion(
    'acid',
    ['acid', 'databases'],
    [
      ['a', ['atomicity']],
      ['i', ['isolation']],
      ['d', ['durability']],
      ['c', ['consistency']],
    ],
  ),
];

/** Coverage = share of key points whose first phrase appears; "ok" and shorter earn nothing. */
function pinnedGrade(q: Question, text: string): GradeResult {
  const covered = q.keyPoints.filter((k) => text.includes(k.phrases[0]!));
  const flags: GradeResult['flags'] = text.split(/\s+/).length < 3 ? ['too-short'] : [];
  const coverage = covered.length / q.keyPoints.length;
  return { covered, missed: q.keyPoints.filter((k) => !covered.includes(k)), coverage, quality: flags.length ? 0 : coverage, flags };
}

// Fri 2026-11-20 09:00 UTC; rounds at 09:00 on weekdays.
const FRI = Date.UTC(2026, 10, 20, 9);
const DAY = 86_400_000;

function setup(timezone = 'UTC') {
  const client = testRedis();
  clients.push(client);
  const ns = newNamespace('p');
  const store = new RedisQuizStore(client, ns);
  const progressStore = new RedisProgressStore(client, ns);
  const clock = new FakeClock(FRI);
  const chat = new RecordingChat();
  const quiz = new QuizService({
    bank: new QuestionBank(questions),
    store,
    chat,
    clock,
    random: () => 0,
    scheduler: null,
    logger: silentLogger,
    settings: { defaultTimezone: timezone, practiceRevealDelayMs: null },
    grade: pinnedGrade,
    votesOf: (r) => progressStore.votes(r),
  });
  const progress = new ProgressService({ progress: progressStore, store, clock, defaultTimezone: timezone });
  /** A scheduled round at `at`: members answer, then it is revealed an hour later. */
  async function round(at: number, answers: [Member, string][], opts: { mode?: 'scheduled' | 'practice'; topic?: string } = {}) {
    clock.ms = at;
    const mode = opts.mode ?? 'scheduled';
    const { round } = await quiz.startRound(channel, { mode, ...(mode === 'scheduled' ? { slotMs: at } : {}), topic: opts.topic ?? 'cap' });
    for (const [m, text] of answers) {
      await quiz.recordAnswer({ channel, threadRef: round.threadRef, member: m, text, deliveryId: `${round.id}:${m.id}` });
    }
    clock.ms = at + 3_600_000;
    return { round, reveal: () => quiz.reveal(round.id) };
  }
  const board = (period: 'week' | 'month' | 'all' = 'all', scope: 'channel' | 'server' | 'practice' = 'channel') =>
    quiz.leaderboard(scope === 'channel' ? { kind: 'channel', channel } : { kind: scope, platform: 'discord', serverId: 'g1' }, period, null);
  return { quiz, progress, progressStore, store, clock, chat, round, board };
}

const FULL = 'partition tolerance during a partition cassandra pacelc';
const HALF = 'partition tolerance and during a partition';

describe('points', () => {
  it('GIVEN full, half, too-short and keyword answers THEN points follow the README model', async () => {
    const t = setup();
    const { reveal } = await t.round(FRI, [
      [alice, FULL], // 10 + 40
      [bob, HALF], // 10 + 20
      [carol, 'ok'], // too short: 0
    ]);
    const view = await reveal();
    expect(view.feedback.map((f) => [f.member.id, f.points])).toEqual([
      ['alice', 50],
      ['bob', 30],
      ['carol', 0],
    ]);
    const b = await t.board('all');
    expect(b.top.map((e) => [e.memberId, e.points])).toEqual([
      ['alice', 50],
      ['bob', 30],
    ]);
  });

  it('GIVEN peer votes THEN each distinct voter adds 2, capped at 6, never for oneself, never after the reveal', async () => {
    const t = setup();
    const { round, reveal } = await t.round(FRI, [
      [alice, HALF],
      [bob, 'bob says partition tolerance'],
      [carol, 'carol says nothing useful here'],
      [dave, 'dave says nothing useful here'],
      [erin, 'erin says nothing useful here'],
    ]);
    const v = (voter: Member, target: Member, id = `${voter.id}>${target.id}`) =>
      t.progress.vote({ channel, threadRef: round.threadRef, voter, targetId: target.id, deliveryId: id });
    expect(await v(alice, alice)).toBe('self-vote');
    expect(await v(bob, alice)).toBe('recorded');
    expect(await v(bob, alice, 'redelivered')).toBe('duplicate');
    expect(await v(bob, carol)).toBe('already-voted');
    expect(await v(carol, alice)).toBe('recorded');
    expect(await v(dave, alice)).toBe('recorded');
    expect(await v(erin, alice)).toBe('recorded');
    expect(await v(alice, { id: 'zed', name: 'Zed' })).toBe('no-answer');
    expect(await t.progress.retractVote({ channel, threadRef: round.threadRef, voter: erin, targetId: alice.id })).toBe(true);
    expect(await v(erin, bob)).toBe('recorded');
    const view = await reveal();
    const pts = Object.fromEntries(view.feedback.map((f) => [f.member.id, f.points]));
    expect(pts.alice).toBe(10 + 20 + 6); // 3 voters × 2 = 6 (the cap)
    expect(pts.bob).toBe(10 + 10 + 2);
    expect(await v(dave, bob, 'late')).toBe('closed');
  });

  it('GIVEN the same answer delivered twice and the reveal run twice THEN nothing counts twice', async () => {
    const t = setup();
    const { round, reveal } = await t.round(FRI, [[alice, FULL]]);
    await t.quiz.recordAnswer({ channel, threadRef: round.threadRef, member: alice, text: FULL, deliveryId: `${round.id}:alice` });
    await reveal();
    await reveal();
    expect((await t.board('all')).top).toEqual([expect.objectContaining({ memberId: 'alice', points: 50 })]);
    expect((await t.progress.stats(channel, alice)).answered).toBe(1);
    expect((await t.progressStore.streak(channel, 'alice')).current).toBe(1);
    expect(t.chat.reveals).toHaveLength(1);
  });

  it('GIVEN practice rounds THEN only the practice board moves; scheduled boards and streaks do not', async () => {
    const t = setup();
    const { reveal } = await t.round(FRI, [[alice, FULL]], { mode: 'practice' });
    await reveal();
    expect((await t.board('all', 'channel')).top).toEqual([]);
    expect((await t.board('all', 'server')).top).toEqual([]);
    expect((await t.board('all', 'practice')).top.map((e) => e.points)).toEqual([50]);
    expect((await t.progressStore.streak(channel, 'alice')).current).toBe(0);
    expect((await t.progress.stats(channel, alice)).practice).toBe(1);
  });
});

describe('streaks', () => {
  it('GIVEN a weekday schedule THEN the weekend does not break a streak', async () => {
    const t = setup();
    await (await t.round(FRI, [[alice, FULL]])).reveal();
    await (await t.round(FRI + 3 * DAY, [[alice, FULL]])).reveal(); // Monday
    await (await t.round(FRI + 4 * DAY, [[alice, FULL]])).reveal(); // Tuesday
    expect(await t.progressStore.streak(channel, 'alice')).toMatchObject({ current: 3, best: 3, channelRounds: 3 });
  });

  it('GIVEN one missed round in a month THEN the freeze keeps the streak; a second miss resets it; the next month has a new freeze', async () => {
    const t = setup();
    const NOV2 = Date.UTC(2026, 10, 2, 9);
    await (
      await t.round(NOV2, [
        [alice, FULL],
        [bob, FULL],
      ])
    ).reveal();
    await (
      await t.round(NOV2 + DAY, [
        [alice, FULL],
        [bob, FULL],
      ])
    ).reveal();
    await (await t.round(NOV2 + 2 * DAY, [[bob, FULL]])).reveal(); // alice misses: freeze used
    let s = await t.progressStore.streak(channel, 'alice');
    expect(s).toMatchObject({ current: 2, best: 2, freezeMonth: '2026-11' });
    expect((await t.progress.stats(channel, alice)).freezeAvailable).toBe(false); // November's freeze is spent
    await (
      await t.round(NOV2 + 3 * DAY, [
        [alice, FULL],
        [bob, FULL],
      ])
    ).reveal();
    expect((await t.progressStore.streak(channel, 'alice')).current).toBe(3);
    await (await t.round(NOV2 + 4 * DAY, [[bob, FULL]])).reveal(); // second miss in November: reset
    s = await t.progressStore.streak(channel, 'alice');
    expect(s).toMatchObject({ current: 0, best: 3 });
    const DEC1 = Date.UTC(2026, 11, 1, 9);
    await (
      await t.round(DEC1, [
        [alice, FULL],
        [bob, FULL],
      ])
    ).reveal();
    await (await t.round(DEC1 + DAY, [[alice, FULL]])).reveal(); // bob misses: December's freeze
    await (
      await t.round(DEC1 + 2 * DAY, [
        [alice, FULL],
        [bob, FULL],
      ])
    ).reveal();
    expect(await t.progressStore.streak(channel, 'bob')).toMatchObject({ current: 7, best: 7, freezeMonth: '2026-12' });
  });
});

describe('study groups', () => {
  it('GIVEN a group THEN participation is answers ÷ rounds since joining and the team streak counts rounds everyone answered', async () => {
    const t = setup();
    await t.progress.createGroup(channel, 'Backend-Study', alice);
    await t.progress.joinGroup(channel, 'backend-study', bob);
    await (
      await t.round(FRI, [
        [alice, FULL],
        [bob, HALF],
      ])
    ).reveal();
    await (
      await t.round(FRI + 3 * DAY, [
        [alice, FULL],
        [bob, 'ok'],
      ])
    ).reveal(); // bob's reply is too short
    await t.progress.joinGroup(channel, 'backend-study', carol);
    await (
      await t.round(FRI + 4 * DAY, [
        [alice, FULL],
        [bob, HALF],
        [carol, HALF],
      ])
    ).reveal();
    const { group, participation } = await t.progress.group(channel, 'backend-study');
    expect(group).toMatchObject({ teamStreak: 1, bestTeamStreak: 1 });
    expect(participation.map((p) => [p.memberId, p.answered, p.rounds])).toEqual([
      ['alice', 3, 3],
      ['carol', 1, 1],
      ['bob', 2, 3],
    ]);
    const board = await t.quiz.leaderboard({ kind: 'group', platform: 'discord', serverId: 'g1', group: 'backend-study' }, 'all', 'carol');
    expect(board.top.map((e) => [e.memberId, e.points])).toEqual([
      ['alice', 150],
      ['bob', 60],
      ['carol', 30],
    ]);
    expect(board.caller).toMatchObject({ rank: 3, points: 30 });
  });

  it('GIVEN bad names, duplicates and leaving THEN clear errors, and the last member leaving removes the group', async () => {
    const t = setup();
    await expect(t.progress.createGroup(channel, 'x', alice)).rejects.toThrow(/not a valid group name/);
    await t.progress.createGroup(channel, 'sre', alice);
    await expect(t.progress.createGroup(channel, 'sre', bob)).rejects.toThrow(/already exists/);
    await expect(t.progress.joinGroup(channel, 'sre', alice)).rejects.toThrow(/already in/);
    await expect(t.progress.joinGroup(channel, 'srex', bob)).rejects.toThrow(/no group “srex”. Groups here: sre/);
    await t.progress.createGroup(channel, 'dba', bob);
    expect((await t.progress.stats(channel, alice)).groups).toEqual(['sre']);
    expect(await t.progress.leaveGroup(channel, 'sre', alice)).toBe('deleted');
    expect((await t.progress.groups(channel)).map((g) => g.name)).toEqual(['dba']);
  });
});

describe('stats', () => {
  it('GIVEN several rounds THEN stats show answers, average coverage, strongest and weakest topics', async () => {
    const t = setup();
    await (await t.round(FRI, [[alice, FULL]], { topic: 'cap' })).reveal();
    await (await t.round(FRI + 3 * DAY, [[alice, FULL]], { topic: 'cap' })).reveal();
    await (await t.round(FRI + 4 * DAY, [[alice, 'atomicity only here']], { topic: 'acid' })).reveal();
    await (await t.round(FRI + 5 * DAY, [[alice, 'atomicity and isolation']], { topic: 'acid' })).reveal();
    const s = await t.progress.stats(channel, alice);
    expect(s.answered).toBe(4);
    expect(s.averageCoverage).toBeCloseTo((1 + 1 + 0.25 + 0.5) / 4);
    expect(s.strongest[0]).toMatchObject({ topic: 'cap', answers: 2, coverage: 1 });
    expect(s.weakest).toContainEqual({ topic: 'acid', answers: 2, coverage: 0.375 });
    expect(s.strongest.map((x) => x.topic)).not.toContain('acid');
  });
});
