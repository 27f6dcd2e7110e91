#!/usr/bin/env node
/**
 * `npm run quizbot -- <command>`. Each command has --help. Exit codes: 0 ok, 1 a problem the
 * user can fix (message on stderr), 2 bad usage.
 */
import { readFile } from 'node:fs/promises';
import { existsSync, mkdirSync, mkdtempSync, realpathSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { Readable } from 'node:stream';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import { createApp, type App } from './app.js';
import { ConfigError, loadConfig, type Config } from './config/env.js';
import { checkContent, ContentError, loadBank } from './content/loader.js';
import { gradeDetailed } from './content/grading.js';
import type { Question } from './content/types.js';
import { QuizError } from './core/text/errors.js';
import { exportAnswers, exportScores, parseServer, toCsv } from './core/progress/export.js';
import type { Period } from './core/types.js';
import { previewSlots } from './core/schedule/schedule.js';
import { runConsole, toolLogger } from './console.js';
import { RedisNotInstalledError } from './store/embedded.js';
import { PortUnavailableError } from './ops/http.js';
import { RedisUnreachableError } from './store/connection.js';

export class UsageError extends Error {}

interface CommandSpec {
  summary: string;
  usage: string;
  run(args: string[]): Promise<number>;
}

const out = (s: string) => process.stdout.write(s + '\n');
const err = (s: string) => process.stderr.write(s + '\n');

const COMMANDS: Record<string, CommandSpec> = {
  start: {
    summary: 'run every configured platform (Discord, Slack); with none, the local console',
    usage: 'quizbot start',
    run: async (args) => {
      if (args.length > 0) throw new UsageError(`start takes no arguments (got “${args[0]}”); settings come from the environment`);
      return (await import('./main.js')).start();
    },
  },
  worker: {
    summary: 'run the job workers only (posts, reveals): no gateway, socket or listener; needs REDIS_URL',
    usage: 'quizbot worker',
    run: async (args) => {
      if (args.length > 0) throw new UsageError(`worker takes no arguments (got “${args[0]}”); settings come from the environment`);
      return (await import('./main.js')).startWorker();
    },
  },
  console: {
    summary: 'open the local console channel (also what `start` does with no tokens)',
    usage: 'quizbot console',
    run: async () => runConsole(loadConfig(), process.stdin),
  },
  demo: {
    summary: 'a scripted full round with three members, printed as a transcript',
    usage: 'quizbot demo',
    run: async () => runDemo(),
  },
  'export scores': {
    summary: "a server's leaderboard of a period, as CSV or JSON on stdout",
    usage: 'quizbot export scores --server <platform:id> [--period week|month|all] [--format csv|json]',
    run: async (args) => runExport('scores', args),
  },
  'export answers': {
    summary: "a server's answers still kept (QUIZBOT_RETENTION), as CSV or JSON on stdout",
    usage: 'quizbot export answers --server <platform:id> [--period week|month|all] [--format csv|json]',
    run: async (args) => runExport('answers', args),
  },
  'content check': {
    summary: 'validate every file in content/ and the sources manifest',
    usage: 'quizbot content check [--dir DIR] [--strict]   (--strict: phrase warnings fail too; CI uses it)',
    run: async (args) => {
      const { values } = parseArgs({ args, options: { dir: { type: 'string' }, strict: { type: 'boolean' } } });
      const result = await checkContent(values.dir);
      for (const p of result.problems) err(p);
      for (const w of result.warnings) err(`warning: ${w}`);
      if (result.problems.length > 0) {
        err(`${result.problems.length} problem(s) in content/.`);
        return 1;
      }
      if (values.strict && result.warnings.length > 0) {
        err(`${result.warnings.length} phrase warning(s) in content/ (--strict).`);
        return 1;
      }
      out(`content OK: ${result.count} questions${result.warnings.length ? `, ${result.warnings.length} warning(s)` : ''}`);
      return 0;
    },
  },
  'content export': {
    summary: "a server's approved suggestions as content files (commit them to ship them)",
    usage: 'quizbot content export --server <platform:id> --out <dir>   (writes <dir>/questions/<id>.md and <dir>/sources.yaml)',
    run: async (args) => runContentExport(args),
  },
  'content list': {
    summary: 'list the questions, optionally of one topic',
    usage: 'quizbot content list [--topic T] [--json]',
    run: async (args) => {
      const { values } = parseArgs({ args, options: { topic: { type: 'string' }, json: { type: 'boolean' }, dir: { type: 'string' } } });
      const bank = await loadBank(values.dir);
      const qs = values.topic ? bank.filter({ topics: [values.topic.toLowerCase()] }) : [...bank.all()];
      if (values.json) {
        out(JSON.stringify(qs, null, 2));
      } else {
        for (const q of qs) out(`${q.id.padEnd(42)} ${q.level.padEnd(6)} ${q.kind.padEnd(11)} ${q.topics.join(', ')}`);
        out(`${qs.length} question(s)`);
      }
      return 0;
    },
  },
  ask: {
    summary: 'print the question that best matches a topic',
    usage: 'quizbot ask <topic> [--json]',
    run: async (args) => {
      const { values, positionals } = parseArgs({ args, allowPositionals: true, options: { json: { type: 'boolean' }, dir: { type: 'string' } } });
      const topic = positionals.join(' ').trim();
      if (!topic) throw new UsageError('ask needs a topic, e.g. quizbot ask cap');
      const bank = await loadBank(values.dir);
      const found = bank.find(topic);
      if (found.kind === 'none') {
        if (values.json) out(JSON.stringify(found, null, 2));
        err(`No question matches “${topic}”.`);
        if (found.suggestions.length) err(`Closest: ${found.suggestions.map((s) => `${s.title} (${s.id})`).join('; ')}`);
        return 1;
      }
      const q = found.question;
      if (values.json) out(JSON.stringify(found, null, 2));
      else out([`${q.title}  [${q.id}]`, `${q.level} · ${q.kind} · ${q.topics.join(', ')}`, '', q.prompt].join('\n'));
      return 0;
    },
  },
  'schedule preview': {
    summary: 'the next slots of a cron pattern in a zone, exactly as the scheduler fires them',
    usage: 'quizbot schedule preview "<cron>" [zone] [--from ISO] [--count N] [--json]',
    run: async (args) => {
      const { values, positionals } = parseArgs({
        args,
        allowPositionals: true,
        options: { from: { type: 'string' }, count: { type: 'string' }, json: { type: 'boolean' } },
      });
      const [pattern, zone, ...extra] = positionals;
      if (!pattern) throw new UsageError('schedule preview needs a cron pattern, e.g. quizbot schedule preview "0 9 * * 1-5" Europe/Berlin');
      if (extra.length > 0) throw new UsageError(`unexpected argument “${extra[0]}” (quote the cron pattern)`);
      const from = values.from === undefined ? Date.now() : Date.parse(values.from);
      if (!Number.isFinite(from)) throw new UsageError(`--from “${values.from}” is not an ISO 8601 date, e.g. 2026-10-24T00:00:00Z`);
      const count = values.count === undefined ? 10 : Number(values.count);
      if (!Number.isInteger(count) || count < 1 || count > 1000) throw new UsageError('--count must be a whole number from 1 to 1000');
      const config = loadConfig();
      let slots: ReturnType<typeof previewSlots>;
      try {
        slots = previewSlots(pattern, zone ?? config.defaultTimezone, from, count, config.minIntervalMs);
      } catch (e) {
        if (e instanceof QuizError) {
          err(e.message);
          return 1;
        }
        throw e;
      }
      if (values.json) out(JSON.stringify(slots.map(({ at, epochMs }) => ({ at, epochMs }))));
      else for (const s of slots) out(`${s.at}  ${s.local}`);
      return 0;
    },
  },
  grade: {
    summary: 'grade an answer (or a batch of answers) against a question’s key points',
    usage:
      'quizbot grade <question-id> [answer text] [--json] [--dir <content dir>]   (reads the answer from stdin when no text is given)\n' +
      '       quizbot grade --batch <answers.jsonl> [--dir <content dir>]   (one {"id": "...", "text": "..."} per line; prints one JSON result per line, in order)',
    run: async (args) => {
      const { values, positionals } = parseArgs({
        args,
        allowPositionals: true,
        options: { json: { type: 'boolean' }, dir: { type: 'string' }, batch: { type: 'string' } },
      });
      const bank = await loadBank(values.dir);
      if (values.batch !== undefined) {
        if (positionals.length > 0) throw new UsageError(`--batch takes no other arguments (got “${positionals[0]}”)`);
        let failed = 0;
        const lines = (await readFile(values.batch, 'utf8')).split('\n');
        for (const [i, line] of lines.entries()) {
          if (!line.trim()) continue;
          let item: { id?: unknown; text?: unknown };
          try {
            item = JSON.parse(line) as { id?: unknown; text?: unknown };
          } catch {
            out(JSON.stringify({ line: i + 1, error: 'not a JSON object' }));
            failed++;
            continue;
          }
          const q = typeof item.id === 'string' ? bank.get(item.id) : undefined;
          if (!q || typeof item.text !== 'string') {
            out(JSON.stringify({ line: i + 1, id: item.id ?? null, error: q ? 'text must be a string' : `no question with id “${String(item.id)}”` }));
            failed++;
            continue;
          }
          out(JSON.stringify(gradeJson(q, item.text)));
        }
        return failed > 0 ? 1 : 0;
      }
      const id = positionals[0];
      if (!id) throw new UsageError('grade needs a question id, e.g. quizbot grade cap-theorem < answer.txt');
      const q = bank.get(id);
      if (!q) {
        err(`No question with id “${id}”.`);
        const s = bank.suggest(id, 5);
        if (s.length) err(`Closest: ${s.map((x) => x.id).join(', ')}`);
        return 1;
      }
      const text = positionals.length > 1 ? positionals.slice(1).join(' ') : await readAll(process.stdin);
      if (values.json) {
        out(JSON.stringify(gradeJson(q, text), null, 2));
        return 0;
      }
      const g = gradeDetailed(q, text);
      out(
        `${q.title}: ${g.covered.length}/${q.keyPoints.length} key points, quality ${(g.quality * 100).toFixed(0)}%${g.flags.length ? ` (${g.flags.join(', ')})` : ''}`,
      );
      for (const p of g.points) {
        const tag = p.point.bonus ? ' (bonus)' : '';
        if (p.result.covered) out(`  ✓ ${p.point.point}${tag} — you wrote “${p.result.evidence}”`);
        else out(`  ✗ ${p.point.point}${tag}${p.result.voided ? ` — ${p.result.voided}` : ''}`);
      }
      return 0;
    },
  },
};

/** `grade --json` / `--batch`: quality, coverage, flags, and per point covered/missed with evidence. */
function gradeJson(q: Question, text: string) {
  const g = gradeDetailed(q, text);
  return {
    id: q.id,
    quality: round3(g.quality),
    coverage: round3(g.coverage),
    flags: g.flags,
    covered: g.points
      .filter((p) => p.result.covered)
      .map((p) => ({ id: p.point.id, point: p.point.point, bonus: p.point.bonus ?? false, evidence: p.result.evidence })),
    missed: g.points
      .filter((p) => !p.result.covered)
      .map((p) => ({ id: p.point.id, point: p.point.point, bonus: p.point.bonus ?? false, ...(p.result.voided ? { voided: p.result.voided } : {}) })),
  };
}

const round3 = (x: number) => Math.round(x * 1000) / 1000;

async function readAll(stream: NodeJS.ReadableStream): Promise<string> {
  const chunks: Buffer[] = [];
  for await (const c of stream) chunks.push(Buffer.isBuffer(c) ? c : Buffer.from(String(c)));
  return Buffer.concat(chunks).toString('utf8');
}

const DEMO_SCRIPT = [
  '/quiz cap',
  '/as alice',
  'The CAP theorem says a distributed system can only guarantee two of consistency, availability and partition tolerance at the same time. Since network partitions will happen, during a partition you have to choose: a CP system like ZooKeeper or HBase refuses some requests to stay consistent, while an AP system like Cassandra or DynamoDB keeps answering and accepts eventual consistency. So the real trade-off is consistency versus availability when the network splits.',
  '/as bob',
  'It is about consistency and availability: when the network splits you must pick one of the two.',
  '/as carol',
  'consistency availability partition tolerance cp ap',
  '/quiz reveal',
  '/quiz leaderboard week practice',
];

/** `--server <platform:id>`, required by the tools that read one server's data. */
function requireServer(value: string | undefined): NonNullable<ReturnType<typeof parseServer>> {
  const server = value ? parseServer(value) : null;
  if (!server) throw new UsageError('--server is required, as <platform>:<id>, e.g. --server discord:123456789012345678');
  return server;
}

/** Runs a tool against the configured Redis, closing the app afterwards. */
async function withApp(fn: (app: App, config: Config) => Promise<number>): Promise<number> {
  const config = loadConfig();
  const app = await createApp({ config, logger: toolLogger(config) });
  try {
    return await fn(app, config);
  } finally {
    await app.close();
  }
}

async function runExport(what: 'scores' | 'answers', args: string[]): Promise<number> {
  const { values } = parseArgs({ args, options: { server: { type: 'string' }, period: { type: 'string' }, format: { type: 'string' } } });
  const server = requireServer(values.server);
  const period = (values.period ?? 'all') as Period;
  if (!['week', 'month', 'all'].includes(period)) throw new UsageError(`--period is week, month or all (got “${values.period}”)`);
  const format = values.format ?? 'csv';
  if (format !== 'csv' && format !== 'json') throw new UsageError(`--format is csv or json (got “${values.format}”)`);
  return withApp(async (app, config) => {
    const deps = { store: app.store, schedules: app.scheduleStore, now: app.clock.now(), timezone: config.defaultTimezone };
    if (what === 'scores') {
      const rows = await exportScores(deps, server, period);
      out(format === 'json' ? JSON.stringify(rows, null, 2) : toCsv(rows, ['rank', 'memberId', 'name', 'points', 'period']).trimEnd());
    } else {
      const rows = await exportAnswers(deps, server, period);
      out(
        format === 'json'
          ? JSON.stringify(rows, null, 2)
          : toCsv(rows, ['date', 'channelId', 'roundId', 'questionId', 'memberId', 'name', 'private', 'receivedAt', 'text']).trimEnd(),
      );
    }
    return 0;
  });
}

/**
 * mkdir -p, one level at a time: Node's recursive mkdir spins for a long time on paths such as
 * /proc/self/x, where every level reports ENOENT; this fails at the first level it cannot make.
 */
function makeDirs(dir: string): void {
  const missing: string[] = [];
  let at = resolve(dir);
  while (!existsSync(at)) {
    missing.unshift(at);
    const up = dirname(at);
    if (up === at) break;
    at = up;
  }
  for (const d of missing) mkdirSync(d);
}

async function runContentExport(args: string[]): Promise<number> {
  const { values } = parseArgs({ args, options: { server: { type: 'string' }, out: { type: 'string' } } });
  const server = requireServer(values.server);
  const outDir = values.out;
  if (!outDir) throw new UsageError('--out <dir> is required: where to write the question files');
  // The directory first, before Redis and the bank: a path that cannot be written fails at once.
  const dir = join(outDir, 'questions');
  try {
    makeDirs(dir);
  } catch (err) {
    throw new UsageError(`--out ${outDir}: cannot create a directory there (${(err as NodeJS.ErrnoException).code ?? (err as Error).message})`);
  }
  return withApp(async (app) => {
    const files = await app.suggestions.files(server);
    for (const [id, file] of [...files].sort()) writeFileSync(join(dir, `${id}.md`), file);
    // Member questions cite no seed passage: an empty manifest makes the directory checkable alone.
    const manifest = join(outDir, 'sources.yaml');
    if (!existsSync(manifest)) writeFileSync(manifest, '{}\n');
    out(
      `${files.size} question${files.size === 1 ? '' : 's'} written to ${dir}${files.size ? ` — check them with: quizbot content check --dir ${outDir}` : ''}`,
    );
    return 0;
  });
}

async function runDemo(): Promise<number> {
  const base = loadConfig();
  const dir = mkdtempSync(join(tmpdir(), 'quizbot-demo-'));
  // A throwaway Redis and namespace: the demo never touches real data.
  const config: Config = { ...base, dataDir: dir, redisPrefix: `demo${process.pid}` };
  try {
    return await runConsole(config, Readable.from(DEMO_SCRIPT.map((l) => l + '\n')));
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

function usage(): string {
  const lines = ['Usage: npm run quizbot -- <command> [options]', '', 'Commands:'];
  for (const [name, spec] of Object.entries(COMMANDS)) lines.push(`  ${name.padEnd(16)} ${spec.summary}`);
  lines.push('', 'Each command takes --help.');
  return lines.join('\n');
}

export async function cli(argv: string[]): Promise<number> {
  const [a, b, ...rest] = argv;
  if (!a || a === '--help' || a === '-h' || a === 'help') {
    out(usage());
    return a ? 0 : 2;
  }
  // (Own keys only: "constructor" or "toString" is no command.)
  const command = (n: string): CommandSpec | undefined => (Object.hasOwn(COMMANDS, n) ? COMMANDS[n] : undefined);
  const twoWord = b !== undefined && command(`${a} ${b}`) ? `${a} ${b}` : null;
  const name = twoWord ?? a;
  const spec = command(name);
  const args = twoWord ? rest : argv.slice(1);
  if (!spec) {
    if (a === 'content') err('content needs a subcommand: check or list');
    else if (a === 'schedule') err('schedule needs a subcommand: preview');
    else err(`Unknown command “${a}”.`);
    err(usage());
    return 2;
  }
  if (args.includes('--help') || args.includes('-h')) {
    out(`Usage: ${spec.usage}\n\n${spec.summary}`);
    return 0;
  }
  try {
    return await spec.run(args);
  } catch (e) {
    if (e instanceof UsageError) {
      err(e.message);
      err(`Usage: ${spec.usage}`);
      return 2;
    }
    if (
      e instanceof ConfigError ||
      e instanceof ContentError ||
      e instanceof RedisNotInstalledError ||
      e instanceof RedisUnreachableError ||
      e instanceof PortUnavailableError
    ) {
      err(e.message);
      return 1;
    }
    // Every argument-parsing error (unknown option, unexpected argument, missing value) is a usage error.
    if (e instanceof TypeError && String((e as NodeJS.ErrnoException).code).startsWith('ERR_PARSE_ARGS_')) {
      err(e.message);
      err(`Usage: ${spec.usage}`);
      return 2;
    }
    throw e;
  }
}

// Run when executed directly, also through a symlink (the npm `bin`, node_modules/.bin/quizbot).
if (process.argv[1] && fileURLToPath(import.meta.url) === realpathSync(process.argv[1])) {
  cli(process.argv.slice(2)).then(
    (code) => process.exit(code),
    (e: unknown) => {
      err(e instanceof Error ? (e.stack ?? e.message) : String(e));
      process.exit(1);
    },
  );
}
