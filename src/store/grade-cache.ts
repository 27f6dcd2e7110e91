/** The model grader's replies in Redis, per question and answer hash, so every attempt grades alike. */
import type { GradeCache } from '../content/model-grader.js';
import type { Keys } from './keys.js';
import type { RedisClient } from './topology.js';

/** How long a model reply is reused (a relative expiry, renewed by each new grade). */
const GRADES_TTL_MS = 30 * 86_400_000;

export class RedisGradeCache implements GradeCache {
  constructor(
    private readonly redis: RedisClient,
    private readonly keys: Keys,
  ) {}

  async get(questionId: string, hashes: string[]): Promise<Map<string, string>> {
    const out = new Map<string, string>();
    if (!hashes.length) return out;
    const values = await this.redis.hmget(this.keys.modelGrades(questionId), ...hashes);
    values.forEach((v, i) => {
      if (v !== null) out.set(hashes[i]!, v);
    });
    return out;
  }

  async set(questionId: string, entries: Map<string, string>): Promise<void> {
    const key = this.keys.modelGrades(questionId);
    await this.redis.multi().hset(key, Object.fromEntries(entries)).pexpire(key, GRADES_TTL_MS).exec();
  }
}
