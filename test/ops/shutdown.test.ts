/**
 * SIGTERM always ends a process within 10 s (issue 25): here a worker stuck on a Redis that
 * accepts connections and never answers (a server coming back, a half-open network) — the
 * graceful close cannot finish, so the deadline ends it.
 */
import { spawn } from 'node:child_process';
import { createServer, type Server, type Socket } from 'node:net';
import { afterAll, describe, expect, it } from 'vitest';
import { ROOT } from '../helpers/cli.js';
import { budget, waitFor } from '../helpers/wait.js';

const sockets: Socket[] = [];
let server: Server | null = null;
afterAll(async () => {
  for (const s of sockets) s.destroy();
  await new Promise<void>((r) => (server ? server.close(() => r()) : r()));
});

describe('shutdown deadline', { timeout: budget(60_000) }, () => {
  it('GIVEN a worker waiting on a Redis that never answers WHEN it gets SIGTERM THEN it exits within 10 s', async () => {
    // A black hole: accepts, reads, never replies.
    server = createServer((s) => {
      sockets.push(s);
      s.on('data', () => undefined);
    });
    await new Promise<void>((r) => server!.listen(0, '127.0.0.1', r));
    const port = (server.address() as { port: number }).port;
    const child = spawn(process.execPath, ['--import', 'tsx', 'src/cli.ts', 'worker'], {
      cwd: ROOT,
      env: {
        PATH: process.env.PATH ?? '',
        HOME: process.env.HOME ?? '/tmp',
        LOG_LEVEL: 'info',
        REDIS_URL: `redis://127.0.0.1:${port}`,
        SLACK_BOT_TOKEN: 'xoxb-test',
        SLACK_SIGNING_SECRET: 'secret',
        SLACK_API_URL: 'http://127.0.0.1:9/api/',
      },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let out = '';
    child.stdout.on('data', (d: Buffer) => (out += d.toString()));
    child.stderr.on('data', (d: Buffer) => (out += d.toString()));
    const exited = new Promise<number | null>((r) => child.on('exit', (code) => r(code)));
    // The worker has connected and waits for Redis's answer.
    await waitFor('the worker to reach Redis', async () => sockets.length > 0, budget(20_000));
    const signalledAt = Date.now();
    child.kill('SIGTERM');
    const code = await exited;
    const tookMs = Date.now() - signalledAt;
    expect(out).toMatch(/shutting down/);
    expect(tookMs).toBeLessThan(10_000 + budget(2_000) - 2_000);
    expect(code).not.toBeNull();
  });
});
