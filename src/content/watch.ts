/**
 * Reloads the question bank when content/ changes on disk.
 *
 * node-cron, not BullMQ: every process holds its own copy of the bank in memory, so every
 * process must check for itself — a once-per-cluster job would reload only one replica.
 * Posting and revealing are the opposite (exactly once per cluster) and never use node-cron.
 */
import { readdir, stat } from 'node:fs/promises';
import { join } from 'node:path';
import cron from 'node-cron';
import type { Logger } from '../core/ports.js';
import type { QuestionBank } from './bank.js';
import { ContentError, DEFAULT_CONTENT_DIR, loadBank } from './loader.js';

async function fingerprint(dir: string): Promise<string> {
  const qdir = join(dir, 'questions');
  const names = (await readdir(qdir)).filter((n) => n.endsWith('.md')).sort();
  const stats = await Promise.all(names.map((n) => stat(join(qdir, n))));
  return names.map((n, i) => `${n}:${stats[i]!.mtimeMs}:${stats[i]!.size}`).join('|');
}

export interface ContentWatcher {
  /** Checks now (the cron task calls this every minute); true when a new bank was loaded. */
  check(): Promise<boolean>;
  stop(): void;
}

export async function watchContent(onBank: (bank: QuestionBank) => void, logger: Logger, dir = DEFAULT_CONTENT_DIR, pattern = '* * * * *'): Promise<ContentWatcher> {
  let last = await fingerprint(dir).catch(() => '');
  let running = false;
  const check = async (): Promise<boolean> => {
    if (running) return false;
    running = true;
    try {
      const now = await fingerprint(dir);
      if (now === last) return false;
      last = now;
      const bank = await loadBank(dir);
      onBank(bank);
      logger.info('question bank reloaded', { questions: bank.size });
      return true;
    } catch (err) {
      // A broken edit keeps the bank that was running; the problems go to the log.
      logger.error('content changed but is invalid; keeping the loaded bank', { problems: err instanceof ContentError ? err.problems : String(err) });
      return false;
    } finally {
      running = false;
    }
  };
  const task = cron.schedule(pattern, () => void check(), { noOverlap: true });
  return {
    check,
    stop: () => void task.stop(),
  };
}
