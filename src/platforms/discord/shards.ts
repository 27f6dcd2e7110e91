/** Shards: one gateway session per shard across every process (leases), IDENTIFY pacing, a packet guard. */
import { WebSocketManager, WebSocketShardEvents } from '@discordjs/ws';
import type { GatewayDispatchPayload } from 'discord-api-types/v10';
import { type Client, type REST } from 'discord.js';
import { randomUUID } from 'node:crypto';
import { performance } from 'node:perf_hooks';
import type { PlatformFacade } from '../../core/facade.js';

/** A gateway session as @discordjs/ws keeps it: what a RESUME needs. */
export interface SessionInfo {
  sessionId: string;
  sequence: number;
  resumeURL: string;
  shardCount: number;
  shardId: number;
}

/** How long a saved session is offered to the next holder (Discord lets a session resume for a few minutes). */
const SESSION_KEEP_MS = 5 * 60_000;

/**
 * Each shard's gateway session runs in exactly one process: a process runs a shard only while it
 * holds that shard's lease in Redis (renewed every third of its duration). Several replicas may
 * want the same shards; the others stand by and take a shard over when its holder stops renewing
 * (crash, shutdown).
 *
 * Fencing: an event is handled only while this process's last renewal is younger than two thirds
 * of the lease (else the lease is asked for again first), so a process that was paused past its
 * lease (SIGSTOP, a long GC) drops what it buffered instead of answering it a second time; when
 * Redis cannot be reached, the session is closed half a lease after the last renewal — before
 * the lease can expire and another process take the shard.
 *
 * Takeover: the holder saves its session (id, sequence, resume URL) beside the lease, only while
 * it holds it; the next holder drains that session first (`drainPreviousSession`: Discord replays
 * what the previous process missed) and hands those events to its own new session. A session
 * Discord no longer knows (invalidated, older than a few minutes) has nothing to drain: the events
 * of the gap are then lost (docs/scaling.md).
 */
export class ShardSupervisor {
  private readonly holder = randomUUID();
  private readonly clients = new Map<number, Client>();
  /** performance.now() of each shard's last successful renewal (monotonic: it runs on while paused). */
  private readonly renewedAt = new Map<number, number>();
  /** Shards being connected (an IDENTIFY may wait its turn): renewals never wait behind them. */
  private readonly connecting = new Map<number, Promise<void>>();
  private timer: NodeJS.Timeout | null = null;
  private ticking: Promise<void> | null = null;
  private stopped = false;

  constructor(
    private readonly core: PlatformFacade,
    private readonly applicationId: string,
    private readonly count: number,
    private readonly wanted: number[],
    private readonly leaseMs: number,
    private readonly connect: (shardId: number) => Promise<Client>,
  ) {}

  private lease(id: number): string {
    return `discord-shard:${this.applicationId}:${id}/${this.count}`;
  }

  /** Takes the free shards and waits until they are connected (a connection failure is thrown). */
  async start(): Promise<void> {
    await this.tick();
    await Promise.all(this.connecting.values());
    const failed = this.wanted.filter((id) => this.failures.has(id));
    if (failed.length > 0) throw this.failures.get(failed[0]!)!;
    if (this.clients.size === 0) {
      this.core.logger.info('discord: standing by; another process runs every shard this one may run', { shards: this.wanted, of: this.count });
    }
    this.timer = setInterval(() => {
      this.ticking ??= this.tick()
        .catch((err: unknown) => this.core.logger.warn('discord shard supervision failed', { err }))
        .finally(() => (this.ticking = null));
    }, this.leaseMs / 3);
    this.timer.unref();
  }

  private readonly failures = new Map<number, Error>();

  /** Renews every lease this process holds, takes free ones, and starts connecting them. */
  private async tick(): Promise<void> {
    for (const id of this.wanted) {
      if (this.stopped) return;
      let held: boolean;
      try {
        held = await this.renew(id);
      } catch (err) {
        // Redis unreachable: the session stays while the lease surely stands; half a lease after
        // the last renewal it is closed, before the lease can expire and another process take it.
        const client = this.clients.get(id);
        const age = performance.now() - (this.renewedAt.get(id) ?? 0);
        if (client && age >= this.leaseMs / 2) await this.drop(id, 'shard lease not renewed for half its duration (Redis unreachable); closing the session');
        else this.core.logger.warn('discord: could not renew a shard lease', { shard: id, err });
        continue;
      }
      const client = this.clients.get(id);
      if (held && !client && !this.connecting.has(id)) {
        this.failures.delete(id);
        const attempt = this.connect(id)
          .then(async (c) => {
            // The lease may have gone while the IDENTIFY waited: never run a shard we do not hold.
            if (this.stopped || !(await this.renew(id).catch(() => false))) {
              await destroyForGood(c);
              if (this.stopped) await this.core.releaseLease(this.lease(id), this.holder).catch(() => undefined);
              return;
            }
            this.clients.set(id, c);
          })
          .catch(async (err: unknown) => {
            this.failures.set(id, err as Error);
            this.core.logger.error('discord: a shard could not connect; its lease is released', { shard: id, err });
            await this.core.releaseLease(this.lease(id), this.holder).catch(() => undefined);
          })
          .finally(() => this.connecting.delete(id));
        this.connecting.set(id, attempt);
      } else if (!held && client) {
        await this.drop(id, 'another process holds this shard now; closing its session here');
      }
    }
  }

  /** Renews (or takes) a shard's lease, giving up after a sixth of it; notes when it succeeded. */
  private async renew(id: number): Promise<boolean> {
    const started = performance.now();
    let timer: NodeJS.Timeout | undefined;
    const timeout = new Promise<never>((_, reject) => {
      timer = setTimeout(() => reject(new Error('lease renewal timed out')), this.leaseMs / 6);
    });
    try {
      const held = await Promise.race([this.core.holdLease(this.lease(id), this.holder, this.leaseMs), timeout]);
      if (held) this.renewedAt.set(id, started);
      else this.renewedAt.delete(id);
      return held;
    } finally {
      clearTimeout(timer);
    }
  }

  /**
   * Whether this process may handle an event of shard `id` now: its lease was renewed within two
   * thirds of its duration (answered at once), or is renewed now (a promise). False drops the
   * event (another process has the shard, or this one was paused past its lease).
   */
  owns(id: number): boolean | Promise<boolean> {
    if (!this.clients.has(id) && !this.connecting.has(id)) return false;
    const at = this.renewedAt.get(id);
    if (at !== undefined && performance.now() - at < (this.leaseMs * 2) / 3) return true;
    return this.renew(id)
      .catch(() => false)
      .then(async (held) => {
        if (!held) await this.drop(id, 'another process holds this shard now; closing its session here');
        return held;
      });
  }

  /** Closes this process's session of a shard it no longer holds. */
  private async drop(id: number, why: string): Promise<void> {
    const client = this.clients.get(id);
    if (!client) return;
    this.core.logger.warn(`discord: ${why}`, { shard: id });
    this.clients.delete(id);
    await destroyForGood(client).catch(() => undefined);
  }

  /** The session the previous holder of shard `id` saved, if it is for this shard count. */
  async savedSession(id: number): Promise<SessionInfo | null> {
    const raw = await this.core.leaseState(this.lease(id));
    if (!raw) return null;
    const info = JSON.parse(raw) as SessionInfo;
    return info.shardId === id && info.shardCount === this.count ? info : null;
  }

  /** Saves (null: forgets) shard `id`'s session beside its lease, only while this process holds it. */
  async saveSession(id: number, info: SessionInfo | null): Promise<void> {
    await this.core.saveLeaseState(this.lease(id), this.holder, info ? JSON.stringify(info) : null, SESSION_KEEP_MS);
  }

  held(): number[] {
    return [...this.clients.keys()].sort((a, b) => a - b);
  }

  ready(): boolean {
    return [...this.clients.values()].every((c) => c.isReady());
  }

  async stop(): Promise<void> {
    this.stopped = true;
    if (this.timer) clearInterval(this.timer);
    await this.ticking;
    await Promise.all(this.connecting.values());
    for (const [id, client] of this.clients) {
      await closeResumable(client);
      await destroyForGood(client);
      await this.core.releaseLease(this.lease(id), this.holder).catch(() => undefined);
    }
    this.clients.clear();
  }
}

/**
 * Destroys a client so that none of its shards connects again. discord.js's destroy() misses a
 * shard that is between two connections: after a resumable close (a session resumed elsewhere,
 * a network drop) @discordjs/ws waits 500 ms, idle, then reconnects, and destroying an idle shard
 * does nothing. A process fenced out of its shard in that window (woken from a pause to find its
 * lease gone) would open a second session of a shard another process runs, receiving every event
 * twice. Each shard's reconnect is disabled before the client is destroyed.
 */
export async function destroyForGood(client: Client): Promise<void> {
  neverReconnect((client.ws as unknown as { _ws: unknown })._ws);
  await client.destroy();
}

/** Disables every shard's reconnect in an @discordjs/ws manager (see destroyForGood). */
function neverReconnect(manager: unknown): void {
  const shards = (manager as { strategy?: { shards?: Map<number, { internalConnect(): Promise<void> }> } } | null)?.strategy?.shards;
  for (const shard of shards?.values() ?? []) shard.internalConnect = () => Promise.resolve();
}

/**
 * Closes a client's gateway sessions so that they stay resumable: Discord ends a session closed
 * with 1000 or 1001 (what discord.js's destroy() sends), and keeps one closed with any other code
 * for a while. A graceful stop (a rolling restart, a deploy) thus hands its shards over like a
 * crash does: the next holder RESUMEs the session and Discord replays what came after the stop.
 */
async function closeResumable(client: Client): Promise<void> {
  const ws = (client.ws as unknown as { _ws: { destroy(o: { code: number; reason: string }): Promise<void> } | null })._ws;
  const handover = handovers.get(client);
  if (handover) handover.closing = true;
  await ws?.destroy({ code: CLOSE_RESUMABLE, reason: 'handing the shard over' }).catch(() => undefined);
  // The last sequence is saved before the lease is released.
  while (handover && handover.inFlight.size > 0) await Promise.all(handover.inFlight);
}

/** A client's session saves (savingSessions), for closeResumable. */
interface Handover {
  closing: boolean;
  inFlight: Set<Promise<void>>;
}
const handovers = new WeakMap<Client, Handover>();
/** @discordjs/ws's own "Resuming" close code (an application code: the session is kept). */
const CLOSE_RESUMABLE = 4200;

/**
 * Discord allows `max_concurrency` IDENTIFYs per 5 seconds for the whole bot, across every
 * process: each shard waits for its rate-limit bucket's slot, claimed in Redis.
 */
export function sharedIdentifyThrottler(core: PlatformFacade, applicationId: string, maxConcurrency: number) {
  return {
    async waitForIdentify(shardId: number, signal: AbortSignal): Promise<void> {
      const bucket = shardId % Math.max(1, maxConcurrency);
      while (!(await core.claimOnce(`discord-identify:${applicationId}:${bucket}`, 5_000))) {
        if (signal.aborted) throw new Error('identify aborted');
        await new Promise((r) => setTimeout(r, 250));
      }
    },
  };
}

/**
 * A gateway payload discord.js cannot build (an interaction missing a field it requires) throws
 * inside its packet handler, outside any listener of ours, and would end the process as an
 * unhandled error. Each packet is handled in isolation instead: the bad one is logged, the next
 * one is handled. (main.ts also installs process-level handlers as the last line of defence.)
 */
export function guardGatewayPackets(client: Client, logger: PlatformFacade['logger']): void {
  const ws = client.ws as unknown as { handlePacket?: (packet: { t?: string } | undefined, shard: unknown) => boolean };
  const original = ws.handlePacket?.bind(ws);
  if (!original) return;
  ws.handlePacket = (packet, shard) => {
    try {
      return original(packet, shard);
    } catch (err) {
      logger.error('discord: a gateway event could not be handled; skipped', { event: packet?.t, err });
      return true;
    }
  };
}

/** Where a shard's session is kept between processes (the supervisor, in Redis beside the lease). */
export interface SessionStore {
  savedSession(id: number): Promise<SessionInfo | null>;
  saveSession(id: number, info: SessionInfo | null): Promise<void>;
}

interface SessionOptions {
  updateSessionInfo(id: number, info: SessionInfo | null): void | Promise<void>;
}

/**
 * Saves a client's gateway sessions for the next holder of their shards: @discordjs/ws reports
 * every change (each event's sequence); each is saved beside the shard's lease — coalesced, one
 * save in flight per shard, the latest winning. discord.js builds its @discordjs/ws manager inside
 * login(); its options are wrapped right after (attachEvents).
 */
export function savingSessions(client: Client, store: SessionStore, logger: PlatformFacade['logger']): void {
  const ws = client.ws as unknown as { attachEvents(): void; _ws: { options: SessionOptions } | null };
  const attach = ws.attachEvents.bind(ws);
  const saving = new Map<number, { latest: SessionInfo | null; running: boolean }>();
  const handover: Handover = { closing: false, inFlight: new Set() };
  handovers.set(client, handover);
  const save = (id: number, info: SessionInfo | null) => {
    // Closed to be handed over: the session stays saved for the next holder.
    if (info === null && handover.closing) return;
    const slot = saving.get(id) ?? { latest: null, running: false };
    slot.latest = info;
    saving.set(id, slot);
    if (slot.running) return;
    slot.running = true;
    const run = (async () => {
      try {
        for (let last: SessionInfo | null | undefined; last !== slot.latest;) {
          last = slot.latest;
          await store.saveSession(id, last);
        }
      } catch (err) {
        logger.warn('discord: could not save a shard session for takeover', { shard: id, err });
      } finally {
        slot.running = false;
      }
    })();
    handover.inFlight.add(run);
    void run.finally(() => handover.inFlight.delete(run));
  };
  ws.attachEvents = () => {
    const options = ws._ws?.options;
    if (options) {
      const update = options.updateSessionInfo.bind(options);
      options.updateSessionInfo = async (id, info) => {
        await update(id, info);
        save(id, info);
      };
    }
    attach();
  };
}

/** Gateway events worth replaying after a takeover (what quizbot handles). */
const REPLAYED: ReadonlySet<string> = new Set([
  'MESSAGE_CREATE',
  'MESSAGE_UPDATE',
  'MESSAGE_DELETE',
  'MESSAGE_DELETE_BULK',
  'MESSAGE_REACTION_ADD',
  'MESSAGE_REACTION_REMOVE',
  'INTERACTION_CREATE',
]);
/** An interaction must be answered within 3 s of its creation: older ones are not replayed. */
const INTERACTION_WINDOW_MS = 2_500;
const DISCORD_EPOCH = 1_420_070_400_000n;
/** How long draining a previous session may take before the shard identifies anyway. */
const DRAIN_TIMEOUT_MS = 10_000;

export type GatewayPacket = GatewayDispatchPayload;

/**
 * What Discord sent the previous holder of a shard that it never handled (it died or was
 * paused): the previous session is RESUMEd on a connection of its own, Discord replays every
 * event after the last sequence that holder saved, and the session is then closed for good (so a
 * paused holder, woken, cannot take it back). The caller IDENTIFYs afresh — discord.js needs READY
 * and the guilds to build its caches — and hands these events to the new client. Nothing when no
 * session was saved, or Discord no longer knows it (invalidated, expired): those events are lost.
 */
export async function drainPreviousSession(
  saved: SessionInfo,
  opts: { token: string; intents: number; rest: REST; now: () => number },
  logger: PlatformFacade['logger'],
): Promise<GatewayPacket[]> {
  const packets: GatewayPacket[] = [];
  const manager = new WebSocketManager({
    token: opts.token,
    intents: opts.intents,
    rest: opts.rest,
    shardCount: saved.shardCount,
    shardIds: [saved.shardId],
    retrieveSessionInfo: () => saved,
    updateSessionInfo: () => undefined,
  });
  const outcome = await new Promise<'resumed' | 'invalid' | 'timeout'>((resolve) => {
    const timer = setTimeout(() => resolve('timeout'), DRAIN_TIMEOUT_MS);
    const done = (o: 'resumed' | 'invalid' | 'timeout') => {
      clearTimeout(timer);
      resolve(o);
    };
    manager.on(WebSocketShardEvents.Dispatch, ({ data }) => {
      if (REPLAYED.has(data.t)) packets.push(data);
    });
    manager.on(WebSocketShardEvents.Resumed, () => done('resumed'));
    // A session Discord no longer knows ends in a fresh IDENTIFY: READY means nothing to replay.
    manager.on(WebSocketShardEvents.Ready, () => done('invalid'));
    manager.connect().catch(() => done('invalid'));
  });
  neverReconnect(manager);
  await Promise.resolve(manager.destroy({ code: 1000, reason: 'taken over' })).catch(() => undefined);
  const fresh = packets.filter(
    (p) => (p.t as string) !== 'INTERACTION_CREATE' || opts.now() - Number((BigInt((p.d as { id: string }).id) >> 22n) + DISCORD_EPOCH) < INTERACTION_WINDOW_MS,
  );
  logger.info('discord: drained the session the previous holder of this shard left', {
    shard: saved.shardId,
    outcome,
    events: fresh.length,
    expiredInteractions: packets.length - fresh.length,
  });
  return outcome === 'resumed' ? fresh : [];
}

/** Hands events drained from a previous session to a ready client, as if its own gateway sent them. */
export function replayPackets(client: Client, shardId: number, packets: readonly GatewayPacket[]): void {
  const ws = client.ws as unknown as { shards: Map<number, unknown>; handlePacket(packet: GatewayPacket, shard: unknown): boolean };
  const shard = ws.shards.get(shardId);
  for (const p of packets) ws.handlePacket(p, shard);
}
