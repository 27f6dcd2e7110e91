/** Per-test Redis access: the run's private server, a fresh namespace per call. */
import { randomUUID } from 'node:crypto';
import { Redis, type RedisOptions } from 'ioredis';
import { inject } from 'vitest';
import type { RedisHandle } from '../../src/store/connection.js';

export function redisUrl(): string {
  return inject('redisUrl');
}

export function newNamespace(label = 't'): string {
  return `${label}${randomUUID().slice(0, 8)}`;
}

/** A client that tests must quit; collected so afterAll can close them all. */
export function testRedis(options: RedisOptions = {}): Redis {
  const client = new Redis(redisUrl(), { ...options });
  // Connections closed while a command is in flight report EPIPE; without a listener ioredis
  // prints an "Unhandled error event" trace into the test output.
  client.on('error', () => undefined);
  return client;
}

/** A RedisHandle for createApp on the test run's server: its connections close with the app. */
export function testRedisHandle(): RedisHandle {
  const clients: Redis[] = [];
  return {
    url: redisUrl(),
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
