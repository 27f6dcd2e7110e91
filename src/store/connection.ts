/**
 * Opens the Redis connection quizbot uses: REDIS_URL when set, else the embedded server.
 *
 * Failing clearly: at start-up an unreachable Redis is one line naming REDIS_URL (password hidden)
 * within seconds, never a stream of stack traces. During an outage every connection queues its
 * commands and reconnects; the outage is logged once when it starts and once when it ends.
 */
import { join, resolve } from 'node:path';
import type { RedisOptions } from 'ioredis';
import type { Logger } from '../core/ports.js';
import { silentLogger } from '../core/ports.js';
import { scrubSecrets } from '../logger.js';
import { startEmbeddedRedis, type EmbeddedRedis } from './embedded.js';
import { createRedisClient, describeTopology, parseRedisUrl, pingRedis, type RedisClient, type RedisTopology } from './topology.js';

export interface RedisHandle {
  url: string;
  topology: RedisTopology;
  embedded: EmbeddedRedis | null;
  /** A new connection (BullMQ wants its own; workers need maxRetriesPerRequest: null). */
  connect(options?: RedisOptions): RedisClient;
  close(): Promise<void>;
  /** Called on every reconnection attempt of any connection (metrics). */
  onReconnect?(fn: () => void): void;
}

/** REDIS_URL points at a server that does not answer. */
export class RedisUnreachableError extends Error {
  constructor(url: string, reason: string) {
    super(
      `Cannot reach Redis at REDIS_URL=${scrubSecrets(url)} (${reason}). Start it or fix REDIS_URL; leave REDIS_URL unset to use the embedded redis-server.`,
    );
    this.name = 'RedisUnreachableError';
  }
}

/** Start-up check: one connection attempt with a deadline (for a cluster: the slots are served). */
export async function assertReachable(url: string, timeoutMs = 8_000): Promise<void> {
  try {
    await pingRedis(parseRedisUrl(url), timeoutMs);
  } catch (err) {
    const e = err as NodeJS.ErrnoException;
    throw new RedisUnreachableError(url, e.code ?? e.message);
  }
}

/**
 * Watches a set of connections: the first reconnect attempt of an outage is a warning, the first
 * `ready` after it says how long it lasted. The error listener also keeps ioredis from printing
 * every retry's stack.
 */
export function outageReporter(logger: Logger, url: string, onReconnect: () => void): (client: RedisClient) => void {
  let since: number | null = null;
  let lastError = 'connection closed';
  const lost = () => {
    if (since !== null) return;
    since = Date.now();
    logger.warn('Redis connection lost; commands wait while reconnecting', { redis: scrubSecrets(url), reason: lastError });
  };
  return (client) => {
    // Errors alone are not the signal (a quick restart may raise none); a reconnect attempt is.
    client.on('error', (err: NodeJS.ErrnoException) => {
      lastError = err.code ?? err.message;
    });
    client.on('reconnecting', () => {
      onReconnect();
      lost();
    });
    client.on('ready', () => {
      if (since === null) return;
      logger.warn('Redis connection restored', { redis: scrubSecrets(url), outageMs: Date.now() - since });
      since = null;
    });
  };
}

export async function openRedis(opts: { url: string | undefined; dataDir: string; logger?: Logger }): Promise<RedisHandle> {
  if (opts.url) await assertReachable(opts.url);
  const embedded = opts.url ? null : await startEmbeddedRedis({ dir: resolve(join(opts.dataDir, 'redis')) });
  const url = opts.url ?? embedded!.url;
  const topology = parseRedisUrl(url);
  const clients: RedisClient[] = [];
  const reconnectHooks: (() => void)[] = [];
  const watch = outageReporter(opts.logger ?? silentLogger, describeTopology(topology), () => reconnectHooks.forEach((f) => f()));
  return {
    url,
    topology,
    embedded,
    connect(options: RedisOptions = {}) {
      const client = createRedisClient(topology, { lazyConnect: false, ...options });
      watch(client);
      clients.push(client);
      return client;
    },
    onReconnect(fn) {
      reconnectHooks.push(fn);
    },
    async close() {
      await Promise.allSettled(clients.map((c) => c.quit().catch(() => c.disconnect())));
      if (embedded) await embedded.stop();
    },
  };
}
