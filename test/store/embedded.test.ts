import { existsSync, mkdtempSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Redis } from 'ioredis';
import { afterAll, describe, expect, it } from 'vitest';
import { RedisNotInstalledError, startEmbeddedRedis } from '../../src/store/embedded.js';

const dirs: string[] = [];
afterAll(() => {
  for (const d of dirs) rmSync(d, { recursive: true, force: true });
});

function tempDir(): string {
  const d = mkdtempSync(join(tmpdir(), 'quizbot-embedded-'));
  dirs.push(d);
  return d;
}

describe('embedded redis-server', () => {
  it('GIVEN no REDIS_URL THEN a private server starts on a free port with AOF data in our directory, and stops', async () => {
    const dir = join(tempDir(), 'redis');
    const redis = await startEmbeddedRedis({ dir });
    const client = new Redis(redis.url);
    try {
      expect(await client.config('GET', 'appendonly')).toEqual(['appendonly', 'yes']);
      expect(await client.config('GET', 'appendfsync')).toEqual(['appendfsync', 'everysec']);
      expect(await client.config('GET', 'maxmemory-policy')).toEqual(['maxmemory-policy', 'noeviction']);
      await client.set('k', 'v');
    } finally {
      await client.quit();
      await redis.stop();
    }
    expect(existsSync(dir)).toBe(true);
    expect(readdirSync(dir).some((f) => f.startsWith('appendonly'))).toBe(true);
  });

  it('GIVEN data written before a restart THEN it is still there after (AOF)', async () => {
    const dir = join(tempDir(), 'redis');
    const first = await startEmbeddedRedis({ dir });
    const c1 = new Redis(first.url);
    await c1.set('survives', 'yes');
    await c1.quit();
    await first.stop();
    const second = await startEmbeddedRedis({ dir });
    const c2 = new Redis(second.url);
    try {
      expect(await c2.get('survives')).toBe('yes');
    } finally {
      await c2.quit();
      await second.stop();
    }
  });

  it('GIVEN redis-server is not installed THEN the error says how to install it or use REDIS_URL', async () => {
    const err = await startEmbeddedRedis({ dir: tempDir(), binary: 'redis-server-not-installed-here' }).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(RedisNotInstalledError);
    const msg = (err as Error).message;
    expect(msg).toContain('sudo apt-get install -y redis-server');
    expect(msg).toContain('brew install redis');
    expect(msg).toContain('REDIS_URL=redis://127.0.0.1:6379');
  });
});
