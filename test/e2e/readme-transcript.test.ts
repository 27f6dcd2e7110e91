/**
 * The console transcript in README.md is what the console really prints (issue 26, item 3).
 *
 * The block between `<!-- transcript:start -->` and `<!-- transcript:end -->` is read from the
 * README and checked against a real console run (the CLI process `npm start` runs, with piped
 * input, on the test run's Redis):
 * - The input is read from the transcript itself: every line that starts with a member's name and
 *   a colon (`you:`, `alice:`, `bob:`; not `quizbot:`) is what that member typed, in order. So the
 *   README cannot show one script and the test run another.
 * - The output must equal the transcript line by line, from its first line to its last, except:
 *   a line holding only `…` stands for one or more lines left out (the long sample answers);
 *   trailing spaces are ignored; and date-times (`2026-12-06 05:13`, the practice question's
 *   reveal time) are replaced by `YYYY-MM-DD hh:mm` on both sides, the only part of this output
 *   that depends on the clock. The transcript shows the all-time board, which has no date in it.
 *   Round ids, timings and log lines do not appear in this output (the logger's warnings go to
 *   stderr, which must stay empty).
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { ROOT, runCli } from '../helpers/cli.js';
import { newNamespace, redisUrl } from '../helpers/redis.js';
import { budget } from '../helpers/wait.js';

const START = '<!-- transcript:start -->';
const END = '<!-- transcript:end -->';
const ELISION = '…';

/** The transcript's lines: the fenced code block between the two markers. */
function readmeTranscript(): string[] {
  const readme = readFileSync(join(ROOT, 'README.md'), 'utf8');
  const from = readme.indexOf(START);
  const to = readme.indexOf(END);
  if (from < 0 || to < from) throw new Error(`README.md has no ${START} … ${END} block`);
  const fence = /```[a-z]*\n([\s\S]*?)\n```/.exec(readme.slice(from + START.length, to));
  if (!fence) throw new Error('the transcript block in README.md holds no fenced code block');
  return fence[1]!.split('\n');
}

/** What the members typed: `name: text` lines at the start of a line, except the bot's own. */
function scriptOf(transcript: readonly string[]): string[] {
  return transcript.flatMap((line) => {
    const m = /^([a-z][a-z0-9_-]*): (.*)$/i.exec(line);
    return m && m[1] !== 'quizbot' ? [m[2]!] : [];
  });
}

const normalise = (line: string) => line.trimEnd().replace(/\b\d{4}-\d{2}-\d{2} \d{2}:\d{2}\b/g, 'YYYY-MM-DD hh:mm');

/**
 * Where the output departs from the transcript (null when it matches): the transcript's segments
 * between `…` lines must appear in order, the first at the output's start, the last at its end,
 * and each `…` must stand for at least one line.
 */
function mismatch(transcript: readonly string[], output: readonly string[]): string | null {
  const want = transcript.map(normalise);
  const got = output.map(normalise);
  const segments: string[][] = [[]];
  for (const line of want) {
    if (line.trim() === ELISION) segments.push([]);
    else segments.at(-1)!.push(line);
  }
  const matchesAt = (segment: string[], at: number) => segment.every((line, i) => got[at + i] === line);
  let at = 0;
  for (const [i, segment] of segments.entries()) {
    const first = i === 0;
    const last = i === segments.length - 1;
    let found = -1;
    if (first) found = matchesAt(segment, 0) ? 0 : -1;
    else if (last) found = got.length - segment.length >= at + 1 && matchesAt(segment, got.length - segment.length) ? got.length - segment.length : -1;
    else for (let j = at + 1; j + segment.length <= got.length && found < 0; j++) if (matchesAt(segment, j)) found = j;
    if (found < 0) {
      // Name the first line of the segment that differs from the output where it should be.
      const base = first ? 0 : last ? Math.max(at + 1, got.length - segment.length) : at + 1;
      const k = segment.findIndex((line, n) => got[base + n] !== line);
      return `transcript segment ${i + 1} does not match the console output.\n  README: ${JSON.stringify(segment[Math.max(k, 0)])}\n  output: ${JSON.stringify(got[base + Math.max(k, 0)])}`;
    }
    at = found + segment.length;
  }
  return at === got.length ? null : `the console printed more than the transcript shows, from: ${JSON.stringify(got[at])}`;
}

describe('README transcript', () => {
  it(
    'GIVEN the README console transcript THEN running its input through the console prints exactly that transcript',
    async () => {
      const transcript = readmeTranscript();
      const script = scriptOf(transcript);
      expect(script.length).toBeGreaterThan(3);
      const run = await runCli(['start'], { input: script.join('\n') + '\n', env: { REDIS_URL: redisUrl(), REDIS_PREFIX: newNamespace('readme') } });
      expect(run.stderr).toBe('');
      expect(run.code).toBe(0);
      const output = run.stdout.replace(/\n$/, '').split('\n');
      expect(mismatch(transcript, output), run.stdout).toBeNull();
    },
    budget(60_000),
  );

  it('GIVEN a transcript line that differs from the output THEN the comparison reports it (the check can fail)', () => {
    const output = ['you: /quiz cap', 'quizbot: 🧪 Practice: The CAP theorem', '     a', '     b', '   ↳ thread opened'];
    expect(mismatch(['you: /quiz cap', 'quizbot: 🧪 Practice: The CAP theorem', '     …', '   ↳ thread opened'], output)).toBeNull();
    expect(mismatch(['you: /quiz cap', 'quizbot: 🧪 Practice: The ACID theorem', '     …', '   ↳ thread opened'], output)).toMatch(/ACID/);
    expect(mismatch(['you: /quiz cap', 'quizbot: 🧪 Practice: The CAP theorem'], output)).toMatch(/printed more/);
    expect(mismatch(['you: /quiz cap', '…', '     a', '     b', '   ↳ thread opened'], output)).toBeNull();
    expect(mismatch(['you: /quiz cap', '…', 'quizbot: 🧪 Practice: The CAP theorem', '     a', '     b', '   ↳ thread opened'], output)).toMatch(/segment 2/);
  });
});
