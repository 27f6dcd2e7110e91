/** Shards: one gateway session per shard across every process (leases), IDENTIFY pacing, a packet guard. */
import { type Client } from 'discord.js';
import { randomUUID } from 'node:crypto';
import type { PlatformFacade } from '../../core/facade.js';

/**
 * Each shard's gateway session runs in exactly one process: a process runs a shard only while it
 * holds that shard's lease in Redis (renewed every third of its duration). Several replicas may
 * want the same shards; the others stand by and take a shard over when its holder stops renewing
 * (crash, shutdown), so every event is handled once and none is lost for longer than a lease.
 */
export class ShardSupervisor {
  private readonly holder = randomUUID();
  private readonly clients = new Map<number, Client>();
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
        held = await this.core.holdLease(this.lease(id), this.holder, this.leaseMs);
      } catch (err) {
        // Redis unreachable: keep the session; the lease still stands until it expires.
        this.core.logger.warn('discord: could not renew a shard lease', { shard: id, err });
        continue;
      }
      const client = this.clients.get(id);
      if (held && !client && !this.connecting.has(id)) {
        this.failures.delete(id);
        const attempt = this.connect(id)
          .then(async (c) => {
            // The lease may have gone while the IDENTIFY waited: never run a shard we do not hold.
            if (this.stopped || !(await this.core.holdLease(this.lease(id), this.holder, this.leaseMs).catch(() => false))) {
              await c.destroy();
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
        this.core.logger.warn('discord: another process holds this shard now; closing its session here', { shard: id });
        this.clients.delete(id);
        await client.destroy();
      }
    }
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
      await client.destroy();
      await this.core.releaseLease(this.lease(id), this.holder).catch(() => undefined);
    }
    this.clients.clear();
  }
}

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
