/**
 * A ChatPort that records into Redis, so a test can count posts and reveals made by worker
 * processes it spawned (and killed). It behaves like Slack: no server-side dedupe — a second
 * send is a second message — but a resumed call can find what an earlier attempt sent (message
 * metadata), exactly what the core relies on. Keys live under `<prefix>:{test}:` (one cluster slot, for its transactions).
 */
import type { RedisClient } from '../../src/store/topology.js';
import type { ChatPort, NoticeSendOptions, NoticeView, QuestionPost, RevealProgress, RevealView } from '../../src/core/ports.js';
import { channelKey, type ChannelRef } from '../../src/core/types.js';

export class RedisRecordingChat implements ChatPort {
  constructor(
    private readonly redis: RedisClient,
    private readonly prefix: string,
    private readonly pid = process.pid,
    /** Reveals are sent in this many messages. */
    private readonly parts = 2,
  ) {}

  private k(name: string): string {
    return `${this.prefix}:{test}:${name}`;
  }

  async sendQuestion(channel: ChannelRef, post: QuestionPost, opts: { resume: boolean }): Promise<{ messageRef: string }> {
    if (opts.resume) {
      const found = await this.redis.hget(this.k('messages'), post.round.id);
      if (found) return { messageRef: found };
    }
    const messageRef = `msg-${post.round.id}-${await this.redis.incr(this.k('seq'))}`;
    await this.redis
      .multi()
      .hincrby(this.k('posts'), post.round.id, 1)
      .hset(this.k('messages'), post.round.id, messageRef)
      .rpush(this.k('log'), JSON.stringify({ kind: 'post', channel: channelKey(channel), roundId: post.round.id, slotMs: post.round.slotMs, pid: this.pid }))
      .exec();
    return { messageRef };
  }

  async openThread(_channel: ChannelRef, messageRef: string): Promise<{ threadRef: string }> {
    return { threadRef: `t-${messageRef}` };
  }

  async postReveal(channel: ChannelRef, _threadRef: string, view: RevealView, progress: RevealProgress): Promise<void> {
    for (let part = progress.from; part < this.parts; part++) {
      const resume = await progress.before(part);
      const sent = resume && (await this.redis.hexists(this.k('reveal-parts'), `${view.round.id}#${part}`)) === 1;
      if (!sent) {
        const m = this.redis.multi().hincrby(this.k('reveal-parts'), `${view.round.id}#${part}`, 1);
        if (part === 0) {
          m.hincrby(this.k('reveals'), view.round.id, 1).rpush(
            this.k('log'),
            JSON.stringify({
              kind: 'reveal',
              channel: channelKey(channel),
              roundId: view.round.id,
              members: view.feedback.map((f) => f.member.id),
              pid: this.pid,
            }),
          );
        }
        await m.exec();
      }
      await progress.sent(part);
    }
  }

  async markRevealed(): Promise<void> {}

  async tellMember(): Promise<void> {}

  async setRoleMember(): Promise<void> {}

  /** Counts each notice key sent (Slack semantics: a resumed call finds an earlier send). */
  async sendNotice(_channel: ChannelRef, _threadRef: string | null, notice: NoticeView, opts: NoticeSendOptions): Promise<void> {
    if (opts.resume && (await this.redis.hexists(this.k('notices'), notice.key)) === 1) return;
    await this.redis.hincrby(this.k('notices'), notice.key, 1);
  }

  async notices(): Promise<Record<string, string>> {
    return this.redis.hgetall(this.k('notices'));
  }
}

export async function counts(
  redis: RedisClient,
  prefix: string,
): Promise<{ posts: Record<string, string>; reveals: Record<string, string>; parts: Record<string, string> }> {
  const [posts, reveals, parts] = await Promise.all([
    redis.hgetall(`${prefix}:{test}:posts`),
    redis.hgetall(`${prefix}:{test}:reveals`),
    redis.hgetall(`${prefix}:{test}:reveal-parts`),
  ]);
  return { posts, reveals, parts };
}
