/**
 * The embedded default: a private redis-server on a free 127.0.0.1 port with its data (AOF,
 * appendfsync everysec) under a directory of ours. Used when REDIS_URL is not set, and by the
 * test suite (with a temporary directory).
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { mkdirSync } from 'node:fs';
import { createServer } from 'node:net';
import { parseRedisUrl, pingRedis } from './topology.js';

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
  /** The server process's id (it changes when supervision restarts it). */
  pid(): number | undefined;
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
  /** More redis-server arguments (e.g. cluster or replica settings for test topologies). */
  extraArgs?: string[];
  /** Restart on unexpected exit (the product default); topology tests kill servers on purpose. */
  supervise?: boolean;
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

/** redis-server's command line: loopback only, AOF every second, no eviction, no RDB snapshots. */
function redisArgs(port: number, opts: EmbeddedOptions): string[] {
  return [
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
    ...(opts.extraArgs ?? []),
  ];
}

/**
 * A restart of a server that died: a loaded host may be slow to reload the AOF, and the port may
 * be held for a moment (a killed server's fork child), so a few tries with a longer wait; then
 * the bot exits non-zero rather than run without Redis.
 */
async function restartOrExit(spawnServer: () => Promise<void>, stopping: () => boolean): Promise<void> {
  for (let attempt = 1; ; attempt++) {
    try {
      return await spawnServer();
    } catch (err) {
      if (stopping()) return;
      if (attempt >= 3) {
        process.stderr.write(`could not restart the embedded redis-server: ${(err as Error).message}\n`);
        process.exit(1);
      }
      await new Promise((r) => setTimeout(r, 500 * attempt));
    }
  }
}

/** Stops a server with SIGTERM (redis-server flushes the AOF on it), SIGKILL after 5 s. */
function terminate(proc: ChildProcess | undefined): Promise<void> {
  return new Promise<void>((resolve) => {
    if (!proc || proc.exitCode !== null || proc.signalCode !== null) return resolve();
    proc.once('exit', () => resolve());
    proc.kill('SIGTERM');
    setTimeout(() => proc.kill('SIGKILL'), 5000).unref();
  });
}

async function launch(port: number, opts: EmbeddedOptions): Promise<EmbeddedRedis> {
  const args = redisArgs(port, opts);
  const url = `redis://127.0.0.1:${port}`;
  let output = '';
  let stopping = false;
  let restarts: number[] = [];
  let child: ChildProcess | undefined;

  /** Starts redis-server; it reloads its AOF, so a restart loses at most a second of writes. */
  const spawnServer = async (pingMs = 10_000): Promise<void> => {
    const proc = spawn(opts.binary ?? 'redis-server', args, { stdio: ['ignore', 'pipe', 'pipe'] });
    child = proc;
    proc.stdout?.on('data', (d: Buffer) => (output = (output + d.toString()).slice(-4000)));
    proc.stderr?.on('data', (d: Buffer) => (output = (output + d.toString()).slice(-4000)));
    const exited = new Promise<never>((_, reject) => {
      proc.once('error', (err: NodeJS.ErrnoException) => reject(err.code === 'ENOENT' ? new RedisNotInstalledError() : err));
      proc.once('exit', (code) => reject(new Error(`redis-server exited with code ${code}:\n${output}`)));
    });
    exited.catch(() => {});
    try {
      await Promise.race([exited, waitForPing(url, pingMs)]);
    } catch (err) {
      // Never leave a half-started server behind a retry (it would hold the port).
      if (proc.exitCode === null && proc.signalCode === null) proc.kill('SIGKILL');
      throw err;
    }
    proc.once('exit', (code, signal) => void onUnexpectedExit(code, signal));
  };

  /**
   * Supervision: an embedded redis-server that dies is restarted from its AOF (at most 3 times a
   * minute); beyond that the bot exits non-zero with the reason instead of running without Redis.
   */
  const onUnexpectedExit = async (code: number | null, signal: NodeJS.Signals | null): Promise<void> => {
    if (stopping || opts.supervise === false) return;
    const now = Date.now();
    restarts = [...restarts.filter((t) => now - t < 60_000), now];
    const why = `embedded redis-server stopped (${signal ?? `exit code ${code}`})`;
    if (restarts.length > 3) {
      process.stderr.write(`${why} more than 3 times in a minute; quizbot exits. Last output:\n${output.slice(-1000)}\n`);
      process.exit(1);
    }
    process.stderr.write(`${why}; restarting it from its append-only file\n`);
    await restartOrExit(
      () => spawnServer(30_000),
      () => stopping,
    );
  };

  // Handlers first: a signal that arrives while the server starts must still stop it.
  const stopNow = () => {
    stopping = true;
    if (child && child.exitCode === null && child.signalCode === null) child.kill('SIGTERM');
  };
  running.add(stopNow);
  installExitHandlers();
  try {
    await spawnServer();
  } catch (err) {
    running.delete(stopNow);
    throw err;
  }
  let stopped: Promise<void> | null = null;
  return {
    url,
    port,
    pid: () => child?.pid,
    stop() {
      running.delete(stopNow);
      stopping = true;
      return (stopped ??= terminate(child));
    },
  };
}

const SIGNALS: NodeJS.Signals[] = ['SIGINT', 'SIGTERM', 'SIGHUP'];
const SIGNAL_NUMBERS: Record<string, number> = { SIGHUP: 1, SIGINT: 2, SIGTERM: 15 };
/** Embedded servers of this process not stopped yet. */
const running = new Set<() => void>();
let handlersInstalled = false;

/**
 * Never an orphan: the embedded servers are stopped when this process exits for any reason — a
 * normal exit, an uncaught error (the 'exit' event), or a signal nobody else handles (Node's
 * default would end the process without running 'exit' handlers). When the app handles the
 * signal itself (npm start's graceful shutdown), that path stops the servers after the workers.
 * One set of handlers per process, however many servers it starts.
 */
function installExitHandlers(): void {
  if (handlersInstalled) return;
  handlersInstalled = true;
  const stopAll = () => {
    for (const stop of running) stop();
    running.clear();
  };
  process.once('exit', stopAll);
  for (const sig of SIGNALS) {
    const onSignal = () => {
      if (process.listenerCount(sig) > 1) return; // someone shuts down gracefully and stops us
      stopAll();
      process.exit(128 + (SIGNAL_NUMBERS[sig] ?? 0));
    };
    process.on(sig, onSignal);
  }
}

async function waitForPing(url: string, timeoutMs: number): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    try {
      return await pingRedis(parseRedisUrl(url), Math.max(200, deadline - Date.now()));
    } catch (err) {
      if (Date.now() > deadline) throw new Error(`redis-server did not answer on ${url}: ${String(err)}`, { cause: err });
      await new Promise((r) => setTimeout(r, 50));
    }
  }
}
