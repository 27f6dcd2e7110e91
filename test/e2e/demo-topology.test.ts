/**
 * The demo end to end on the project's Redis topology: a single server in the `single` project,
 * a real 3-master Redis Cluster (REDIS_URL=redis-cluster://…) in the `cluster` project.
 */
import { describe, expect, it } from 'vitest';
import { runCli } from '../helpers/cli.js';
import { redisUrl, topologyKind } from '../helpers/redis.js';

describe(`the demo on ${topologyKind()} Redis`, () => {
  it('GIVEN REDIS_URL for this topology THEN the scripted round is posted, answered, revealed and scored', async () => {
    const run = await runCli(['demo'], { env: { REDIS_URL: redisUrl() } });
    expect(run.stderr).not.toMatch(/CROSSSLOT|error/i);
    expect(run.code).toBe(0);
    expect(run.stdout.match(/answer recorded/g)?.length).toBe(3);
    expect(run.stdout).toMatch(/🔓 Reveal:/);
    expect(run.stdout).toMatch(/🏆 Leaderboard[\s\S]*alice/i);
  }, 60_000);
});
