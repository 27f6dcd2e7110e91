/** Channel schedules and skipped-slot records in Redis (keys from ./keys.ts). */
import type { RedisClient } from './topology.js';
import type { RecapPeriod, ScheduleStore } from '../core/ports.js';
import type { ChannelSchedule } from '../core/schedule/schedule.js';
import { channelKey, type ChannelRef } from '../core/types.js';
import { createKeys, type Keys } from './keys.js';

const SKIP_TTL_S = 90 * 24 * 3600;

export class RedisScheduleStore implements ScheduleStore {
  readonly keys: Keys;

  constructor(
    private readonly redis: RedisClient,
    namespace = 'qb',
  ) {
    this.keys = createKeys(namespace);
  }

  async getSchedule(channel: ChannelRef): Promise<ChannelSchedule | null> {
    const raw = await this.redis.get(this.keys.schedule(channel));
    return raw ? (JSON.parse(raw) as ChannelSchedule) : null;
  }

  async saveSchedule(s: ChannelSchedule): Promise<void> {
    // The schedule first, then the index: a crash in between leaves a schedule the next save
    // indexes; never an index entry without a schedule.
    await this.redis.set(this.keys.schedule(s.channel), JSON.stringify(s));
    await this.redis.hset(this.keys.scheduleIndex(), channelKey(s.channel), JSON.stringify(s.channel));
  }

  async allSchedules(): Promise<ChannelSchedule[]> {
    const index = await this.redis.hvals(this.keys.scheduleIndex());
    const channels = index.map((v) => JSON.parse(v) as ChannelRef);
    const out: ChannelSchedule[] = [];
    // Schedules of different servers live in different cluster slots: concurrent single-key
    // reads (ioredis routes each to its node), 100 at a time, instead of one cross-slot pipeline.
    for (let i = 0; i < channels.length; i += 100) {
      const raws = await Promise.all(channels.slice(i, i + 100).map((c) => this.redis.get(this.keys.schedule(c))));
      for (const raw of raws) if (raw) out.push(JSON.parse(raw) as ChannelSchedule);
    }
    return out;
  }

  /** The due index member of a channel: its ChannelRef as JSON, fields in a fixed order. */
  private member(c: ChannelRef): string {
    return JSON.stringify({ platform: c.platform, serverId: c.serverId, channelId: c.channelId });
  }

  async setDue(channel: ChannelRef, slotMs: number | null): Promise<void> {
    if (slotMs === null) await this.redis.zrem(this.keys.schedulesDue(), this.member(channel));
    else await this.redis.zadd(this.keys.schedulesDue(), slotMs, this.member(channel));
  }

  /** Points the due index at `slotMs` (null: out of it) and returns what it held, in one round trip. */
  async swapDue(channel: ChannelRef, slotMs: number | null): Promise<number | null> {
    const key = this.keys.schedulesDue();
    const member = this.member(channel);
    const p = this.redis.pipeline().zscore(key, member);
    if (slotMs === null) p.zrem(key, member);
    else p.zadd(key, slotMs, member);
    const res = await p.exec();
    if (!res) throw new Error('swapDue: pipeline aborted');
    for (const [err] of res) if (err) throw err;
    const v = res[0]![1] as string | null;
    return v === null ? null : Number(v);
  }

  async dueOf(channel: ChannelRef): Promise<number | null> {
    const v = await this.redis.zscore(this.keys.schedulesDue(), this.member(channel));
    return v === null ? null : Number(v);
  }

  async dueChannels(beforeMs: number, limit: number): Promise<{ channel: ChannelRef; slotMs: number }[]> {
    const flat = await this.redis.zrangebyscore(this.keys.schedulesDue(), '-inf', Math.round(beforeMs), 'WITHSCORES', 'LIMIT', 0, limit);
    const out: { channel: ChannelRef; slotMs: number }[] = [];
    for (let i = 0; i < flat.length; i += 2) out.push({ channel: JSON.parse(flat[i]!) as ChannelRef, slotMs: Number(flat[i + 1]) });
    return out;
  }

  async unindexed(): Promise<ChannelRef[]> {
    const [indexed, scheduled] = await Promise.all([this.redis.zcard(this.keys.schedulesDue()), this.redis.hlen(this.keys.scheduleIndex())]);
    if (indexed >= scheduled) return [];
    const channels = (await this.redis.hvals(this.keys.scheduleIndex())).map((v) => JSON.parse(v) as ChannelRef);
    const out: ChannelRef[] = [];
    for (let i = 0; i < channels.length; i += 200) {
      const batch = channels.slice(i, i + 200);
      const p = this.redis.pipeline();
      for (const c of batch) p.zscore(this.keys.schedulesDue(), this.member(c));
      const res = (await p.exec()) ?? [];
      res.forEach(([err, score], j) => {
        if (!err && score === null) out.push(batch[j]!);
      });
    }
    return out;
  }

  /** A channel's entry in the recap index: "<period> <channel>". */
  private recapMember(channel: ChannelRef, period: RecapPeriod): string {
    return `${period} ${this.member(channel)}`;
  }

  async setRecapDue(channel: ChannelRef, period: RecapPeriod, atMs: number | null): Promise<void> {
    const member = this.recapMember(channel, period);
    if (atMs === null) await this.redis.zrem(this.keys.recapsDue(), member);
    else await this.redis.zadd(this.keys.recapsDue(), atMs, member);
  }

  async indexRecaps(channel: ChannelRef, due: readonly { period: RecapPeriod; atMs: number }[]): Promise<void> {
    if (due.length === 0) return;
    await this.redis.zadd(this.keys.recapsDue(), 'NX', ...due.flatMap((d) => [d.atMs, this.recapMember(channel, d.period)]));
  }

  async dueRecaps(beforeMs: number, limit: number): Promise<{ channel: ChannelRef; period: RecapPeriod; atMs: number }[]> {
    const flat = await this.redis.zrangebyscore(this.keys.recapsDue(), '-inf', Math.round(beforeMs), 'WITHSCORES', 'LIMIT', 0, limit);
    const out: { channel: ChannelRef; period: RecapPeriod; atMs: number }[] = [];
    for (let i = 0; i < flat.length; i += 2) {
      const [period, json] = [flat[i]!.slice(0, flat[i]!.indexOf(' ')), flat[i]!.slice(flat[i]!.indexOf(' ') + 1)];
      out.push({ channel: JSON.parse(json) as ChannelRef, period: period as RecapPeriod, atMs: Number(flat[i + 1]) });
    }
    return out;
  }

  async recordSkip(channel: ChannelRef, slotMs: number, reason: string): Promise<boolean> {
    const key = this.keys.skips(channel);
    const [[, added]] = (await this.redis.multi().hsetnx(key, String(slotMs), reason).expire(key, SKIP_TTL_S).exec()) as [[Error | null, number]];
    return added === 1;
  }

  async skipReason(channel: ChannelRef, slotMs: number): Promise<string | null> {
    return this.redis.hget(this.keys.skips(channel), String(slotMs));
  }
}
