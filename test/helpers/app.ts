/**
 * A whole App (real Redis store, real bank) on the test run's Redis in a fresh namespace, with a
 * recording chat for the console platform and an optional fake clock; closed by closeTestApps.
 */
import { createApp, type App } from '../../src/app.js';
import { loadConfig } from '../../src/config/env.js';
import { silentLogger, type Clock } from '../../src/core/ports.js';
import type { RedisHandle } from '../../src/store/connection.js';
import { RecordingChat } from './core.js';
import { newNamespace, redisUrl, testRedisHandle } from './redis.js';

const handles: RedisHandle[] = [];
const apps: App[] = [];

export async function testApp(opts: { clock?: Clock; chat?: RecordingChat; prefix?: string; tag?: string } = {}): Promise<{ app: App; chat: RecordingChat }> {
  const chat = opts.chat ?? new RecordingChat();
  const handle = testRedisHandle();
  handles.push(handle);
  const app = await createApp({
    config: loadConfig({ REDIS_URL: redisUrl(), REDIS_PREFIX: opts.prefix ?? newNamespace(opts.tag ?? 'app') }),
    logger: silentLogger,
    redis: handle,
    ...(opts.clock ? { clock: opts.clock } : {}),
  });
  app.chat.register('console', chat);
  apps.push(app);
  return { app, chat };
}

export async function closeTestApps(): Promise<void> {
  for (const a of apps.splice(0)) await a.close();
  await Promise.all(handles.splice(0).map((h) => h.close()));
}
