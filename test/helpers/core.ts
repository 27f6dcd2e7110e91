/**
 * Ports for core tests: a controllable clock, a recording chat that behaves like a platform
 * (a send is a send; a resumed call finds what an earlier attempt sent), and the real Redis store
 * on the test run's server (one implementation, tested against the real thing).
 */
import type { ChatPort, Clock, NoticeSendOptions, NoticeView, QuestionPost, RevealProgress, RevealView } from '../../src/core/ports.js';
import type { ChannelRef, Question, Round } from '../../src/core/types.js';
import { RedisQuizStore } from '../../src/store/redis-store.js';
import { newNamespace, testRedis } from './redis.js';
import type { RedisClient } from '../../src/store/topology.js';

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
  questions: { channel: ChannelRef; post: QuestionPost; messageRef: string }[] = [];
  threads: { channel: ChannelRef; messageRef: string; threadRef: string }[] = [];
  /** One entry per reveal message part sent. */
  revealParts: { channel: ChannelRef; threadRef: string; view: RevealView; part: number }[] = [];
  failNextPost = 0;
  /** Reveals are sent in this many parts (platforms split long reveals). */
  parts = 1;
  private n = 0;

  /** Reveals with their first part sent (one per reveal). */
  get reveals(): { channel: ChannelRef; threadRef: string; view: RevealView }[] {
    return this.revealParts.filter((p) => p.part === 0);
  }

  async sendQuestion(channel: ChannelRef, post: QuestionPost, opts: { resume: boolean }): Promise<{ messageRef: string }> {
    if (opts.resume) {
      const found = this.questions.find((q) => q.post.round.id === post.round.id);
      if (found) return { messageRef: found.messageRef };
    }
    if (this.refusePosts) throw this.refusePosts;
    if (this.failNextPost > 0) {
      this.failNextPost--;
      throw new Error('platform unavailable');
    }
    const messageRef = `m${++this.n}`;
    this.questions.push({ channel, post, messageRef });
    return { messageRef };
  }

  async openThread(channel: ChannelRef, messageRef: string): Promise<{ threadRef: string }> {
    const existing = this.threads.find((t) => t.messageRef === messageRef);
    if (existing) return { threadRef: existing.threadRef };
    const threadRef = `th${messageRef.slice(1)}`;
    this.threads.push({ channel, messageRef, threadRef });
    return { threadRef };
  }

  async postReveal(channel: ChannelRef, threadRef: string, view: RevealView, progress: RevealProgress): Promise<void> {
    for (let part = progress.from; part < this.parts; part++) {
      const resume = await progress.before(part);
      const sent = resume && this.revealParts.some((p) => p.view.round.id === view.round.id && p.part === part);
      if (!sent) this.revealParts.push({ channel, threadRef, view, part });
      await progress.sent(part);
    }
  }

  /** Question messages marked revealed (button removed), by message ref. */
  revealedMarks: string[] = [];
  /** Private messages to members (null: the server's admin). */
  told: { channel: ChannelRef; memberId: string | null; text: string }[] = [];
  /** Throw this from the next sendQuestion calls (e.g. a ChannelUnavailableError). */
  refusePosts: Error | null = null;

  async markRevealed(_channel: ChannelRef, messageRef: string): Promise<void> {
    this.revealedMarks.push(messageRef);
  }

  async tellMember(channel: ChannelRef, memberId: string | null, text: string): Promise<void> {
    this.told.push({ channel, memberId, text });
  }

  /** Notify-role changes: role → members in it. */
  notify = new Map<string, Set<string>>();

  async setRoleMember(_channel: ChannelRef, role: string, memberId: string, on: boolean): Promise<void> {
    const m = this.notify.get(role) ?? new Set<string>();
    if (on) m.add(memberId);
    else m.delete(memberId);
    this.notify.set(role, m);
  }

  /** Notices sent (Slack semantics: every call sends; a resumed call finds an earlier send). */
  notices: { channel: ChannelRef; threadRef: string | null; notice: NoticeView }[] = [];
  /** Throw after sending the next notice (a crash between the platform call and recording it). */
  crashAfterNextNotice = false;

  async sendNotice(channel: ChannelRef, threadRef: string | null, notice: NoticeView, opts: NoticeSendOptions): Promise<void> {
    if (opts.resume && this.notices.some((n) => n.notice.key === notice.key)) return;
    this.notices.push({ channel, threadRef, notice });
    if (this.crashAfterNextNotice) {
      this.crashAfterNextNotice = false;
      throw new Error('crashed after sending');
    }
  }
}

const storeClients: RedisClient[] = [];

/** A RedisQuizStore in a fresh namespace of the test run's Redis (closed by closeTestStores). */
export function testStore(): RedisQuizStore {
  const client = testRedis();
  storeClients.push(client);
  return new RedisQuizStore(client, newNamespace('core'));
}

export async function closeTestStores(): Promise<void> {
  await Promise.all(storeClients.splice(0).map((c) => c.quit().catch(() => c.disconnect())));
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
    ...makeQuestion(
      'long-answer',
      ['long'],
      [
        ['a', ['alpha']],
        ['b', ['beta']],
        ['c', ['gamma']],
      ],
    ),
    title: 'A question with a very long sample answer',
    sampleAnswers: [
      { source: null, text: Array.from({ length: paragraphs }, (_, i) => `Paragraph ${i}: ${'lorem ipsum dolor sit amet '.repeat(3)}`).join('\n\n') },
    ],
  };
}

/** A round in state `created` with neutral defaults; tests override what they care about. */
export function makeRound(over: Partial<Round> & Pick<Round, 'id' | 'channel'>): Round {
  return {
    questionId: 'cap-theorem',
    mode: 'scheduled',
    slotMs: null,
    localDate: '2026-11-23',
    timezone: 'UTC',
    postedAt: 1_000,
    revealAt: null,
    threadRef: null,
    messageRef: null,
    state: 'created',
    status: 'open',
    revealedAt: null,
    startedBy: null,
    requestedBy: null,
    revealSent: 0,
    revealIntent: -1,
    ...over,
  };
}
