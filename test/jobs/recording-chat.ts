/**
 * A ChatPort that records into Redis, so a test can count posts and reveals made by worker
 * processes it spawned. Keys live under `<prefix>:test:`.
 */
import type { Redis } from 'ioredis';
import type { ChatPort, QuestionPost, RevealView } from '../../src/core/ports.js';
import { channelKey, type ChannelRef } from '../../src/core/types.js';

export class RedisRecordingChat implements ChatPort {
  constructor(
    private readonly redis: Redis,
    private readonly prefix: string,
    private readonly pid = process.pid,
  ) {}

  async postQuestion(channel: ChannelRef, post: QuestionPost): Promise<{ threadRef: string }> {
    await this.redis
      .multi()
      .hincrby(`${this.prefix}:test:posts`, post.round.id, 1)
      .rpush(`${this.prefix}:test:log`, JSON.stringify({ kind: 'post', channel: channelKey(channel), roundId: post.round.id, slotMs: post.round.slotMs, pid: this.pid }))
      .exec();
    return { threadRef: `t-${post.round.id}` };
  }

  async postReveal(channel: ChannelRef, _threadRef: string, view: RevealView): Promise<void> {
    await this.redis
      .multi()
      .hincrby(`${this.prefix}:test:reveals`, view.round.id, 1)
      .rpush(
        `${this.prefix}:test:log`,
        JSON.stringify({ kind: 'reveal', channel: channelKey(channel), roundId: view.round.id, members: view.feedback.map((f) => f.member.id), pid: this.pid }),
      )
      .exec();
  }

  async postNotice(): Promise<void> {}
}

export async function counts(redis: Redis, prefix: string): Promise<{ posts: Record<string, string>; reveals: Record<string, string> }> {
  const [posts, reveals] = await Promise.all([redis.hgetall(`${prefix}:test:posts`), redis.hgetall(`${prefix}:test:reveals`)]);
  return { posts, reveals };
}
