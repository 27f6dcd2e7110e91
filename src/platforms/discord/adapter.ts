/**
 * Discord adapter: gateway events and interactions → core calls; core output → Discord messages.
 * No business rule lives here. Every message the bot sends sets allowed mentions to none, so
 * user text echoed at the reveal never pings anyone.
 *
 * Rooms: `chat.ts` (the chat port over REST), `gateway.ts` (message, reaction and guild events),
 * `interactions.ts` (commands, autocomplete, forms), `shards.ts` (leases per shard, IDENTIFY
 * pacing), `commands.ts` (definitions derived from the command specs), `render.ts`.
 */
import { Events, GatewayIntentBits, REST, Routes, type RESTGetAPIGatewayBotResult } from 'discord.js';
import type { DiscordConfig } from '../../config/env.js';
import type { PlatformFacade } from '../../core/facade.js';

import { DiscordChat } from './chat.js';
import { REST_OPTIONS } from './common.js';
import type { DiscordRoom } from './room.js';
import { shardClient } from './gateway.js';
import { onInteraction } from './interactions.js';
import { ShardSupervisor, drainPreviousSession, replayPackets, savingSessions } from './shards.js';

export { ACK_EMOJI, DiscordChat } from './chat.js';
export { CONTENT_UNAVAILABLE } from './common.js';
export { threadLinks } from './interactions.js';

export interface DiscordHandle {
  /** REST for everything the bot sends (posting needs no gateway). */
  rest: REST;
  /** Shard ids this process runs a gateway session for now (empty: standby, or REST only). */
  shards(): number[];
  /** Readiness: every shard this process holds is connected. */
  ready(): boolean;
  stop(): Promise<void>;
}

export interface DiscordStartOptions {
  /** false: tests skip the cross-process identify throttle. */
  identifyThrottle?: boolean;
  /** false: REST only, no gateway session (`quizbot worker`). */
  gateway?: boolean;
  /** How long a shard's lease lasts without renewal (ms); renewed every third of it. */
  leaseMs?: number;
}

export async function startDiscord(core: PlatformFacade, cfg: DiscordConfig, opts: DiscordStartOptions = {}): Promise<DiscordHandle> {
  const rest = new REST({ ...REST_OPTIONS, ...(cfg.apiUrl ? { api: cfg.apiUrl } : {}) }).setToken(cfg.token);
  rest.on('rateLimited', () => core.recordMetric({ kind: 'rate-limited', platform: 'discord' }));
  const chat = new DiscordChat(rest, core);
  core.registerChat('discord', chat);
  if (opts.gateway === false) {
    core.logger.info('discord: REST only (no gateway session in this process)');
    return { rest, shards: () => [], ready: () => true, stop: async () => {} };
  }
  // Reactions (peer votes) need GuildMessageReactions, which is not privileged.
  const intents = [GatewayIntentBits.Guilds, GatewayIntentBits.GuildMessages, GatewayIntentBits.GuildMessageReactions];
  if (cfg.messageContent) intents.push(GatewayIntentBits.MessageContent);
  const { logger } = core;
  const room: DiscordRoom = { core, chat, cfg, logger, noticed: new Set<string>(), identifyThrottle: opts.identifyThrottle !== false };
  const shardCount = cfg.shards === 'auto' ? ((await rest.get(Routes.gatewayBot())) as RESTGetAPIGatewayBotResult).shards : cfg.shards;
  const wanted = cfg.shardIds ?? Array.from({ length: shardCount }, (_, i) => i);
  const beyond = wanted.filter((id) => id >= shardCount);
  if (beyond.length > 0)
    throw new Error(`DISCORD_SHARD_IDS names shard ${beyond.join(', ')}, but Discord recommends ${shardCount} shards (ids 0–${shardCount - 1})`);
  const supervisor = new ShardSupervisor(core, cfg.applicationId, shardCount, wanted, opts.leaseMs ?? cfg.shardLeaseMs, async (id) => {
    // What the previous holder of this shard missed (it died or was paused) comes first.
    const saved = await supervisor.savedSession(id).catch(() => null);
    const missed = saved
      ? await drainPreviousSession(saved, { token: cfg.token, intents: intents.reduce((a, b) => a | b, 0), rest, now: () => Date.now() }, logger)
      : [];
    const client = shardClient(
      room,
      intents,
      (i) => onInteraction(room, i),
      id,
      shardCount,
      () => supervisor.owns(id),
    );
    savingSessions(client, supervisor, logger);
    const ready = new Promise<void>((resolve) => client.once(Events.ClientReady, () => resolve()));
    await client.login(cfg.token);
    await ready;
    replayPackets(client, id, missed);
    logger.info('discord shard connected', {
      shard: id,
      of: shardCount,
      user: client.user?.tag,
      guilds: client.guilds.cache.size,
      messageContent: cfg.messageContent,
    });
    return client;
  });
  const stop = () => supervisor.stop();
  // Registered before starting: shards that connected before another one failed are closed too.
  core.onClose(stop);
  await supervisor.start();
  return { rest, shards: () => supervisor.held(), ready: () => supervisor.ready(), stop };
}
