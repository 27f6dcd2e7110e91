import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Redis } from 'ioredis';
import { afterAll, describe, expect, it } from 'vitest';
import { RedisNotInstalledError, startEmbeddedRedis } from '../../src/store/embedded.js';
import { budget, waitFor } from '../helpers/wait.js';

const dirs: string[] = [];
afterAll(() => {
  for (const d of dirs) rmSync(d, { recursive: true, force: true });
});

function tempDir(): string {
  const d = mkdtempSync(join(tmpdir(), 'quizbot-embedded-'));
  dirs.push(d);
  return d;
}

/** Whether the AOF files under `dir` hold `text`: written there, a write survives a killed server. */
function inAof(dir: string, text: string): boolean {
  const aofDir = join(dir, 'appendonlydir');
  if (!existsSync(aofDir)) return false;
  return readdirSync(aofDir).some((f) => f.endsWith('.aof') && readFileSync(join(aofDir, f)).includes(text));
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

describe('embedded redis-server supervision and clean-up', { timeout: budget(30_000) }, () => {
  it('GIVEN the server is killed THEN it is restarted from its AOF on the same port and the data is there', async () => {
    const dir = join(tempDir(), 'redis');
    const redis = await startEmbeddedRedis({ dir });
    const client = new Redis(redis.url, { maxRetriesPerRequest: null });
    client.on('error', () => undefined);
    try {
      await client.set('kept', 'yes');
      // appendfsync everysec may hold a write back while an fsync runs: wait until it is in the file.
      await waitFor('the write in the AOF', async () => inAof(dir, 'kept'), budget(10_000));
      const before = redis.pid();
      process.kill(before!, 'SIGKILL');
      // Commands queue while the connection is down and run once the restarted server answers.
      expect(await client.get('kept')).toBe('yes');
      expect(redis.pid()).not.toBe(before);
    } finally {
      client.disconnect();
      await redis.stop();
    }
  });

  it.each(['SIGTERM', 'SIGHUP', 'SIGINT', 'end of input'] as const)(
    'GIVEN the console bot gets %s THEN its embedded redis-server is stopped too (never an orphan)',
    async (how) => {
      const { spawn } = await import('node:child_process');
      const { readlinkSync } = await import('node:fs');
      const dir = tempDir();
      const child = spawn(process.execPath, ['--import', 'tsx', 'src/main.ts'], {
        cwd: new URL('../..', import.meta.url).pathname,
        env: { PATH: process.env.PATH ?? '', HOME: process.env.HOME ?? '/tmp', QUIZBOT_DATA_DIR: dir, LOG_LEVEL: 'warn' },
        stdio: ['pipe', 'pipe', 'pipe'],
      });
      const redisPids = () =>
        readdirSync('/proc')
          .filter((p) => /^\d+$/.test(p))
          .filter((p) => {
            try {
              return readlinkSync(`/proc/${p}/cwd`) === join(dir, 'redis');
            } catch {
              return false;
            }
          });
      await waitFor('the embedded redis-server to start', async () => redisPids().length > 0, budget(20_000));
      let out = '';
      child.stdout.on('data', (d: Buffer) => (out += d.toString()));
      child.stdin.write('/help\n');
      await waitFor('the console to answer /help', async () => out.includes('/quit'), budget(20_000));
      if (how === 'end of input') child.stdin.end();
      else child.kill(how);
      const code = await new Promise<number | null>((r) => child.once('exit', (c) => r(c)));
      expect(code).not.toBeNull();
      await waitFor('the embedded redis-server to stop', async () => redisPids().length === 0, budget(10_000)).catch(() => undefined);
      expect(redisPids()).toEqual([]);
    },
    budget(60_000),
  );
});

describe('a Redis outage seen by the bot', { timeout: budget(30_000) }, () => {
  it('GIVEN the server goes away and comes back THEN one warning when it starts, one when it ends, and commands carry on', async () => {
    const { openRedis } = await import('../../src/store/connection.js');
    const server = await startEmbeddedRedis({ dir: join(tempDir(), 'redis') });
    const warnings: string[] = [];
    const logger = { debug() {}, info() {}, error() {}, warn: (msg: string) => warnings.push(msg) };
    const handle = await openRedis({ url: server.url, dataDir: tempDir(), logger });
    const a = handle.connect({ maxRetriesPerRequest: null });
    const b = handle.connect({ maxRetriesPerRequest: null });
    try {
      await a.set('before', '1');
      process.kill(server.pid()!, 'SIGKILL'); // supervision restarts it from its AOF
      expect(await b.incr('during')).toBe(1); // queued while reconnecting, then run
      await waitFor('the restored warning', async () => warnings.includes('Redis connection restored'), budget(10_000));
      expect(warnings.filter((w) => w.startsWith('Redis connection lost'))).toHaveLength(1);
      expect(warnings.filter((w) => w === 'Redis connection restored')).toHaveLength(1);
    } finally {
      await handle.close();
      await server.stop();
    }
  });
});
