/**
 * Slack adapter (Bolt): events, commands and interactions → core calls; core output → Block Kit.
 * No business rule lives here. Socket Mode (bot + app token) or HTTP mode (signing secret, with a
 * bot token for one workspace or OAuth installs stored in Redis for many).
 *
 * Rooms: `client.ts` (the Web API client, tokens), `chat.ts` (the chat port), `users.ts`
 * (members), `events.ts` (answers, votes, welcome), `commands.ts` (`/quiz`, buttons),
 * `modals.ts` (forms), `render.ts` (Block Kit). Replies are collected from message events
 * (never by polling conversations.replies); echoed text is escaped, so `<!channel>` and
 * mentions in an answer never notify anyone.
 */
import type { App as BoltApp } from '@slack/bolt';
import type { Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { InstallationStore } from '@slack/oauth';
import type { SlackConfig } from '../../config/env.js';
import type { PlatformFacade } from '../../core/facade.js';
import { SlackChat } from './chat.js';
import { AckBudget } from '../ack-budget.js';
import { createBolt, createSender, tokenSource } from './client.js';
import { registerCommands } from './commands.js';
import { registerEvents } from './events.js';
import { registerModals } from './modals.js';
import type { SlackRoom } from './room.js';
import { slackMembers } from './users.js';

export { ACK_REACTION, SCOPES } from './client.js';
export { responsesFor, SLACK_HELP_NOTE, threadLinks } from './commands.js';

export interface SlackHandle {
  bolt: BoltApp;
  /** HTTP mode: the URL Slack posts to (`…/slack/events`). */
  url: string | null;
  stop(): Promise<void>;
}

export async function startSlack(
  core: PlatformFacade,
  cfg: SlackConfig,
  /** receive: false — post only, no Socket Mode connection or HTTP listener (`quizbot worker`). */
  opts: { retries?: number; installations?: InstallationStore; receive?: boolean } = {},
): Promise<SlackHandle> {
  const { logger } = core;
  const bolt = createBolt(cfg, logger, opts);
  const tokenFor = tokenSource(cfg, opts.installations);
  const sender = createSender(cfg, logger);
  const chat = new SlackChat(bolt, core, tokenFor, sender);
  core.registerChat('slack', chat);
  // WebClientEvent.RATE_LIMITED of @slack/web-api, named by value.
  for (const client of [bolt.client, sender])
    client.on('rate_limited' as Parameters<typeof client.on>[0], () => core.recordMetric({ kind: 'rate-limited', platform: 'slack' }));
  const room: SlackRoom = { bolt, core, chat, logger, tokenFor, who: slackMembers(bolt, tokenFor, logger, cfg.adminUsers), acks: new AckBudget() };
  registerEvents(room);
  registerCommands(room);
  registerModals(room);
  bolt.error(async (err) => {
    logger.error('slack handler failed', { err: err.message });
  });
  const url = opts.receive === false ? null : await listen(bolt, cfg, logger);
  if (opts.receive === false) logger.info('slack: posting only (no Socket Mode connection or HTTP listener in this process)');
  const stop = async () => {
    if (opts.receive !== false) await bolt.stop().catch(() => undefined);
  };
  core.onClose(stop);
  return { bolt, url, stop };
}

/** Starts receiving: HTTP mode returns the URL Slack posts to; Socket Mode connects. */
async function listen(bolt: BoltApp, cfg: SlackConfig, logger: PlatformFacade['logger']): Promise<string | null> {
  if (cfg.mode === 'http') {
    const server = (await bolt.start({ port: cfg.port, host: cfg.port === 0 ? '127.0.0.1' : undefined })) as unknown as Server;
    const addr = server.address() as AddressInfo;
    logger.info('slack HTTP receiver listening', { port: addr.port, oauth: Boolean(cfg.oauth) });
    return `http://127.0.0.1:${addr.port}`;
  }
  await bolt.start();
  logger.info('slack socket mode connected');
  return null;
}
