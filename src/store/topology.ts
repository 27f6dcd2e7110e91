/**
 * REDIS_URL for every topology quizbot runs on, and the one function that opens a client for it.
 *
 *   redis://[user:password@]host:port[/db]             one server (or a managed primary endpoint)
 *   rediss://…                                          the same over TLS
 *   redis-cluster://[user:password@]h:p[,h:p…][?tls=1]  Redis Cluster: any reachable seed nodes
 *   redis-sentinel://[user:password@]h:p[,h:p…]/<master>[?sentinelPassword=…&tls=1&db=N]
 *
 * Credentials in the URL are the data nodes' (ACL user and password); Sentinel's own password,
 * when it has one, goes in `sentinelPassword`. Parsing never echoes the password in its errors.
 */
import { Cluster, Redis, type ClusterOptions, type RedisOptions } from 'ioredis';

/** What every store and job module accepts: one server or a cluster (same command surface). */
export type RedisClient = Redis | Cluster;

export interface HostPort {
  host: string;
  port: number;
}

export type RedisTopology =
  | { kind: 'single'; url: string; tls: boolean }
  | { kind: 'cluster'; nodes: HostPort[]; username?: string; password?: string; tls: boolean }
  | {
      kind: 'sentinel';
      sentinels: HostPort[];
      master: string;
      username?: string;
      password?: string;
      sentinelPassword?: string;
      db: number;
      tls: boolean;
    };

export class RedisUrlError extends Error {
  constructor(reason: string) {
    super(
      `REDIS_URL ${reason}. Expected redis://host:port, rediss://user:password@host:port, redis-cluster://host:port[,host:port…] or redis-sentinel://host:port[,host:port…]/<master name>.`,
    );
    this.name = 'RedisUrlError';
  }
}

const SCHEMES = ['redis', 'rediss', 'redis-cluster', 'redis-sentinel'] as const;

function hostList(raw: string, scheme: string): HostPort[] {
  if (raw === '') throw new RedisUrlError(`names no host after ${scheme}://`);
  return raw.split(',').map((part) => {
    // [::1]:7000 or host:port; a missing port is Redis's (or Sentinel's) default.
    const m = /^(\[[^\]]+\]|[^:[\]]+)(?::(\d+))?$/.exec(part.trim());
    if (!m) throw new RedisUrlError(`has a host it cannot read (“${part.trim()}”)`);
    const port = m[2] === undefined ? (scheme === 'redis-sentinel' ? 26379 : 6379) : Number(m[2]);
    if (!(port >= 1 && port <= 65535)) throw new RedisUrlError(`has a port out of range (${m[2]})`);
    return { host: m[1]!.replace(/^\[|\]$/g, ''), port };
  });
}

function flag(v: string | null): boolean {
  return v !== null && ['1', 'true', 'yes', ''].includes(v.toLowerCase());
}

export function parseRedisUrl(url: string): RedisTopology {
  const m = /^([a-z-]+):\/\/(.*)$/i.exec(url.trim());
  if (!m) throw new RedisUrlError('is not a URL');
  const scheme = m[1]!.toLowerCase();
  if (!(SCHEMES as readonly string[]).includes(scheme)) throw new RedisUrlError(`has an unknown scheme “${scheme}:”`);
  if (scheme === 'redis' || scheme === 'rediss') {
    if (!URL.canParse(url)) throw new RedisUrlError('is not a URL');
    const u = new URL(url);
    if (u.hostname === '') throw new RedisUrlError(`names no host after ${scheme}://`);
    return { kind: 'single', url, tls: scheme === 'rediss' };
  }
  let rest = m[2]!;
  let query = new URLSearchParams();
  const q = rest.indexOf('?');
  if (q >= 0) {
    query = new URLSearchParams(rest.slice(q + 1));
    rest = rest.slice(0, q);
  }
  let username: string | undefined;
  let password: string | undefined;
  const at = rest.lastIndexOf('@');
  if (at >= 0) {
    const creds = rest.slice(0, at);
    rest = rest.slice(at + 1);
    const colon = creds.indexOf(':');
    const user = decodeURIComponent(colon >= 0 ? creds.slice(0, colon) : creds);
    const pass = colon >= 0 ? decodeURIComponent(creds.slice(colon + 1)) : undefined;
    if (colon >= 0) {
      if (user !== '') username = user;
      password = pass;
    } else if (user !== '') {
      password = user; // redis-cluster://secret@h:p — a password alone, as redis-cli takes it
    }
  }
  const slash = rest.indexOf('/');
  const hosts = slash >= 0 ? rest.slice(0, slash) : rest;
  const path = slash >= 0 ? decodeURIComponent(rest.slice(slash + 1)).replace(/\/$/, '') : '';
  const tls = flag(query.get('tls'));
  const creds = { ...(username !== undefined ? { username } : {}), ...(password !== undefined ? { password } : {}) };
  if (scheme === 'redis-cluster') {
    if (path !== '') throw new RedisUrlError('gives a path, but a cluster has no database number or name');
    return { kind: 'cluster', nodes: hostList(hosts, scheme), tls, ...creds };
  }
  if (path === '') throw new RedisUrlError('names no master: add /<master name> as Sentinel knows it (e.g. /mymaster)');
  const db = Number(query.get('db') ?? 0);
  if (!Number.isInteger(db) || db < 0) throw new RedisUrlError('has a db that is not a whole number');
  const sentinelPassword = query.get('sentinelPassword') ?? undefined;
  return {
    kind: 'sentinel',
    sentinels: hostList(hosts, scheme),
    master: path,
    db,
    tls,
    ...creds,
    ...(sentinelPassword !== undefined ? { sentinelPassword } : {}),
  };
}

/** Reconnect backoff of every connection: quick at first, never more than 2 s apart. */
const retryStrategy = (times: number) => Math.min(50 * 2 ** Math.min(times, 6), 2_000);

/**
 * After a failover the old primary answers writes with READONLY (a managed endpoint that moved, a
 * replica promoted by hand): reconnect and resend instead of failing the command.
 */
const reconnectOnError = (err: Error) => (/^(READONLY|LOADING|MASTERDOWN)/.test(err.message) ? 2 : false);

/**
 * A new connection for the topology. `options` are per-connection (BullMQ workers pass
 * maxRetriesPerRequest: null). Commands issued during an outage queue until the connection is
 * back (ioredis's offline queue) unless the caller turns that off. `clusterExtra` overrides
 * cluster-level options (the probe turns retries off).
 */
export function createRedisClient(topology: RedisTopology, options: RedisOptions = {}, clusterExtra: Partial<ClusterOptions> = {}): RedisClient {
  const base: RedisOptions = { retryStrategy, reconnectOnError, ...options };
  switch (topology.kind) {
    case 'single':
      return new Redis(topology.url, base);
    case 'sentinel':
      return new Redis({
        // Sentinel tells every client of a failover at once, not only on the next failed command.
        failoverDetector: true,
        sentinelRetryStrategy: retryStrategy,
        ...base,
        sentinels: topology.sentinels,
        name: topology.master,
        db: topology.db,
        ...(topology.username ? { username: topology.username } : {}),
        ...(topology.password ? { password: topology.password } : {}),
        ...(topology.sentinelPassword ? { sentinelPassword: topology.sentinelPassword } : {}),
        ...(topology.tls ? { tls: {}, enableTLSForSentinelMode: true } : {}),
      });
    case 'cluster': {
      const { enableOfflineQueue, lazyConnect, ...nodeOptions } = base;
      const clusterOptions: ClusterOptions = {
        redisOptions: {
          ...nodeOptions,
          ...(topology.username ? { username: topology.username } : {}),
          ...(topology.password ? { password: topology.password } : {}),
          ...(topology.tls ? { tls: {} } : {}),
        },
        clusterRetryStrategy: retryStrategy,
        ...(enableOfflineQueue !== undefined ? { enableOfflineQueue } : {}),
        ...(lazyConnect !== undefined ? { lazyConnect } : {}),
        // A failover moves slots: follow MOVED/ASK and retry a command that met a node going away.
        retryDelayOnFailover: 200,
        retryDelayOnClusterDown: 300,
        retryDelayOnTryAgain: 200,
        maxRedirections: 32,
        slotsRefreshTimeout: 2_000,
        ...clusterExtra,
      };
      return new Cluster(topology.nodes, clusterOptions);
    }
  }
}

/**
 * One connection attempt and a PING within timeoutMs, for any topology (a cluster: its slots
 * are served). Rejects with the socket's own error (with its code, e.g. ECONNREFUSED) when there
 * is one. Used by the REDIS_URL start-up check and by the embedded server's start.
 */
export async function pingRedis(topology: RedisTopology, timeoutMs: number): Promise<void> {
  const never = () => null;
  const probe = createRedisClient(
    topology,
    { lazyConnect: true, connectTimeout: timeoutMs, maxRetriesPerRequest: 0, enableOfflineQueue: false, retryStrategy: never, sentinelRetryStrategy: never },
    { clusterRetryStrategy: never, slotsRefreshTimeout: timeoutMs },
  );
  let last: Error | null = null;
  probe.on('error', (e: Error) => (last = e));
  try {
    await Promise.race([
      probe.connect().then(() => probe.ping()),
      new Promise((_, reject) => setTimeout(() => reject(new Error(`no answer within ${timeoutMs / 1000} s`)), timeoutMs).unref()),
    ]);
  } catch (err) {
    throw last ?? err;
  } finally {
    probe.disconnect();
  }
}

/** Whether a client is a cluster client (pipelines must then stay within one slot). */
export function isCluster(client: RedisClient): client is Cluster {
  return (client as Cluster).isCluster === true;
}

/** Human-readable form for logs: never the password. */
export function describeTopology(t: RedisTopology): string {
  const hp = (list: HostPort[]) => list.map((n) => `${n.host}:${n.port}`).join(',');
  switch (t.kind) {
    case 'single': {
      const u = new URL(t.url);
      return `${u.protocol}//${u.host}${u.pathname === '/' ? '' : u.pathname}`;
    }
    case 'cluster':
      return `redis-cluster://${hp(t.nodes)}`;
    case 'sentinel':
      return `redis-sentinel://${hp(t.sentinels)}/${t.master}`;
  }
}
