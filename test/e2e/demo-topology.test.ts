/**
 * The demo end to end on the project's Redis topology: a single server in the `single` project,
 * a real 3-master Redis Cluster (REDIS_URL=redis-cluster://…) in the `cluster` project.
 */
import { spawn } from 'node:child_process';
import { describe, expect, it } from 'vitest';
import { redisUrl, topologyKind } from '../helpers/redis.js';

const ROOT = new URL('../..', import.meta.url).pathname;

describe(`the demo on ${topologyKind()} Redis`, () => {
  it('GIVEN REDIS_URL for this topology THEN the scripted round is posted, answered, revealed and scored', async () => {
    const run = await new Promise<{ code: number | null; stdout: string; stderr: string }>((resolve, reject) => {
      const child = spawn(process.execPath, ['--import', 'tsx', 'src/cli.ts', 'demo'], {
        cwd: ROOT,
        env: { PATH: process.env.PATH ?? '', HOME: process.env.HOME ?? '/tmp', LOG_LEVEL: 'warn', REDIS_URL: redisUrl() },
        stdio: ['ignore', 'pipe', 'pipe'],
      });
      let stdout = '';
      let stderr = '';
      child.stdout.on('data', (d: Buffer) => (stdout += d.toString()));
      child.stderr.on('data', (d: Buffer) => (stderr += d.toString()));
      child.on('error', reject);
      child.on('close', (code) => resolve({ code, stdout, stderr }));
    });
    expect(run.stderr).not.toMatch(/CROSSSLOT|error/i);
    expect(run.code).toBe(0);
    expect(run.stdout.match(/answer recorded/g)?.length).toBe(3);
    expect(run.stdout).toMatch(/🔓 Reveal:/);
    expect(run.stdout).toMatch(/🏆 Leaderboard[\s\S]*alice/i);
  }, 60_000);
});
