/** Per-test Redis access: the run's private server, a fresh namespace per call. */
import { randomUUID } from 'node:crypto';
import type { RedisOptions } from 'ioredis';
import { inject } from 'vitest';
import type { RedisHandle } from '../../src/store/connection.js';
import { createRedisClient, isCluster, parseRedisUrl, type RedisClient } from '../../src/store/topology.js';

export function redisUrl(): string {
  return inject('redisUrl');
}

export function newNamespace(label = 't'): string {
  return `${label}${randomUUID().slice(0, 8)}`;
}

/** Which topology this test project runs on ('single' or 'cluster'). */
export function topologyKind(): string {
  return parseRedisUrl(redisUrl()).kind;
}

/** A client that tests must quit; collected so afterAll can close them all. */
export function testRedis(options: RedisOptions = {}): RedisClient {
  const client = createRedisClient(parseRedisUrl(redisUrl()), { ...options });
  // Connections closed while a command is in flight report EPIPE; without a listener ioredis
  // prints an "Unhandled error event" trace into the test output.
  client.on('error', () => undefined);
  return client;
}

/** A RedisHandle for createApp on the test run's server: its connections close with the app. */
export function testRedisHandle(): RedisHandle {
  const clients: RedisClient[] = [];
  return {
    url: redisUrl(),
    topology: parseRedisUrl(redisUrl()),
    embedded: null,
    connect: (o) => {
      const c = testRedis(o);
      clients.push(c);
      return c;
    },
    close: async () => {
      await Promise.all(clients.map((c) => c.quit().catch(() => c.disconnect())));
    },
  };
}

/** KEYS across every master of a cluster (or the one server): for tests that audit key sets. */
export async function allKeys(client: RedisClient, pattern: string): Promise<string[]> {
  if (!isCluster(client)) return client.keys(pattern);
  const lists = await Promise.all(client.nodes('master').map((n) => n.keys(pattern)));
  return lists.flat();
}
