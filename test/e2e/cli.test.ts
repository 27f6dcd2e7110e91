/**
 * End to end through the real CLI process: `npm start`'s code path with piped stdin, on the
 * test run's Redis (a fresh key prefix per test).
 */
import { cpSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { createApp } from '../../src/app.js';
import { loadConfig } from '../../src/config/env.js';
import { silentLogger, type ChatPort } from '../../src/core/ports.js';
import type { ChannelRef } from '../../src/core/types.js';
import { ROOT, runCli } from '../helpers/cli.js';
import { newNamespace, redisUrl, testRedisHandle } from '../helpers/redis.js';

const temps: string[] = [];
afterAll(() => {
  for (const d of temps) rmSync(d, { recursive: true, force: true });
});

const GOOD =
  'The CAP theorem says a distributed system cannot guarantee consistency, availability and partition tolerance at the same time. Network partitions happen, so during a partition you must choose: a CP system such as ZooKeeper rejects some requests to stay consistent, an AP system such as Cassandra keeps serving and relies on eventual consistency.';
const PARTIAL = 'It is about consistency and availability when the network splits, so you pick one of them.';
const SALAD = 'consistency availability partition tolerance';

describe('console channel (npm start with no tokens)', () => {
  it('GIVEN a piped script THEN the whole round shows: question, replies, reveal with feedback, leaderboard in order', async () => {
    const script = ['/quiz cap', '/as alice', GOOD, '/as bob', PARTIAL, '/as carol', SALAD, '/quiz reveal', '/quiz leaderboard'].join('\n');
    const run = await runCli(['start'], { input: script + '\n', env: { REDIS_URL: redisUrl(), REDIS_PREFIX: newNamespace('e2e') } });
    expect(run.stderr).toBe('');
    expect(run.code).toBe(0);
    const out = run.stdout;
    expect(out).toMatch(/🧪 Practice: .*CAP/i);
    expect(out).toMatch(/Can you explain the CAP theorem/i);
    expect(out).toContain('✓ answer recorded for alice');
    expect(out).toMatch(/🔓 Reveal:/);
    expect(out).toMatch(/Sample answer/);
    expect(out).toMatch(/Key points:/);
    // feedback lines: covered (✓) and missed (✗) key points per member
    expect(out).toMatch(/alice: \d+ pts, \d\/\d key points/);
    expect(out).toMatch(/❌ /);
    // leaderboard: practice rounds score on the practice board; the channel board stays empty
    const reveal = out.slice(out.indexOf('🔓'));
    const order = ['alice', 'bob', 'carol'].map((n) => reveal.indexOf(`${n}: `));
    expect(order.every((i) => i > 0)).toBe(true);
    expect(order[0]!).toBeLessThan(order[1]!);
    expect(order[1]!).toBeLessThan(order[2]!);
  }, 60_000);

  it('GIVEN a posted and revealed daily question THEN /quiz history lists it with its thread and how it went, /quiz recap shows the period so far; a bad count is refused', async () => {
    const script = [
      '/quiz history',
      '/quiz post',
      '/as alice',
      GOOD,
      '/as bob',
      PARTIAL,
      '/quiz reveal',
      '/quiz history',
      '/quiz history 99',
      '/quiz leaderboard group nosuch',
      '/quiz recap',
      '/quiz recap month',
    ].join('\n');
    const run = await runCli(['start'], { input: script + '\n', env: { REDIS_URL: redisUrl(), REDIS_PREFIX: newNamespace('hist') } });
    expect(run.code).toBe(0);
    const out = run.stdout;
    expect(out).toMatch(/No daily questions here yet/);
    const history = out.slice(out.lastIndexOf('📚 The last'));
    expect(history).toMatch(/📚 The last 1 question in this channel:\n\s+1\. \d{4}-\d{2}-\d{2} — .+ — 2 answers, average coverage \d+% — \(thread-[^)]+\)/);
    expect(out).toMatch(/“99” is not a whole number from 1 to 25 \(count\)\. Usage: \/quiz history \[count\]/);
    // A board of a group that does not exist is an error, not an empty board.
    expect(out).toMatch(/There is no group “nosuch”\. Create one with \/quiz group create nosuch\./);
    // The week's and the month's recap so far (the channel gets them when the period ends).
    expect(out).toMatch(/📊 Weekly recap — week of \d+ \w+ \d{4} \(so far\)\n\s+🥇 (alice|bob) — \d+ pts\n\s+🥈 (alice|bob) — \d+ pts/);
    expect(out).toMatch(/📊 Monthly recap — \w+ \d{4} \(so far\)/);
    expect(out).toMatch(/👥 Participation: 2 members answered 1 question \(2 answers in all\)/);
  }, 60_000);

  it('GIVEN a notify role THEN /quiz notify on opts in, the daily question pings it, and a reminder can be set', async () => {
    const script = [
      '/quiz notify on',
      '/quiz notify role quiz-pings',
      '/as bob',
      '/quiz notify on',
      '/quiz notify',
      '/quiz schedule reminder 1h',
      '/quiz post',
    ].join('\n');
    const run = await runCli(['start'], { input: script + '\n', env: { REDIS_URL: redisUrl(), REDIS_PREFIX: newNamespace('notify') } });
    expect(run.code).toBe(0);
    const out = run.stdout;
    expect(out).toMatch(/no notify role yet: an admin sets one with \/quiz notify role @role/);
    expect(out).toMatch(/Daily questions here will ping the notify role/);
    expect(out).toMatch(/You will be pinged when the daily question posts here/);
    expect(out).toMatch(/Reminder 1 h before each reveal/);
    expect(out).toMatch(/🔔 @quiz-pings \(bob\)\n.*📌 Question of the day/);
  }, 60_000);

  it('GIVEN a suggestion THEN it is approved, posted with credit, revealed, and exported as content files that pass content check', async () => {
    const env = { REDIS_URL: redisUrl(), REDIS_PREFIX: newNamespace('suggest') };
    const sample =
      'A Bloom filter is a compact probabilistic set that answers membership queries. It can return false positives but never false negatives. It uses several hash functions that each set a bit in a shared bit array. Databases such as Cassandra use one per file to skip disk reads for keys that are absent.';
    const script = [
      '/as bob',
      `/quiz suggest What is a Bloom filter? | Explain what a Bloom filter is and when a backend would use one. | ${sample}`,
      '/as you',
      '/quiz suggestions',
      '/quiz approve s1 topics=bloom-filter level=senior',
      '/quiz schedule set 0 9 * * * UTC 8h',
      '/quiz schedule topics bloom-filter',
      '/quiz post',
      '/as alice',
      sample,
      '/quiz reveal',
    ].join('\n');
    const run = await runCli(['start'], { input: script + '\n', env });
    expect(run.code).toBe(0);
    const out = run.stdout;
    expect(out).toMatch(/Your question “What is a Bloom filter\?” \(s1\) waits for an admin/);
    expect(out).toMatch(/📨 \(privately, to bob\) ✅ Your suggested question “What is a Bloom filter\?” was approved/);
    expect(out).toMatch(/📌 Question of the day: What is a Bloom filter\?[\s\S]*Round \d{4}-\d{2}-\d{2} · suggested by bob/);
    expect(out).toMatch(/🔓 Reveal: What is a Bloom filter\?/);
    const dir = mkdtempSync(join(tmpdir(), 'quizbot-export-'));
    try {
      const exported = await runCli(['content', 'export', '--server', 'console:local', '--out', dir], { env });
      expect(exported.code, exported.stderr).toBe(0);
      expect(exported.stdout).toMatch(/1 question written to .*questions — check them with: quizbot content check --dir/);
      const check = await runCli(['content', 'check', '--dir', dir], { env });
      expect(check.code, check.stderr).toBe(0);
      expect(check.stdout).toMatch(/content OK: 1 questions/);
      const bad = await runCli(['content', 'export', '--out', dir], { env });
      expect(bad.code).toBe(2);
      expect(bad.stderr).toMatch(/--server is required/);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  }, 90_000);

  it('GIVEN an unknown topic THEN the console suggests close ones and keeps going', async () => {
    const run = await runCli(['start'], { input: '/quiz cpa-theorm\n/quiz zzzzqqq\n', env: { REDIS_URL: redisUrl(), REDIS_PREFIX: newNamespace('e2e') } });
    expect(run.code).toBe(0);
    expect(run.stdout).toMatch(/CAP/);
    expect(run.stdout).toMatch(/No question matches “zzzzqqq”/);
  }, 60_000);

  it('GIVEN `demo` THEN a scripted round with three members prints and exits 0', async () => {
    const run = await runCli(['demo'], { env: {} });
    expect(run.code).toBe(0);
    expect(run.stdout).toMatch(/🔓 Reveal:/);
    expect(run.stdout).toMatch(/🏆 Leaderboard/);
    expect(run.stdout.match(/answer recorded/g)?.length).toBe(3);
  }, 60_000);

  it('GIVEN redis-server is not on PATH and no REDIS_URL THEN start exits 1 with install instructions', async () => {
    const run = await runCli(['start'], { env: { PATH: '/nonexistent', QUIZBOT_DATA_DIR: mkdtempSync(join(tmpdir(), 'qb-nopath-')) } });
    expect(run.code).toBe(1);
    expect(run.stderr).toContain('apt-get install -y redis-server');
  }, 60_000);

  it('GIVEN a bad configuration value THEN start exits 1 naming the variable', async () => {
    const run = await runCli(['start'], { env: { QUIZBOT_TIMEZONE: 'Nowhere/Land' } });
    expect(run.code).toBe(1);
    expect(run.stderr).toMatch(/QUIZBOT_TIMEZONE: expected an IANA time zone/);
  }, 60_000);
});

describe('export', () => {
  it('GIVEN a scored daily question THEN export answers (CSV) and scores (JSON) print what Redis holds; formulas are defused; --server is required', async () => {
    const prefix = newNamespace('export');
    const redis = testRedisHandle();
    const app = await createApp({ config: loadConfig({ REDIS_URL: redisUrl(), REDIS_PREFIX: prefix }), logger: silentLogger, redis });
    let n = 0;
    const chat: ChatPort = {
      sendQuestion: async () => ({ messageRef: `m${++n}` }),
      openThread: async (_c, ref) => ({ threadRef: `t-${ref}` }),
      postReveal: async (_c, _t, _v, p) => {
        await p.before(0);
        await p.sent(0);
      },
      markRevealed: async () => {},
      tellMember: async () => {},
      sendNotice: async () => {},
      setRoleMember: async () => {},
    };
    app.chat.register('discord', chat);
    const channel: ChannelRef = { platform: 'discord', serverId: 'g1', channelId: 'c1' };
    await app.scheduling.update(channel, { cron: '0 9 * * *', timezone: 'UTC' });
    const { round } = await app.quiz.startRound(channel, { mode: 'scheduled', slotMs: Date.UTC(2026, 10, 23, 9), topic: 'cap', revealAt: null });
    const threadRef = (await app.store.getRound(round.id))!.threadRef!;
    await app.quiz.recordAnswer({ channel, threadRef, member: { id: 'u1', name: 'alice' }, text: GOOD, deliveryId: 'a' });
    await app.quiz.recordAnswer({
      channel,
      threadRef,
      member: { id: 'u2', name: 'bob' },
      text: '=HYPERLINK("x") says "pick one", then availability',
      deliveryId: 'b',
    });
    await app.quiz.reveal(round.id);
    await app.close();
    await redis.close();
    const env = { REDIS_URL: redisUrl(), REDIS_PREFIX: prefix };

    const answers = await runCli(['export', 'answers', '--server', 'discord:g1', '--format', 'csv'], { env });
    expect(answers.code).toBe(0);
    const lines = answers.stdout.trim().split('\r\n');
    expect(lines[0]).toBe('date,channelId,roundId,questionId,memberId,name,private,receivedAt,text');
    expect(lines).toHaveLength(3);
    expect(answers.stdout).toContain(`"'=HYPERLINK(""x"") says ""pick one"", then availability"`);

    const scores = await runCli(['export', 'scores', '--server', 'discord:g1', '--period', 'all', '--format', 'json'], { env });
    expect(scores.code).toBe(0);
    const rows = JSON.parse(scores.stdout) as { rank: number; name: string; points: number }[];
    expect(rows.map((r) => r.name)).toEqual(['alice', 'bob']);
    expect(rows[0]!.points).toBeGreaterThan(rows[1]!.points);

    const bad = await runCli(['export', 'scores'], { env });
    expect(bad.code).toBe(2);
    expect(bad.stderr).toMatch(/--server is required, as <platform>:<id>/);
  }, 60_000);
});

describe('content commands', () => {
  it('GIVEN the shipped bank THEN content check passes and ask cap prints the CAP question', async () => {
    const check = await runCli(['content', 'check', '--strict']);
    expect(check.stderr).toBe('');
    expect(check.code).toBe(0);
    expect(check.stdout).toMatch(/content OK: \d+ questions/);
    const ask = await runCli(['ask', 'cap']);
    expect(ask.code).toBe(0);
    expect(ask.stdout).toMatch(/CAP theorem/i);
  }, 60_000);

  it('GIVEN a broken question file THEN content check exits 1 naming the file and the field', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'qb-content-'));
    temps.push(dir);
    cpSync(join(ROOT, 'content'), dir, { recursive: true });
    const file = join(dir, 'questions', 'broken-example.md');
    writeFileSync(
      file,
      '---\nid: broken-example\ntitle: Broken\ntopics: [x]\nlevel: expert\nkind: technical\nsources: []\nkeyPoints: []\n---\n\n## Question\n\nWhy?\n',
    );
    const run = await runCli(['content', 'check', '--dir', dir]);
    expect(run.code).toBe(1);
    expect(run.stderr).toMatch(/questions\/broken-example\.md: level: /);
  }, 60_000);

  it('GIVEN a phrase that loses a word or is a single common word THEN content check warns, and --strict fails', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'qb-lint-'));
    temps.push(dir);
    cpSync(join(ROOT, 'content'), dir, { recursive: true });
    const file = join(dir, 'questions', 'acid.md');
    const src = (await import('node:fs')).readFileSync(file, 'utf8');
    writeFileSync(file, src.replace(/phrases: \[/, 'phrases: ["because of the commit", "data", '));
    const loose = await runCli(['content', 'check', '--dir', dir]);
    expect(loose.code).toBe(0);
    expect(loose.stderr).toMatch(/acid\.md: keyPoints\[0\]\.phrases\[0\]: “because of the commit” loses “because” when matched/);
    expect(loose.stderr).toMatch(/acid\.md: keyPoints\[0\]\.phrases\[1\]: “data” is a single common word/);
    const strict = await runCli(['content', 'check', '--dir', dir, '--strict']);
    expect(strict.code).toBe(1);
    expect(strict.stderr).toMatch(/phrase warning\(s\) in content\/ \(--strict\)/);
  }, 60_000);

  it('GIVEN grade --json and grade --batch THEN quality, coverage, flags and per-point evidence come out, one line per answer in order', async () => {
    const one = await runCli(['grade', 'cap-theorem', '--json', GOOD]);
    expect(one.code).toBe(0);
    const g = JSON.parse(one.stdout) as { quality: number; coverage: number; flags: string[]; covered: { id: string; evidence: string }[]; missed: unknown[] };
    expect(g.quality).toBeGreaterThan(0.5);
    expect(g.covered[0]!.evidence.length).toBeGreaterThan(3);
    const dir = mkdtempSync(join(tmpdir(), 'qb-batch-'));
    temps.push(dir);
    const file = join(dir, 'answers.jsonl');
    writeFileSync(
      file,
      [GOOD, SALAD, 'The CAP theorem does not involve consistency and never involves availability.']
        .map((text) => JSON.stringify({ id: 'cap-theorem', text }))
        .join('\n') + '\n',
    );
    const batch = await runCli(['grade', '--batch', file]);
    expect(batch.code).toBe(0);
    const rows = batch.stdout
      .trim()
      .split('\n')
      .map((l) => JSON.parse(l) as { id: string; quality: number; flags: string[] });
    expect(rows.map((r) => r.id)).toEqual(['cap-theorem', 'cap-theorem', 'cap-theorem']);
    expect(rows[0]!.quality).toBeGreaterThan(rows[1]!.quality);
    expect(rows[0]!.quality).toBeGreaterThan(rows[2]!.quality);
  }, 60_000);

  it('GIVEN nothing matches THEN ask exits 1 with suggestions', async () => {
    const run = await runCli(['ask', 'kubernetes-operator-xyz']);
    expect(run.code).toBe(1);
    expect(run.stderr).toMatch(/No question matches/);
  }, 60_000);
});

describe('usage errors and start without platforms', () => {
  it('GIVEN an unexpected argument THEN exit 2 with the command usage, never a stack trace', async () => {
    const extra = await runCli(['content', 'check', 'extra-arg']);
    expect(extra.code).toBe(2);
    expect(extra.stderr).toMatch(/Unexpected argument 'extra-arg'[\s\S]*Usage: quizbot content check/);
    expect(extra.stderr).not.toMatch(/\n\s+at /);
    const start = await runCli(['start', '-x']);
    expect(start.code).toBe(2);
    expect(start.stderr).toMatch(/start takes no arguments/);
    // A word every JavaScript object answers to is an unknown command, not a crash.
    const proto = await runCli(['constructor']);
    expect(proto.code).toBe(2);
    expect(proto.stderr).toMatch(/Unknown command “constructor”/);
    expect(proto.stderr).not.toMatch(/\n\s+at /);
  }, 60_000);

  it('GIVEN no platform and no input (a container without tokens) THEN start says so and exits 1; a misspelt variable is named', async () => {
    const run = await runCli(['start'], { env: { REDIS_URL: redisUrl(), REDIS_PREFIX: newNamespace('cli'), DISCORD_TOKN: 'x' } });
    expect(run.code).toBe(1);
    expect(run.stderr).toMatch(/No chat platform is configured/);
    expect(run.stderr).toMatch(/DISCORD_TOKN is not a quizbot setting; did you mean DISCORD_TOKEN\?/);
  }, 60_000);

  it('GIVEN an unreachable REDIS_URL THEN one line naming it with the password hidden, and exit 1', async () => {
    const run = await runCli(['start'], { env: { REDIS_URL: 'redis://user:hunter2@127.0.0.1:1' }, input: '/help\n' });
    expect(run.code).toBe(1);
    expect(run.stderr.trim().split('\n')).toHaveLength(1);
    expect(run.stderr).toMatch(/Cannot reach Redis at REDIS_URL=redis:\/\/user:\*\*\*@127\.0\.0\.1:1 \(ECONNREFUSED\)/);
    expect(run.stderr).not.toContain('hunter2');
  }, 60_000);
});
