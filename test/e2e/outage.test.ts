/**
 * A Redis outage during a console round (issue 26): the answer sent while Redis is down is held
 * and recorded when it comes back, the member hears both, the process keeps running, and stderr
 * gets one line when the outage starts and one when it ends — no stacks. A second outage that
 * outlasts the input: the member is told plainly the answer was not recorded, and the console
 * exits normally.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { ROOT } from '../helpers/cli.js';
import { budget, waitFor } from '../helpers/wait.js';

const dirs: string[] = [];
const children: ChildProcess[] = [];
afterAll(() => {
  for (const c of children) if (c.exitCode === null) c.kill('SIGKILL');
  for (const d of dirs) rmSync(d, { recursive: true, force: true });
});

async function freePort(): Promise<number> {
  const s = createServer().listen(0, '127.0.0.1');
  await new Promise((r) => s.once('listening', r));
  const port = (s.address() as { port: number }).port;
  await new Promise((r) => s.close(r));
  return port;
}

/** A redis-server with an append-only file, so a restart keeps what was written. */
async function redisOn(port: number, dir: string): Promise<ChildProcess> {
  const r = spawn(
    'redis-server',
    ['--port', String(port), '--bind', '127.0.0.1', '--dir', dir, '--save', '', '--appendonly', 'yes', '--appendfsync', 'always'],
    {
      stdio: 'ignore',
    },
  );
  children.push(r);
  await waitFor('redis-server to listen', async () => {
    const { createConnection } = await import('node:net');
    return new Promise<boolean>((res) => {
      const c = createConnection(port, '127.0.0.1', () => {
        c.end();
        res(true);
      });
      c.on('error', () => res(false));
    });
  });
  return r;
}

/** The console on that Redis, its output collected as it comes. */
function consoleOn(port: number, dir: string) {
  const proc = spawn(process.execPath, ['--import', 'tsx', 'src/cli.ts', 'start'], {
    cwd: ROOT,
    env: { PATH: process.env.PATH ?? '', HOME: process.env.HOME ?? '/tmp', REDIS_URL: `redis://127.0.0.1:${port}`, QUIZBOT_DATA_DIR: dir },
    stdio: ['pipe', 'pipe', 'pipe'],
  });
  children.push(proc);
  const c = { proc, out: '', err: '', say: (line: string) => proc.stdin.write(`${line}\n`) };
  proc.stdout.on('data', (d: Buffer) => (c.out += d.toString()));
  proc.stderr.on('data', (d: Buffer) => (c.err += d.toString()));
  return c;
}

const stopped = (p: ChildProcess) => new Promise<void>((r) => (p.exitCode !== null || p.signalCode !== null ? r() : p.once('exit', () => r())));

describe('a Redis outage during a console round', { timeout: budget(120_000) }, () => {
  it('GIVEN Redis killed after /quiz cap and back later THEN the held answer is recorded and revealed, with two stderr lines', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'quizbot-outage-'));
    dirs.push(dir);
    const port = await freePort();
    let redis = await redisOn(port, dir);
    const first = consoleOn(port, dir);
    const { say } = first;
    const bot = first.proc;

    say('/quiz cap');
    // The next line's echo: /quiz cap is wholly done (lines are handled in order) before Redis dies.
    say('/as you');
    await waitFor('the question posted and the command done', async () => first.out.includes('thread opened') && first.out.includes('(you are now you)'));
    redis.kill('SIGKILL');
    await stopped(redis);
    await waitFor('the bot to notice the outage', async () => first.err.includes('Redis connection lost'), budget(60_000));
    say('/as alice');
    say('During a partition a distributed system must choose consistency or availability; a CP system refuses requests.');
    await waitFor('alice told her answer is held', async () => /answer is held/.test(first.out), budget(60_000));

    redis = await redisOn(port, dir);
    await waitFor(
      'alice told her answer is now recorded',
      async () => /alice: ✓ Your answer held during the outage is now recorded/.test(first.out),
      budget(60_000),
    );
    say('/quiz reveal');
    await waitFor('the reveal', async () => /alice: \d+ pts/.test(first.out), budget(60_000));
    bot.stdin.end();
    await stopped(bot);
    expect(bot.exitCode).toBe(0);
    const lines = first.err.split('\n').filter(Boolean);
    expect(lines.length, first.err).toBeLessThanOrEqual(5);
    expect(first.err).not.toMatch(/^\s+at /m); // no raw stack lines
    expect(lines.map((l) => (JSON.parse(l) as { msg: string }).msg)).toEqual([
      'Redis connection lost; commands wait while reconnecting',
      'Redis connection restored',
    ]);

    // Down again, for good: the member is told plainly that the answer was not recorded.
    const second = consoleOn(port, dir);
    const bot2 = second.proc;
    second.say('/quiz acid');
    second.say('/as you');
    await waitFor('a second question, the command done', async () => second.out.includes('thread opened') && second.out.includes('(you are now you)'));
    redis.kill('SIGKILL');
    await stopped(redis);
    second.say('/as bob');
    second.say('Atomicity means all or nothing: a failed step rolls the whole transaction back.');
    await waitFor('bob told his answer is held', async () => /answer is held/.test(second.out), budget(60_000));
    bot2.stdin.end();
    await stopped(bot2);
    expect(bot2.exitCode).toBe(0);
    expect(second.out).toMatch(/bob: ⚠️ quizbot stopped before it could record your answer held during the outage: it was NOT recorded/);
  });
});
