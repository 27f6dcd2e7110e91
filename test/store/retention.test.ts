/**
 * Memory: a revealed round's own records expire after QUIZBOT_RETENTION; what users keep (boards,
 * stats, streaks, names) stays. Counts every key a round with answers and votes creates.
 */
import { afterAll, describe, expect, it } from 'vitest';
import { createApp, type App } from '../../src/app.js';
import { loadConfig } from '../../src/config/env.js';
import { silentLogger } from '../../src/core/ports.js';
import type { ChannelRef } from '../../src/core/types.js';
import { RecordingChat } from '../helpers/core.js';
import { allKeys, newNamespace, redisUrl, testRedisHandle } from '../helpers/redis.js';

const apps: App[] = [];
afterAll(async () => {
  for (const a of apps) await a.close();
});

const channel: ChannelRef = { platform: 'discord', serverId: 'g1', channelId: 'c1' };

describe('retention of a round’s records', () => {
  it('GIVEN a revealed round with answers and votes THEN its own keys expire within the retention; boards and stats stay', async () => {
    const prefix = newNamespace('ret');
    const redis = testRedisHandle();
    const app = await createApp({ config: loadConfig({ REDIS_URL: redisUrl(), REDIS_PREFIX: prefix, QUIZBOT_RETENTION: '10d' }), logger: silentLogger, redis });
    apps.push(app);
    app.onClose(() => redis.close());
    app.chat.register('discord', new RecordingChat());
    const { round } = await app.quiz.startRound(channel, { mode: 'scheduled', slotMs: Date.UTC(2026, 10, 23, 9), topic: 'cap', revealAt: null });
    const posted = (await app.store.getRound(round.id))!;
    for (const [i, m] of ['a', 'b', 'c'].entries()) {
      await app.quiz.recordAnswer({
        channel,
        threadRef: posted.threadRef,
        member: { id: m, name: m },
        text: `During a partition you choose consistency or availability, answer ${i}.`,
        deliveryId: `d${i}`,
        messageRef: `m${i}`,
        messageAt: 1_000 + i,
        sentAt: 1_000 + i,
      });
    }
    await app.progress.voteOnMessage({ channel, messageRef: 'm0', voter: { id: 'b', name: 'b' }, deliveryId: 'v1' });
    // A day record of a round long past retention, as years of daily questions leave them.
    const days = app.store.keys.roundDays(channel);
    await app.client.hset(days, '2001-01-01', 'discord.g1.old');
    await app.quiz.reveal(round.id);
    // Day records are bounded by retention (the round's own day stays); member stats expire
    // the retention after the member's last scored answer.
    expect(await app.client.hexists(days, '2001-01-01')).toBe(0);
    expect(await app.client.hget(days, posted.localDate)).toBe(round.id);
    const stats = app.store.keys.stats(channel.platform, channel.serverId, 'a');
    expect(await app.client.exists(stats)).toBe(1);
    const statsTtl = await app.client.pttl(stats);
    expect(statsTtl).toBeGreaterThan(0);
    expect(statsTtl).toBeLessThanOrEqual(10 * 86_400_000);
    const keys = await allKeys(app.client, `${prefix}:*`);
    const withoutTtl: string[] = [];
    for (const key of keys) if ((await app.client.pttl(key)) === -1) withoutTtl.push(key);
    // What stays: boards (all-time), names, streaks, channel/server counters, the day index,
    // the used-question set (member stats expire with retention, above). Nothing named after the round.
    expect(withoutTtl.filter((k) => k.includes(round.id) || k.includes(':slot:') || k.includes(':thread:'))).toEqual([]);
    for (const key of keys.filter((k) => k.includes(round.id))) {
      const ttl = await app.client.pttl(key);
      expect(ttl, key).toBeGreaterThan(0);
      expect(ttl, key).toBeLessThanOrEqual(14 * 86_400_000);
    }
    expect(withoutTtl.some((k) => k.includes(':board:all'))).toBe(true);
    // What only an open round needs is gone at once: the question snapshot and the delivery ids.
    expect(await app.client.hexists(app.store.keys.round(channel, round.id), 'question')).toBe(0);
    expect(await app.client.exists(app.store.keys.deliveries(channel, round.id))).toBe(0);
    expect((await app.quiz.reveal(round.id)).question.id).toBe(round.questionId);
  });
});
