/**
 * A real quizbot worker process for the multi-process tests: the app's own start-up (createApp
 * + startJobs), with the chat recorded into Redis. Env: REDIS_URL, REDIS_PREFIX.
 * Prints "ready" when its workers run; SIGTERM closes it gracefully.
 */
import { createApp } from '../../src/app.js';
import { loadConfig } from '../../src/config/env.js';
import { createLogger } from '../../src/logger.js';
import { RedisRecordingChat } from './recording-chat.js';

const config = loadConfig();
const logger = createLogger('warn');
const app = await createApp({ config, logger });
const chat = new RedisRecordingChat(app.redis.connect(), config.redisPrefix);
app.chat.register('discord', chat);
await app.startJobs({ reconcileEveryMs: 1_000, backoffMs: 200 });
process.stdout.write('ready\n');
const stop = async () => {
  await app.close();
  process.exit(0);
};
process.once('SIGTERM', () => void stop());
process.once('SIGINT', () => void stop());
