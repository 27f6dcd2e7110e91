/**
 * A real quizbot worker process for the multi-process and crash tests: the app's own start-up
 * (createApp + startJobs), with the chat recorded into Redis. Env: REDIS_URL, REDIS_PREFIX,
 * QUIZBOT_FAILPOINTS (optional). Short leases and stalled-job checks so a killed worker's work
 * resumes within seconds. Prints "ready" when its workers run; SIGTERM closes it gracefully.
 */
import { createApp } from '../../src/app.js';
import { loadConfig } from '../../src/config/env.js';
import { createLogger } from '../../src/logger.js';
import { RedisRecordingChat } from './recording-chat.js';

const config = loadConfig();
const logger = createLogger('warn');
const app = await createApp({ config, logger, leaseMs: 1_500 });
const chat = new RedisRecordingChat(app.redis.connect(), config.redisPrefix);
app.chat.register('discord', chat);
// Exactly-once under load, not the platform rate: the post limiter is opened wide.
await app.startJobs({ reconcileEveryMs: 1_000, backoffMs: 200, attempts: 30, lockDurationMs: 2_000, stalledIntervalMs: 1_000, postRate: 1_000 });
process.stdout.write('ready\n');
const stop = async () => {
  await app.close();
  process.exit(0);
};
process.once('SIGTERM', () => void stop());
process.once('SIGINT', () => void stop());
