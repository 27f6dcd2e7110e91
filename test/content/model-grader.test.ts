/**
 * The optional model grader (QUIZBOT_GRADER=openai) against a strict fake of OpenAI's API: the
 * model's verdicts decide the points; hallucinated evidence earns nothing; an outage grades
 * lexically with one warning; results are cached; and through the App, a reveal uses it.
 */
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { createApp } from '../../src/app.js';
import { loadConfig } from '../../src/config/env.js';
import type { QuestionBank } from '../../src/content/bank.js';
import { grade } from '../../src/content/grading.js';
import { loadBank } from '../../src/content/loader.js';
import { ModelGrader, type GradeCache } from '../../src/content/model-grader.js';
import type { Logger } from '../../src/core/ports.js';
import type { ChannelRef } from '../../src/core/types.js';
import { PromMetrics } from '../../src/ops/metrics.js';
import { FakeOpenAI, type GradeRequest, type Verdicts } from '../fakes/openai.js';
import { RecordingChat } from '../helpers/core.js';
import { newNamespace, redisUrl, testRedisHandle } from '../helpers/redis.js';

let bank: QuestionBank;
beforeAll(async () => {
  bank = await loadBank();
});

const GOOD =
  'During a network partition a distributed system must choose: stay consistent by refusing some requests, or stay available and serve possibly stale data. Partitions happen on real networks.';
const SALAD = 'We have consistency. We have availability. We have partition tolerance, CP and AP, stale data, ZooKeeper and Cassandra.';

/** A fake "model": covers what the answer says, with the answer's own words as the quote. */
function honest(req: GradeRequest): Verdicts {
  const salad = req.answer.startsWith('We have');
  return req.key_points.map((k, i) => {
    if (salad || i > 1) return { id: k.id, verdict: 'missed', quote: '' };
    return { id: k.id, verdict: 'covered', quote: i === 0 ? 'stay consistent by refusing some requests' : 'Partitions happen on real networks' };
  });
}

function recordingLogger(): Logger & { warnings: string[] } {
  const warnings: string[] = [];
  return { warnings, debug() {}, info() {}, error() {}, warn: (m: string) => void warnings.push(m) };
}

function memoryCache(): GradeCache & { size: () => number } {
  const m = new Map<string, string>();
  return {
    size: () => m.size,
    get: async (q, hashes) => new Map(hashes.filter((h) => m.has(`${q}/${h}`)).map((h) => [h, m.get(`${q}/${h}`)!])),
    set: async (q, entries) => {
      for (const [h, v] of entries) m.set(`${q}/${h}`, v);
    },
  };
}

const fakes: FakeOpenAI[] = [];
afterEach(async () => {
  for (const f of fakes.splice(0)) await f.stop();
});

async function grader(answer: (r: GradeRequest) => Verdicts, opts: { timeoutMs?: number } = {}) {
  const fake = new FakeOpenAI(answer, 'sk-test');
  fakes.push(fake);
  const base = await fake.start();
  const logger = recordingLogger();
  const metrics = new PromMetrics();
  const cache = memoryCache();
  const config = loadConfig({ QUIZBOT_GRADER: 'openai', QUIZBOT_GRADER_URL: base, QUIZBOT_GRADER_MODEL: 'm', QUIZBOT_GRADER_API_KEY: 'sk-test', QUIZBOT_GRADER_TIMEOUT: '2s' });
  const g = new ModelGrader({ ...config.grader!, ...(opts.timeoutMs ? { timeoutMs: opts.timeoutMs } : {}) }, { logger, metrics, cache });
  return { fake, g, logger, metrics, cache };
}

describe('model grader', () => {
  it('GIVEN the model’s verdicts with the answer’s own words THEN they decide the points; a salad the model rejects earns nothing', async () => {
    const { fake, g } = await grader(honest);
    const cap = bank.get('cap-theorem')!;
    const out = await g.gradeMany(cap, [GOOD, SALAD]);
    expect(fake.refused).toEqual([]);
    expect(fake.requests).toHaveLength(2);
    expect(fake.requests[0]!.key_points.map((k) => k.id)).toEqual(cap.keyPoints.map((k) => k.id));
    expect(out.get(GOOD)!.covered.map((k) => k.id)).toEqual([cap.keyPoints[0]!.id, cap.keyPoints[1]!.id]);
    expect(out.get(GOOD)!.evidence?.[cap.keyPoints[0]!.id]).toBe('stay consistent by refusing some requests');
    expect(out.get(SALAD)!.quality).toBe(0);
    expect(grade(cap, SALAD).quality).toBeGreaterThan(0); // the lexical grade is no second chance
  });

  it('GIVEN a quote the answer does not contain THEN that point earns nothing', async () => {
    const { g } = await grader((req) => req.key_points.map((k) => ({ id: k.id, verdict: 'covered', quote: 'every read sees the latest write and nodes never disagree' })));
    const out = await g.gradeMany(bank.get('cap-theorem')!, [GOOD]);
    expect(out.get(GOOD)!.covered).toEqual([]);
    expect(out.get(GOOD)!.quality).toBe(0);
  });

  it.each(['error', 'slow', 'garbage'] as const)('GIVEN the grader %s THEN every answer is graded lexically, with one warning for the outage, and it recovers', async (mode) => {
    const { fake, g, logger, metrics } = await grader(honest, { timeoutMs: 300 });
    fake.mode = mode;
    const cap = bank.get('cap-theorem')!;
    const texts = [GOOD, `${GOOD} Also, ZooKeeper is CP.`, `${GOOD} Cassandra is AP.`];
    const out = await g.gradeMany(cap, texts);
    expect(out.size).toBe(0); // absent: the caller grades each lexically
    expect(logger.warnings).toHaveLength(1);
    expect(await metrics.value('quizbot_model_grades_total', { outcome: 'fallback' })).toBe(3);
    fake.mode = 'ok';
    expect((await g.gradeMany(cap, [`${GOOD} Back again.`])).size).toBe(1);
    expect(logger.warnings).toHaveLength(1);
  });

  it('GIVEN a reply that leaves a key point out THEN that answer is graded lexically', async () => {
    const { g } = await grader((req) => [{ id: req.key_points[0]!.id, verdict: 'covered', quote: 'stay consistent by refusing some requests' }]);
    expect((await g.gradeMany(bank.get('cap-theorem')!, [GOOD])).size).toBe(0);
  });

  it('GIVEN an answer graded once THEN grading it again uses the cache, not the model', async () => {
    const { fake, g, cache } = await grader(honest);
    const cap = bank.get('cap-theorem')!;
    const first = await g.gradeMany(cap, [GOOD]);
    const again = await g.gradeMany(cap, [GOOD]);
    expect(fake.requests).toHaveLength(1);
    expect(cache.size()).toBe(1);
    expect(again.get(GOOD)).toEqual(first.get(GOOD));
  });
});

describe('model grader through the app', () => {
  const closers: (() => Promise<void>)[] = [];
  afterAll(async () => {
    for (const c of closers) await c();
  });

  it('GIVEN QUIZBOT_GRADER=openai THEN the reveal shows the model’s grade, and the key stays out of the config errors', async () => {
    const fake = new FakeOpenAI(honest, 'sk-secret-123');
    const base = await fake.start();
    closers.push(() => fake.stop());
    expect(() => loadConfig({ QUIZBOT_GRADER: 'openai' })).toThrow(/QUIZBOT_GRADER_URL: required[\s\S]*QUIZBOT_GRADER_MODEL: required/);
    expect(() => loadConfig({ QUIZBOT_GRADER: 'gpt', QUIZBOT_GRADER_API_KEY: 'sk-secret-123' })).toThrow(/QUIZBOT_GRADER: expected lexical or openai/);
    try {
      loadConfig({ QUIZBOT_GRADER: 'openai', QUIZBOT_GRADER_URL: 'not a url', QUIZBOT_GRADER_API_KEY: 'sk-secret-123' });
    } catch (err) {
      expect(String(err)).not.toContain('sk-secret-123');
    }
    const redis = testRedisHandle();
    const app = await createApp({
      config: loadConfig({
        REDIS_URL: redisUrl(),
        REDIS_PREFIX: newNamespace('mg'),
        QUIZBOT_GRADER: 'openai',
        QUIZBOT_GRADER_URL: base,
        QUIZBOT_GRADER_MODEL: 'llama3.1',
        QUIZBOT_GRADER_API_KEY: 'sk-secret-123',
      }),
      logger: recordingLogger(),
      redis,
    });
    closers.push(async () => {
      await app.close();
      await redis.close();
    });
    app.chat.register('console', new RecordingChat());
    const channel: ChannelRef = { platform: 'console', serverId: 'local', channelId: 'general' };
    const { round } = await app.quiz.startRound(channel, { mode: 'practice', topic: 'cap', requestedBy: { id: 'alice', name: 'alice' } });
    await app.quiz.recordAnswer({ channel, threadRef: null, roundId: round.id, member: { id: 'alice', name: 'alice' }, text: GOOD, deliveryId: 'd1' });
    await app.quiz.recordAnswer({ channel, threadRef: null, roundId: round.id, member: { id: 'bob', name: 'bob' }, text: SALAD, deliveryId: 'd2' });
    const view = await app.quiz.reveal(round.id);
    expect(fake.refused).toEqual([]);
    const alice = view.feedback.find((f) => f.member.id === 'alice')!;
    const bob = view.feedback.find((f) => f.member.id === 'bob')!;
    expect(alice.covered).toHaveLength(2);
    expect(bob.covered).toEqual([]);
    // A second reveal attempt (retry) grades from the Redis cache: no new request.
    const before = fake.requests.length;
    await app.quiz.reveal(round.id);
    expect(fake.requests.length).toBe(before);
  });
});

describe('bench:grading with the model grader', () => {
  /** `npm run bench:grading`, with the model grader pointed at `fake`, or without it. */
  async function runBench(fake: FakeOpenAI | null): Promise<{ stdout: string; stderr: string }> {
    const grader = fake
      ? { QUIZBOT_GRADER: 'openai', QUIZBOT_GRADER_URL: await fake.start(), QUIZBOT_GRADER_MODEL: 'fake', QUIZBOT_GRADER_API_KEY: 'sk-bench', QUIZBOT_GRADER_CONCURRENCY: '16' }
      : { QUIZBOT_GRADER: 'lexical' };
    const { spawn } = await import('node:child_process');
    const child = spawn(process.execPath, ['--import', 'tsx', 'scripts/bench-grading.ts'], { env: { ...process.env, ...grader } });
    const out = { stdout: '', stderr: '' };
    child.stdout.on('data', (d: Buffer) => (out.stdout += d.toString()));
    child.stderr.on('data', (d: Buffer) => (out.stderr += d.toString()));
    await new Promise((resolve) => child.on('close', resolve));
    return out;
  }

  it('GIVEN QUIZBOT_GRADER=openai THEN every figure is the model’s, each request valid; with the model down, one warning and the lexical figures', async () => {
    // (A "model" that finds only each answer's first point, quoting its first two words.)
    const firstOnly = new FakeOpenAI((r) => r.key_points.map((k, i) => ({ id: k.id, verdict: i === 0 ? 'covered' : 'missed', quote: i === 0 ? r.answer.split(/\s+/).slice(0, 2).join(' ') : '' })), 'sk-bench');
    fakes.push(firstOnly);
    const up = await runBench(firstOnly);
    expect(firstOnly.refused).toEqual([]);
    expect(up.stdout).toMatch(/^Grader: the model grader/m);
    const [, graded, lexical] = /Model grader: (\d+) answers graded by the model, (\d+) lexically/.exec(up.stdout) ?? [];
    expect(Number(graded)).toBe(firstOnly.requests.length);
    expect(Number(graded)).toBeGreaterThan(10 * Number(lexical));
    const down = new FakeOpenAI(() => [], 'sk-bench');
    down.mode = 'error';
    fakes.push(down);
    const out = await runBench(down);
    expect(out.stderr.match(/model grader unavailable/g)).toHaveLength(1);
    expect(out.stdout).toMatch(/Model grader: 0 answers graded by the model/);
    // (The lexical grader's figures, line for line: the reveal's fallback throughout.)
    const figures = (text: string) => text.split('\n').filter((l) => !/^(Grader|Model grader):/.test(l));
    expect(figures(out.stdout)).toEqual(figures((await runBench(null)).stdout));
    expect(figures(up.stdout)).not.toEqual(figures(out.stdout));
  }, 240_000);
});
