/** Opens the Redis connection quizbot uses: REDIS_URL when set, else the embedded server. */
import { join, resolve } from 'node:path';
import { Redis, type RedisOptions } from 'ioredis';
import { startEmbeddedRedis, type EmbeddedRedis } from './embedded.js';

export interface RedisHandle {
  url: string;
  embedded: EmbeddedRedis | null;
  /** A new connection (BullMQ wants its own; workers need maxRetriesPerRequest: null). */
  connect(options?: RedisOptions): Redis;
  close(): Promise<void>;
}

export async function openRedis(opts: { url: string | undefined; dataDir: string }): Promise<RedisHandle> {
  const embedded = opts.url ? null : await startEmbeddedRedis({ dir: resolve(join(opts.dataDir, 'redis')) });
  const url = opts.url ?? embedded!.url;
  const clients: Redis[] = [];
  return {
    url,
    embedded,
    connect(options: RedisOptions = {}) {
      const client = new Redis(url, { lazyConnect: false, ...options });
      clients.push(client);
      return client;
    },
    async close() {
      await Promise.allSettled(clients.map((c) => c.quit().catch(() => c.disconnect())));
      if (embedded) await embedded.stop();
    },
  };
}
