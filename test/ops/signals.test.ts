/**
 * `npm start` forwards SIGTERM: the bot (one node process, tsx as a loader) and its embedded
 * redis-server stop, and nothing is left running (issue 26). Processes are found by a marker in
 * their environment, which children inherit.
 */
import { spawn } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { ROOT } from '../helpers/cli.js';
import { budget, waitFor } from '../helpers/wait.js';

/**
 * Command lines of the processes whose environment holds `marker`, and of their descendants
 * (redis-server rewrites its title over its environment, so it is found as the bot's child).
 */
function marked(marker: string): { pid: string; cmd: string }[] {
  const procs = new Map<string, { ppid: string; cmd: string; mine: boolean }>();
  for (const pid of readdirSync('/proc').filter((p) => /^\d+$/.test(p))) {
    try {
      const stat = readFileSync(`/proc/${pid}/stat`, 'latin1');
      const ppid = stat.slice(stat.lastIndexOf(')') + 2).split(' ')[1]!;
      const cmd = readFileSync(`/proc/${pid}/cmdline`, 'latin1').replace(/\0/g, ' ').trim();
      let mine = false;
      try {
        mine = readFileSync(`/proc/${pid}/environ`, 'latin1').includes(marker);
      } catch {
        // not readable
      }
      procs.set(pid, { ppid, cmd, mine });
    } catch {
      // gone meanwhile
    }
  }
  const ours = (pid: string, depth = 0): boolean => {
    const p = procs.get(pid);
    return !!p && (p.mine || (depth < 10 && ours(p.ppid, depth + 1)));
  };
  return [...procs].filter(([pid, p]) => p.cmd && ours(pid)).map(([pid, p]) => ({ pid, cmd: p.cmd }));
}

describe('signals through npm', { timeout: budget(90_000) }, () => {
  it('GIVEN `npm start` running the console with its embedded Redis WHEN npm gets SIGTERM THEN no node or redis-server is left', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'quizbot-sig-'));
    const marker = `SIGTEST_MARK=${randomUUID()}`;
    const [name, value] = marker.split('=') as [string, string];
    // As an operator runs it: npm in a shell, its stdin a pipe that stays open (the console reads it).
    const shell = spawn('bash', ['-c', 'sleep 600 | npm start'], {
      cwd: ROOT,
      env: { PATH: process.env.PATH ?? '', HOME: process.env.HOME ?? '/tmp', QUIZBOT_DATA_DIR: dir, LOG_LEVEL: 'warn', [name]: value },
      stdio: ['ignore', 'ignore', 'ignore'],
    });
    try {
      // Running: npm, the bot and the redis-server it started.
      const running = await waitFor(
        'the bot and its redis-server',
        async () => {
          const procs = marked(marker);
          return procs.some((p) => p.cmd.includes('redis-server')) && procs.some((p) => p.cmd.includes('src/main.ts')) ? procs : null;
        },
        budget(60_000),
      );
      const npm = running.find((p) => p.cmd.startsWith('npm'))!;
      process.kill(Number(npm.pid), 'SIGTERM');
      // Neither a marked process nor one seen running (an orphaned redis-server is re-parented).
      // (The shell and its `sleep` are the operator's, not the bot's.)
      const bots = (ps: { pid: string; cmd: string }[]) => ps.filter((p) => !/^(sleep|bash)\b/.test(p.cmd));
      const alive = () => [
        ...bots(marked(marker)).map((p) => p.cmd),
        ...bots(running)
          .filter((p) => existsSync(`/proc/${p.pid}`))
          .map((p) => p.cmd),
      ];
      await waitFor('no process of this run left', async () => alive().length === 0, budget(15_000)).catch((err: unknown) => {
        throw new Error(`${String(err)}: ${alive().join(' / ')}`);
      });
      expect(alive()).toEqual([]);
    } finally {
      for (const p of marked(marker)) if (p.cmd.startsWith('sleep') || p.cmd.startsWith('bash')) process.kill(Number(p.pid), 'SIGKILL');
      shell.kill('SIGKILL');
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
