/** In-memory ports for core unit tests: a controllable clock, a recording chat, a memory store. */
import type {
  BoardTarget,
  ChatPort,
  Clock,
  CreateRoundResult,
  QuestionPost,
  QuizStore,
  RecordOutcome,
  RevealView,
  ScoreEntry,
} from '../../src/core/ports.js';
import type { Answer, Board, ChannelRef, Question, Round } from '../../src/core/types.js';
import { channelKey } from '../../src/core/types.js';

export class FakeClock implements Clock {
  constructor(public ms: number) {}
  now(): number {
    return this.ms;
  }
  advance(ms: number): void {
    this.ms += ms;
  }
}

export class RecordingChat implements ChatPort {
  questions: { channel: ChannelRef; post: QuestionPost }[] = [];
  reveals: { channel: ChannelRef; threadRef: string; view: RevealView }[] = [];
  notices: { channel: ChannelRef; text: string }[] = [];
  failNextPost = 0;
  private n = 0;

  async postQuestion(channel: ChannelRef, post: QuestionPost): Promise<{ threadRef: string }> {
    if (this.failNextPost > 0) {
      this.failNextPost--;
      throw new Error('platform unavailable');
    }
    this.questions.push({ channel, post });
    return { threadRef: `th${++this.n}` };
  }
  async postReveal(channel: ChannelRef, threadRef: string, view: RevealView): Promise<void> {
    this.reveals.push({ channel, threadRef, view });
  }
  async postNotice(channel: ChannelRef, _t: string | null, text: string): Promise<void> {
    this.notices.push({ channel, text });
  }
}

const TWO_32 = 2 ** 32;

/** A QuizStore with the same semantics as the Redis one, for fast core tests. */
export class MemoryStore implements QuizStore {
  rounds = new Map<string, Round>();
  slots = new Map<string, string>();
  threads = new Map<string, string>();
  answersBy = new Map<string, Map<string, Answer>>();
  deliveries = new Map<string, Set<string>>();
  scored = new Set<string>();
  boards = new Map<string, Map<string, number>>();
  names = new Map<string, string>();
  locks = new Set<string>();
  done = new Set<string>();
  used = new Map<string, Set<string>>();

  async createRound(round: Round): Promise<CreateRoundResult> {
    if (round.slotMs !== null) {
      const key = `${channelKey(round.channel)}@${round.slotMs}`;
      const existing = this.slots.get(key);
      if (existing) return { created: false, round: { ...this.rounds.get(existing)! } };
      this.slots.set(key, round.id);
    }
    const existing = this.rounds.get(round.id);
    if (existing) return { created: false, round: { ...existing } };
    this.rounds.set(round.id, { ...round });
    return { created: true, round: { ...round } };
  }
  async getRound(id: string): Promise<Round | null> {
    const r = this.rounds.get(id);
    return r ? { ...r } : null;
  }
  async setThread(id: string, threadRef: string): Promise<void> {
    const r = this.rounds.get(id)!;
    r.threadRef = threadRef;
    this.threads.set(`${channelKey(r.channel)}#${threadRef}`, id);
  }
  async roundByThread(channel: ChannelRef, threadRef: string): Promise<Round | null> {
    const id = this.threads.get(`${channelKey(channel)}#${threadRef}`);
    return id ? this.getRound(id) : null;
  }
  async openRounds(channel: ChannelRef): Promise<Round[]> {
    return [...this.rounds.values()]
      .filter((r) => channelKey(r.channel) === channelKey(channel) && r.status === 'open')
      .sort((a, b) => b.postedAt - a.postedAt)
      .map((r) => ({ ...r }));
  }
  async recordAnswer(_round: Round, a: Answer): Promise<RecordOutcome> {
    const r = this.rounds.get(a.roundId);
    if (!r) return 'unknown-round';
    const seen = this.deliveries.get(a.roundId) ?? new Set<string>();
    this.deliveries.set(a.roundId, seen);
    if (seen.has(a.deliveryId)) return 'duplicate';
    if (r.status !== 'open') return 'closed';
    seen.add(a.deliveryId);
    const m = this.answersBy.get(a.roundId) ?? new Map<string, Answer>();
    this.answersBy.set(a.roundId, m);
    const prev = m.get(a.member.id);
    if (prev && prev.receivedAt > a.receivedAt) return 'stale';
    m.set(a.member.id, a);
    return prev ? 'replaced' : 'recorded';
  }
  async answers(id: string): Promise<Answer[]> {
    return [...(this.answersBy.get(id)?.values() ?? [])].sort((a, b) => a.receivedAt - b.receivedAt);
  }
  async closeRound(id: string, at: number): Promise<boolean> {
    const r = this.rounds.get(id);
    if (!r || r.status !== 'open') return false;
    r.status = 'revealed';
    r.revealedAt = at;
    return true;
  }
  boardKey(t: BoardTarget): string {
    return `${JSON.stringify(t.scope)}|${t.period}|${t.periodKey}`;
  }
  async applyScores(round: Round, entries: ScoreEntry[], targets: BoardTarget[], at: number): Promise<boolean> {
    if (this.scored.has(round.id)) return false;
    this.scored.add(round.id);
    const sec = Math.floor(at / 1000);
    for (const e of entries) {
      this.names.set(e.member.id, e.member.name);
      for (const t of targets) {
        const b = this.boards.get(this.boardKey(t)) ?? new Map<string, number>();
        this.boards.set(this.boardKey(t), b);
        const old = Math.floor((b.get(e.member.id) ?? 0) / TWO_32);
        b.set(e.member.id, (old + e.points) * TWO_32 + (TWO_32 - 1 - sec));
      }
    }
    return true;
  }
  async readBoard(t: BoardTarget, callerId: string | null, limit: number): Promise<Board> {
    const b = [...(this.boards.get(this.boardKey(t)) ?? new Map<string, number>()).entries()].sort(
      (x, y) => y[1] - x[1] || (y[0] < x[0] ? -1 : 1),
    );
    const entry = ([id, s]: [string, number], i: number) => ({ rank: i + 1, memberId: id, name: this.names.get(id) ?? id, points: Math.floor(s / TWO_32) });
    const all = b.map(entry);
    return { scope: t.scope, period: t.period, periodKey: t.periodKey, top: all.slice(0, limit), caller: all.find((e) => e.memberId === callerId) ?? null };
  }
  async tryLock(name: string): Promise<boolean> {
    if (this.locks.has(name)) return false;
    this.locks.add(name);
    return true;
  }
  async unlock(name: string): Promise<void> {
    this.locks.delete(name);
  }
  async markDone(name: string): Promise<boolean> {
    if (this.done.has(name)) return false;
    this.done.add(name);
    return true;
  }
  async isDone(name: string): Promise<boolean> {
    return this.done.has(name);
  }
  async usedQuestions(c: ChannelRef): Promise<Set<string>> {
    return new Set(this.used.get(channelKey(c)) ?? []);
  }
  async markQuestionUsed(c: ChannelRef, id: string): Promise<void> {
    const s = this.used.get(channelKey(c)) ?? new Set<string>();
    s.add(id);
    this.used.set(channelKey(c), s);
  }
  async resetUsedQuestions(c: ChannelRef): Promise<void> {
    this.used.delete(channelKey(c));
  }
}

/** A small, hand-written question for core tests (the real bank is tested in test/content). */
export function makeQuestion(id: string, topics: string[], points: [string, string[]][]): Question {
  return {
    id,
    title: id.replace(/-/g, ' '),
    topics,
    aliases: [],
    level: 'mid',
    kind: 'technical',
    sources: [],
    keyPoints: points.map(([point, phrases], i) => ({ id: `k${i}`, point, phrases })),
    prompt: `Explain ${id.replace(/-/g, ' ')}.`,
    lookFor: '',
    sampleAnswers: [{ source: null, text: `A sample answer about ${id}.` }],
    editorNote: null,
    file: `${id}.md`,
  };
}

/** A question whose sample answer is `paragraphs` paragraphs long (splitting tests). */
export function longAnswerQuestion(paragraphs: number): Question {
  return {
    ...makeQuestion('long-answer', ['long'], [['a', ['alpha']], ['b', ['beta']], ['c', ['gamma']]]),
    title: 'A question with a very long sample answer',
    sampleAnswers: [{ source: null, text: Array.from({ length: paragraphs }, (_, i) => `Paragraph ${i}: ${'lorem ipsum dolor sit amet '.repeat(3)}`).join('\n\n') }],
  };
}
