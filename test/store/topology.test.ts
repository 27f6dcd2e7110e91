/**
 * REDIS_URL for every topology, and riding out a real Sentinel failover (a primary, its replica
 * and a Sentinel started from redis-server on free ports).
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { loadConfig } from '../../src/config/env.js';
import { assertReachable, outageReporter } from '../../src/store/connection.js';
import { startLocalSentinel, type LocalSentinel } from '../../src/store/local-topology.js';
import { RedisQuizStore } from '../../src/store/redis-store.js';
import { createRedisClient, describeTopology, parseRedisUrl, RedisUrlError } from '../../src/store/topology.js';
import { makeRound, makeQuestion } from '../helpers/core.js';
import { budget, waitFor } from '../helpers/wait.js';

describe('REDIS_URL', () => {
  it('GIVEN each scheme THEN it is read into its topology, credentials kept out of descriptions', () => {
    expect(parseRedisUrl('redis://127.0.0.1:6379')).toEqual({ kind: 'single', url: 'redis://127.0.0.1:6379', tls: false });
    expect(parseRedisUrl('rediss://u:p@cache.example.com:6380/2')).toMatchObject({ kind: 'single', tls: true });
    expect(parseRedisUrl('redis-cluster://app:s%40cret@10.0.0.1:7000,10.0.0.2:7001,[::1]:7002?tls=1')).toEqual({
      kind: 'cluster',
      nodes: [
        { host: '10.0.0.1', port: 7000 },
        { host: '10.0.0.2', port: 7001 },
        { host: '::1', port: 7002 },
      ],
      username: 'app',
      password: 's@cret',
      tls: true,
    });
    expect(parseRedisUrl('redis-cluster://secret@h1,h2:7001')).toMatchObject({
      password: 'secret',
      nodes: [
        { host: 'h1', port: 6379 },
        { host: 'h2', port: 7001 },
      ],
    });
    const s = parseRedisUrl('redis-sentinel://:pw@s1:26379,s2/mymaster?sentinelPassword=sp&db=3');
    expect(s).toEqual({
      kind: 'sentinel',
      sentinels: [
        { host: 's1', port: 26379 },
        { host: 's2', port: 26379 },
      ],
      master: 'mymaster',
      password: 'pw',
      sentinelPassword: 'sp',
      db: 3,
      tls: false,
    });
    expect(describeTopology(s)).toBe('redis-sentinel://s1:26379,s2:26379/mymaster');
    expect(describeTopology(parseRedisUrl('redis://u:hunter2@h:1/0'))).not.toContain('hunter2');
  });

  it('GIVEN a URL it cannot use THEN the error says what is wrong and never echoes the password', () => {
    const cases: [string, RegExp][] = [
      ['http://h:1', /unknown scheme “http:”/],
      ['redis-sentinel://h:26379', /names no master/],
      ['redis-cluster://', /names no host/],
      ['redis-cluster://h:99999', /port out of range/],
      ['redis-cluster://h:1/0', /a cluster has no database/],
      ['localhost:6379', /not a URL|unknown scheme/],
    ];
    for (const [url, why] of cases) expect(() => parseRedisUrl(url), url).toThrow(why);
    try {
      parseRedisUrl('redis-sentinel://user:hunter2@h:1');
    } catch (err) {
      expect(err).toBeInstanceOf(RedisUrlError);
      expect((err as Error).message).not.toContain('hunter2');
    }
    // At start-up the same check stops the configuration, naming the variable only.
    expect(() => loadConfig({ REDIS_URL: 'redis-sentinel://user:hunter2@h:1' })).toThrow(/REDIS_URL: names no master/);
    expect(() => loadConfig({ REDIS_URL: 'redis-sentinel://user:hunter2@h:1' })).not.toThrow(/hunter2/);
    expect(loadConfig({ REDIS_URL: 'redis-cluster://127.0.0.1:7000,127.0.0.1:7001' }).redisUrl).toBe('redis-cluster://127.0.0.1:7000,127.0.0.1:7001');
  });

  it('GIVEN a cluster URL with no node listening THEN the start-up check fails with one clear line', async () => {
    await expect(assertReachable('redis-cluster://127.0.0.1:1,127.0.0.1:2', 2_000)).rejects.toThrow(
      /Cannot reach Redis at REDIS_URL=redis-cluster:\/\/127\.0\.0\.1:1/,
    );
  });
});

describe('Sentinel failover', () => {
  let sentinel: LocalSentinel | null = null;
  const dir = mkdtempSync(join(tmpdir(), 'quizbot-test-sentinel-'));
  afterAll(async () => {
    await sentinel?.stop();
    rmSync(dir, { recursive: true, force: true });
  });

  it('GIVEN a Sentinel URL WHEN the primary fails over THEN writes continue on the new primary, one outage line, no lost round', async () => {
    sentinel = await startLocalSentinel({ dir });
    await assertReachable(sentinel.url, 5_000);
    const warnings: string[] = [];
    const logger = { debug() {}, info() {}, warn: (msg: string) => warnings.push(msg), error() {} };
    const client = createRedisClient(parseRedisUrl(sentinel.url));
    outageReporter(logger, describeTopology(parseRedisUrl(sentinel.url)), () => undefined)(client);
    const store = new RedisQuizStore(client, 'sentinel');
    const channel = { platform: 'discord' as const, serverId: 'g1', channelId: 'c1' };
    const q = makeQuestion('cap-theorem', ['cap'], [['Partition tolerance', ['partition']]]);
    const before = sentinel.currentPrimary();
    const first = await store.createRound(makeRound({ id: 'discord.g1.f1', channel }), q);
    expect(first.created).toBe(true);
    for (let i = 0; i < 20; i++) await client.incr('sentinel:counter');
    // Replication is asynchronous: what the replica acknowledged survives a failover. On a
    // loaded machine the replica may still be syncing: wait until it is connected, then for it.
    await waitFor(
      'the replica connected to the primary',
      async () => /connected_slaves:[1-9]/.test(String(await client.call('INFO', 'replication'))),
      budget(30_000),
    );
    await waitFor('the replica to acknowledge the writes', async () => Number(await client.call('WAIT', '1', '1000')) === 1, budget(30_000));

    // Commands keep being accepted while Sentinel promotes the replica: none fails.
    let failures = 0;
    let stop = false;
    const writer = (async () => {
      while (!stop) {
        await client.incr('sentinel:during').catch(() => failures++);
        await new Promise((r) => setTimeout(r, 20));
      }
    })();
    await sentinel.failover();
    expect(await sentinel.currentPrimary()).not.toBe(await before);
    stop = true;
    await writer;
    expect(failures).toBe(0);
    // Until Sentinel turns the old primary into a replica it still accepts writes that the new
    // primary never sees (asynchronous replication): wait for that, as a deployment's clients do.
    const old = createRedisClient(parseRedisUrl(sentinel.primary.url));
    await waitFor('the old primary to become a replica', async () => ((await old.call('ROLE')) as [string])[0] === 'slave');
    old.disconnect();
    // What was replicated before the failover survived; after it every write lands.
    const base = Number(await client.get('sentinel:counter'));
    expect(base).toBe(20);
    expect(await store.getRound('discord.g1.f1')).not.toBeNull();
    const second = await store.createRound(makeRound({ id: 'discord.g1.f2', channel, slotMs: 2 }), q);
    expect(second.created).toBe(true);
    for (let i = 0; i < 20; i++) await client.incr('sentinel:counter');
    expect(Number(await client.get('sentinel:counter'))).toBe(40);
    expect(await store.getRound('discord.g1.f2')).not.toBeNull();
    // The client follows the promoted node: it is the primary Sentinel names now.
    const role = (await client.call('ROLE')) as [string];
    expect(role[0]).toBe('master');
    expect(warnings.filter((w) => w.includes('lost')).length).toBeLessThanOrEqual(1);
    client.disconnect();
  }, 60_000);
});
