/**
 * The local console channel: `npm start` without platform tokens, `quizbot console` and the demo.
 * It runs the same app, jobs and facade as the chat platforms.
 */
import type { Readable } from 'node:stream';
import { createApp, platformFacade, startOps, type App } from './app.js';
import type { Config } from './config/env.js';
import { watchContent } from './content/watch.js';
import { createLogger } from './logger.js';
import { ConsoleChat, ConsoleSession } from './platforms/console/console.js';

const out = (s: string) => process.stdout.write(s + '\n');
const err = (s: string) => process.stderr.write(s + '\n');

/** Tools print their results: only warnings and errors from the logger. */
export const toolLogger = (config: Config) => createLogger(config.logLevel === 'info' ? 'warn' : config.logLevel);

/** Runs the console channel on an input stream until it ends. */
export interface ConsoleRunOptions {
  /** `start` without platforms: input that ends before a first line means nobody can use it. */
  requireInput?: boolean;
  /** Reload edited questions from content/ (as the platforms do). */
  watchContent?: boolean;
}

/** How long the console waits at the end of its input for answers held during an outage. */
const HELD_DRAIN_MS = 30_000;

export async function runConsole(config: Config, input: NodeJS.ReadableStream, appOverride?: App, opts: ConsoleRunOptions = {}): Promise<number> {
  const logger = toolLogger(config);
  for (const w of config.warnings) logger.warn(w);
  const app = appOverride ?? (await createApp({ config, logger }));
  try {
    const facade = platformFacade(app);
    facade.registerChat('console', new ConsoleChat(out));
    // The console channel gets the same schedules, reveals and catch-up as Discord and Slack.
    await app.startJobs({ workers: config.workers });
    await startOps(app);
    if (opts.watchContent) {
      const watcher = await watchContent((bank) => app.quiz.replaceBank(bank), logger);
      app.onClose(async () => watcher.stop());
    }
    const interactive = Boolean((input as NodeJS.ReadStream).isTTY);
    if (interactive) {
      out(`quizbot console — ${app.bank.size} questions. Type /quiz cap to start, /help for commands, /quit to leave.`);
    }
    const session = new ConsoleSession({
      input: input as unknown as Readable,
      output: process.stdout,
      facade,
      echo: !interactive,
      prompt: interactive,
    });
    await session.run();
    // Answers held during a Redis outage get a chance to be recorded before the console exits.
    for (let waited = 0; app.answers.size > 0 && waited < HELD_DRAIN_MS; waited += 200) await new Promise((r) => setTimeout(r, 200));
    if (opts.requireInput && !interactive && session.linesRead === 0) {
      err(
        'No chat platform is configured (set DISCORD_TOKEN, or SLACK_BOT_TOKEN with SLACK_APP_TOKEN or SLACK_SIGNING_SECRET) and no console input arrived: nothing to do. Run `npm start` in a terminal for the local console.',
      );
      return 1;
    }
    return 0;
  } finally {
    if (!appOverride) await app.close();
  }
}
