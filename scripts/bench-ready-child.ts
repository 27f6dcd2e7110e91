/**
 * For `npm run bench` (P5): a worker process's start-up — the app and its job runtime on
 * REDIS_URL/REDIS_PREFIX — then "ready rss=<bytes>" and exit.
 */
import { createApp } from '../src/app.js';
import { loadConfig } from '../src/config/env.js';
import { silentLogger } from '../src/core/ports.js';

const app = await createApp({ config: loadConfig(), logger: silentLogger });
await app.startJobs({ workers: true });
process.stdout.write(`ready rss=${process.memoryUsage().rss}\n`);
await app.close();
process.exit(0);
