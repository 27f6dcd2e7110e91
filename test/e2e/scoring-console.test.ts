/**
 * Issue "Scoring…", done-when: a console session with three members over several scheduled
 * rounds shows boards, streaks, groups and stats that match the README's scoring model by hand.
 *
 * Hand calculation (README "Scoring" and "Grading"): the CAP question has 3 required and 2 bonus
 * key points; quality = (required covered + ½ bonus covered) / 3, capped at 1.
 *   GOOD covers the 3 required + 1 bonus (4/5) → 10 + 40 = 50.  PARTIAL covers 2 required (2/5)
 *   → 10 + round(40 × 2/3) = 37.  GOOD2 (bob's own words) covers 2 required + 1 bonus (3/5),
 *   2.5/3 = 0.83 by its points; its wording is 0.69 close to the points and sample answers read
 *   together (a WordNet synonym of theirs counting half a word), × 1.3 = 0.90, the better of the
 *   two (docs/grading.md, closeness) → 10 + round(40 × 0.90) = 46.  "no idea" is two words → 0,
 *   and does not count as answering.
 *   Round 1: alice GOOD + 1 vote (carol) = 52, bob PARTIAL 37, carol 0.
 *   Round 2: alice GOOD 50, carol PARTIAL 37 (bob misses).
 *   Round 3: alice GOOD 50, bob GOOD2 46 (carol misses). (Bob pasting alice's answer would be
 *   flagged as copied and earn 10.)
 *   Totals: alice 152, bob 83, carol 37.
 *   Streaks: alice 3; bob 1 → miss (monthly freeze) 1 → 2; carol 0 → 1 → miss (freeze) 1.
 *   Group "study" (alice, bob): team streak r1 ✓, r2 ✗, r3 ✓ → 1, best 1; participation alice 3/3, bob 2/3.
 */
import { runCli } from '../helpers/cli.js';
import { describe, expect, it } from 'vitest';
import { newNamespace, redisUrl } from '../helpers/redis.js';

const GOOD =
  'The CAP theorem says a distributed system cannot guarantee consistency, availability and partition tolerance at once. Network partitions happen, so during a partition you must choose: ZooKeeper is CP, Cassandra is AP.';
const PARTIAL = 'It is about consistency and availability when the network splits, so you pick one of them.';
const GOOD2 =
  'Partitions will happen on any real network, so the CAP theorem is really a choice made during a partition: stay consistent by refusing some requests (CP, like HBase), or stay available and serve possibly stale data (AP, like DynamoDB).';

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
  GOOD2,
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

async function run(input: string): Promise<{ code: number | null; out: string; err: string }> {
  const r = await runCli(['start'], { input: input + '\n', env: { REDIS_URL: redisUrl(), REDIS_PREFIX: newNamespace('score') } });
  return { code: r.code, out: r.stdout, err: r.stderr };
}

describe('console: three members over three scheduled rounds', () => {
  it('GIVEN the scripted session THEN points, boards, streaks, group and stats match the README model', async () => {
    const { code, out, err } = await run(SCRIPT);
    expect(err).toBe('');
    expect(code).toBe(0);
    const reveals = out.split('🔓 Reveal:').slice(1);
    expect(reveals).toHaveLength(3);
    expect(reveals[0]).toMatch(/alice: 52 pts, 4\/5 key points/);
    expect(reveals[0]).toMatch(/bob: 37 pts, 2\/5 key points/);
    expect(reveals[0]).toMatch(/carol: 0 pts/);
    expect(reveals[1]).toMatch(/alice: 50 pts/);
    expect(reveals[1]).toMatch(/carol: 37 pts/);
    expect(reveals[2]).toMatch(/alice: 50 pts[\s\S]*bob: 46 pts, 3\/5 key points/);
    const week = out.slice(out.indexOf('/quiz leaderboard week'));
    expect(week).toMatch(/1\. alice — 152 pts\s+2\. bob — 83 pts\s+3\. carol — 37 pts/);
    const group = out.slice(out.indexOf('/quiz leaderboard all group study'));
    expect(group).toMatch(/1\. alice — 152 pts\s+2\. bob — 83 pts/);
    expect(out).toMatch(/📊 alice\s+Rounds answered: 3 scheduled · 0 practice\s+Average coverage: 80%\s+Streak here: 3 \(best 3\)/);
    expect(out).toMatch(/🔥 bob: streak 2 \(best 2\)/);
    expect(out).toMatch(/🔥 carol: streak 1 \(best 1\)/);
    expect(out).toMatch(/👥 study — 2 members · team streak 1 \(best 1\)/);
    expect(out).toMatch(/1\. alice\s+3\/3\s+100%\s+2\. bob\s+2\/3\s+67%/);
  }, 90_000);
});
