/**
 * The embedded default: a private redis-server on a free 127.0.0.1 port with its data (AOF,
 * appendfsync everysec) under a directory of ours. Used when REDIS_URL is not set, and by the
 * test suite (with a temporary directory).
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { mkdirSync } from 'node:fs';
import { createServer } from 'node:net';
import { Redis } from 'ioredis';

export class RedisNotInstalledError extends Error {
  constructor() {
    super(
      [
        'redis-server was not found on PATH. quizbot keeps rounds and leaderboards in Redis.',
        'Install it:',
        '  Debian/Ubuntu: sudo apt-get install -y redis-server',
        '  macOS:         brew install redis',
        'or point quizbot at a running Redis (>= 6.2):',
        '  REDIS_URL=redis://127.0.0.1:6379 npm start',
      ].join('\n'),
    );
    this.name = 'RedisNotInstalledError';
  }
}

export interface EmbeddedRedis {
  url: string;
  port: number;
  stop(): Promise<void>;
}

export async function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const srv = createServer();
    srv.unref();
    srv.on('error', reject);
    srv.listen(0, '127.0.0.1', () => {
      const addr = srv.address();
      const port = typeof addr === 'object' && addr ? addr.port : 0;
      srv.close(() => resolve(port));
    });
  });
}

export interface EmbeddedOptions {
  dir: string;
  /** Persist with AOF (the product default); tests turn it off for speed. */
  appendOnly?: boolean;
  binary?: string;
}

export async function startEmbeddedRedis(opts: EmbeddedOptions): Promise<EmbeddedRedis> {
  mkdirSync(opts.dir, { recursive: true });
  for (let attempt = 0; ; attempt++) {
    const port = await freePort();
    try {
      return await launch(port, opts);
    } catch (err) {
      if (err instanceof RedisNotInstalledError || attempt >= 4) throw err;
      // Another process took the port between our probe and redis-server's bind: try another.
    }
  }
}

async function launch(port: number, opts: EmbeddedOptions): Promise<EmbeddedRedis> {
  const args = [
    '--port',
    String(port),
    '--bind',
    '127.0.0.1',
    '--dir',
    opts.dir,
    '--save',
    '',
    '--appendonly',
    opts.appendOnly === false ? 'no' : 'yes',
    '--appendfsync',
    'everysec',
    '--maxmemory-policy',
    'noeviction',
    '--daemonize',
    'no',
    '--protected-mode',
    'yes',
    '--logfile',
    '',
  ];
  const child: ChildProcess = spawn(opts.binary ?? 'redis-server', args, { stdio: ['ignore', 'pipe', 'pipe'] });
  let output = '';
  child.stdout?.on('data', (d: Buffer) => (output = (output + d.toString()).slice(-4000)));
  child.stderr?.on('data', (d: Buffer) => (output = (output + d.toString()).slice(-4000)));
  const exited = new Promise<never>((_, reject) => {
    child.once('error', (err: NodeJS.ErrnoException) => reject(err.code === 'ENOENT' ? new RedisNotInstalledError() : err));
    child.once('exit', (code) => reject(new Error(`redis-server exited with code ${code}:\n${output}`)));
  });
  exited.catch(() => {});
  const url = `redis://127.0.0.1:${port}`;
  await Promise.race([exited, waitForPing(url, 10_000)]);
  let stopped: Promise<void> | null = null;
  return {
    url,
    port,
    stop() {
      stopped ??= new Promise<void>((resolve) => {
        if (child.exitCode !== null || child.signalCode !== null) return resolve();
        child.once('exit', () => resolve());
        child.kill('SIGTERM'); // redis-server flushes the AOF on SIGTERM
        setTimeout(() => child.kill('SIGKILL'), 5000).unref();
      });
      return stopped;
    },
  };
}

async function waitForPing(url: string, timeoutMs: number): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const client = new Redis(url, { lazyConnect: true, maxRetriesPerRequest: 0, enableOfflineQueue: false, retryStrategy: () => null });
    client.on('error', () => {});
    try {
      await client.connect();
      await client.ping();
      return;
    } catch (err) {
      if (Date.now() > deadline) throw new Error(`redis-server did not answer on ${url}: ${String(err)}`, { cause: err });
      await new Promise((r) => setTimeout(r, 50));
    } finally {
      client.disconnect();
    }
  }
}
