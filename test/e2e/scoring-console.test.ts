/**
 * Issue "Scoring…", done-when: a console session with three members over several scheduled
 * rounds shows boards, streaks, groups and stats that match the README's scoring model by hand.
 *
 * Hand calculation (README "Scoring"): the CAP question has 5 key points.
 *   GOOD covers 4/5 → 10 + round(40 × 0.8) = 42.  PARTIAL covers 1/5 → 10 + 8 = 18.
 *   "no idea" is under 5 words → 0, and does not count as answering.
 *   Round 1: alice GOOD + 1 vote (carol) = 44, bob PARTIAL 18, carol 0.
 *   Round 2: alice GOOD 42, carol PARTIAL 18 (bob misses).
 *   Round 3: alice GOOD 42, bob GOOD 42 (carol misses).
 *   Totals: alice 128, bob 60, carol 18.
 *   Streaks: alice 3; bob 1 → miss (monthly freeze) 1 → 2; carol 0 → 1 → miss (freeze) 1.
 *   Group "study" (alice, bob): team streak r1 ✓, r2 ✗, r3 ✓ → 1, best 1; participation alice 3/3, bob 2/3.
 */
import { spawn } from 'node:child_process';
import { describe, expect, it } from 'vitest';
import { newNamespace, redisUrl } from '../helpers/redis.js';

const ROOT = new URL('../..', import.meta.url).pathname;
const GOOD =
  'The CAP theorem says a distributed system cannot guarantee consistency, availability and partition tolerance at once. Network partitions happen, so during a partition you must choose: ZooKeeper is CP, Cassandra is AP.';
const PARTIAL = 'It is about consistency and availability when the network splits, so you pick one of them.';

const SCRIPT = [
  '/quiz schedule topics cap',
  '/as alice',
  '/quiz group create study',
  '/as bob',
  '/quiz group join study',
  '/quiz post',
  '/as alice',
  GOOD,
  '/as bob',
  PARTIAL,
  '/as carol',
  'no idea',
  '/vote alice',
  '/quiz reveal',
  '/quiz post',
  '/as alice',
  GOOD,
  '/as carol',
  PARTIAL,
  '/quiz reveal',
  '/quiz post',
  '/as alice',
  GOOD,
  '/as bob',
  GOOD,
  '/quiz reveal',
  '/quiz leaderboard week',
  '/quiz leaderboard all group study',
  '/quiz stats alice',
  '/as bob',
  '/quiz streak',
  '/as carol',
  '/quiz streak',
  '/quiz group show study',
].join('\n');

function run(input: string): Promise<{ code: number | null; out: string; err: string }> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, ['--import', 'tsx', 'src/cli.ts', 'start'], {
      cwd: ROOT,
      env: { PATH: process.env.PATH ?? '', HOME: process.env.HOME ?? '/tmp', LOG_LEVEL: 'warn', REDIS_URL: redisUrl(), REDIS_PREFIX: newNamespace('score') },
    });
    let out = '';
    let err = '';
    child.stdout.on('data', (d: Buffer) => (out += d.toString()));
    child.stderr.on('data', (d: Buffer) => (err += d.toString()));
    child.on('error', reject);
    child.on('close', (code) => resolve({ code, out, err }));
    child.stdin.end(input + '\n');
  });
}

describe('console: three members over three scheduled rounds', () => {
  it('GIVEN the scripted session THEN points, boards, streaks, group and stats match the README model', async () => {
    const { code, out, err } = await run(SCRIPT);
    expect(err).toBe('');
    expect(code).toBe(0);
    const reveals = out.split('🔓 Reveal:').slice(1);
    expect(reveals).toHaveLength(3);
    expect(reveals[0]).toMatch(/alice: 44 pts, 4\/5 key points/);
    expect(reveals[0]).toMatch(/bob: 18 pts, 1\/5 key points/);
    expect(reveals[0]).toMatch(/carol: 0 pts/);
    expect(reveals[1]).toMatch(/alice: 42 pts/);
    expect(reveals[1]).toMatch(/carol: 18 pts/);
    expect(reveals[2]).toMatch(/alice: 42 pts[\s\S]*bob: 42 pts/);
    const week = out.slice(out.indexOf('/quiz leaderboard week'));
    expect(week).toMatch(/1\. alice — 128 pts\s+2\. bob — 60 pts\s+3\. carol — 18 pts/);
    const group = out.slice(out.indexOf('/quiz leaderboard all group study'));
    expect(group).toMatch(/1\. alice — 128 pts\s+2\. bob — 60 pts/);
    expect(out).toMatch(/📊 alice\s+Rounds answered: 3 scheduled · 0 practice\s+Average coverage: 80%\s+Streak here: 3 \(best 3\)/);
    expect(out).toMatch(/🔥 bob: streak 2 \(best 2\)/);
    expect(out).toMatch(/🔥 carol: streak 1 \(best 1\)/);
    expect(out).toMatch(/👥 study — 2 members · team streak 1 \(best 1\)/);
    expect(out).toMatch(/1\. alice\s+3\/3\s+100%\s+2\. bob\s+2\/3\s+67%/);
  }, 90_000);
});
