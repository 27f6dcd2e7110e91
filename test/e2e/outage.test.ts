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

const stopped = (p: ChildProcess) => new Promise<void>((r) => (p.exitCode !== null || p.signalCode !== null ? r() : p.once('exit', () => r())));

describe('a Redis outage during a console round', { timeout: budget(120_000) }, () => {
  it('GIVEN Redis killed after /quiz cap and back later THEN the held answer is recorded and revealed, with two stderr lines', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'quizbot-outage-'));
    dirs.push(dir);
    const port = await freePort();
    let redis = await redisOn(port, dir);
    const bot = spawn(process.execPath, ['--import', 'tsx', 'src/cli.ts', 'start'], {
      cwd: ROOT,
      env: { PATH: process.env.PATH ?? '', HOME: process.env.HOME ?? '/tmp', REDIS_URL: `redis://127.0.0.1:${port}`, QUIZBOT_DATA_DIR: dir },
      stdio: ['pipe', 'pipe', 'pipe'],
    });
    children.push(bot);
    let out = '';
    let err = '';
    bot.stdout.on('data', (d: Buffer) => (out += d.toString()));
    bot.stderr.on('data', (d: Buffer) => (err += d.toString()));
    const say = (line: string) => bot.stdin.write(`${line}\n`);

    say('/quiz cap');
    await waitFor('the question and its thread', async () => out.includes('thread opened'));
    redis.kill('SIGKILL');
    await stopped(redis);
    await waitFor('the bot to notice the outage', async () => err.includes('Redis connection lost'), budget(60_000));
    say('/as alice');
    say('During a partition a distributed system must choose consistency or availability; a CP system refuses requests.');
    await waitFor('alice told her answer is held', async () => /answer is held/.test(out), budget(60_000));

    redis = await redisOn(port, dir);
    await waitFor('alice told her answer is now recorded', async () => /alice: ✓ Your answer held during the outage is now recorded/.test(out), budget(60_000));
    say('/quiz reveal');
    await waitFor('the reveal', async () => /alice: \d+ pts/.test(out), budget(60_000));
    bot.stdin.end();
    await stopped(bot);
    expect(bot.exitCode).toBe(0);
    const lines = err.split('\n').filter(Boolean);
    expect(lines.length, err).toBeLessThanOrEqual(5);
    expect(err).not.toMatch(/^\s+at /m); // no raw stack lines
    expect(lines.map((l) => (JSON.parse(l) as { msg: string }).msg)).toEqual([
      'Redis connection lost; commands wait while reconnecting',
      'Redis connection restored',
    ]);

    // Down again, for good: the member is told plainly that the answer was not recorded.
    const bot2 = spawn(process.execPath, ['--import', 'tsx', 'src/cli.ts', 'start'], {
      cwd: ROOT,
      env: { PATH: process.env.PATH ?? '', HOME: process.env.HOME ?? '/tmp', REDIS_URL: `redis://127.0.0.1:${port}`, QUIZBOT_DATA_DIR: dir },
      stdio: ['pipe', 'pipe', 'pipe'],
    });
    children.push(bot2);
    let out2 = '';
    bot2.stdout.on('data', (d: Buffer) => (out2 += d.toString()));
    bot2.stdin.write('/quiz acid\n');
    await waitFor('a second question', async () => out2.includes('thread opened'));
    redis.kill('SIGKILL');
    await stopped(redis);
    bot2.stdin.write('/as bob\nAtomicity means all or nothing: a failed step rolls the whole transaction back.\n');
    await waitFor('bob told his answer is held', async () => /answer is held/.test(out2), budget(60_000));
    bot2.stdin.end();
    await stopped(bot2);
    expect(bot2.exitCode).toBe(0);
    expect(out2).toMatch(/bob: ⚠️ quizbot stopped before it could record your answer held during the outage: it was NOT recorded/);
  });
});
