/**
 * Real Redis topologies on this machine, started from redis-server alone (no redis-cli, no
 * Docker): a Redis Cluster of N masters, and a primary + replica watched by Sentinel. The test
 * suite runs the store and job tests on them; `npm run redis:cluster` starts one for the demo.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { Redis } from 'ioredis';
import { freePort, startEmbeddedRedis, type EmbeddedRedis } from './embedded.js';

const SLOTS = 16_384;

export interface LocalCluster {
  /** redis-cluster://127.0.0.1:p1,127.0.0.1:p2,… */
  url: string;
  nodes: EmbeddedRedis[];
  stop(): Promise<void>;
}

async function waitUntil(what: string, timeoutMs: number, check: () => Promise<boolean>): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    if (await check().catch(() => false)) return;
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 100));
  }
}

/** A cluster of `masters` nodes (no replicas), every slot assigned, state ok on every node. */
export async function startLocalCluster(opts: { dir: string; masters?: number }): Promise<LocalCluster> {
  const count = opts.masters ?? 3;
  const nodes: EmbeddedRedis[] = [];
  try {
    for (let i = 0; i < count; i++) {
      const dir = join(opts.dir, `node${i}`);
      nodes.push(
        await startEmbeddedRedis({
          dir,
          appendOnly: false,
          supervise: false,
          extraArgs: ['--cluster-enabled', 'yes', '--cluster-config-file', join(dir, 'nodes.conf'), '--cluster-node-timeout', '2000'],
        }),
      );
    }
    const clients = nodes.map((n) => new Redis(n.url, { lazyConnect: false }));
    try {
      const per = Math.ceil(SLOTS / count);
      await Promise.all(clients.map((c, i) => c.call('CLUSTER', 'ADDSLOTSRANGE', String(i * per), String(Math.min(SLOTS, (i + 1) * per) - 1))));
      for (const n of nodes.slice(1)) await clients[0]!.call('CLUSTER', 'MEET', '127.0.0.1', String(n.port));
      await waitUntil('the cluster to agree', 20_000, async () => {
        const infos = await Promise.all(clients.map((c) => c.call('CLUSTER', 'INFO') as Promise<string>));
        return infos.every((s) => s.includes('cluster_state:ok') && s.includes(`cluster_known_nodes:${count}`));
      });
    } finally {
      clients.forEach((c) => c.disconnect());
    }
  } catch (err) {
    await Promise.all(nodes.map((n) => n.stop()));
    throw err;
  }
  return {
    url: `redis-cluster://${nodes.map((n) => `127.0.0.1:${n.port}`).join(',')}`,
    nodes,
    stop: async () => {
      await Promise.all(nodes.map((n) => n.stop()));
    },
  };
}

export interface LocalSentinel {
  /** redis-sentinel://127.0.0.1:<sentinel port>/<master> */
  url: string;
  master: string;
  primary: EmbeddedRedis;
  replica: EmbeddedRedis;
  sentinelPort: number;
  /** Asks Sentinel to fail over now (the replica becomes the primary). */
  failover(): Promise<void>;
  /** The address Sentinel currently gives for the master. */
  currentPrimary(): Promise<string>;
  stop(): Promise<void>;
}

/** A primary, its replica, and one Sentinel (quorum 1) watching them. */
export async function startLocalSentinel(opts: { dir: string; master?: string }): Promise<LocalSentinel> {
  const master = opts.master ?? 'quizbot';
  const primary = await startEmbeddedRedis({ dir: join(opts.dir, 'primary'), appendOnly: false, supervise: false });
  const replica = await startEmbeddedRedis({
    dir: join(opts.dir, 'replica'),
    appendOnly: false,
    supervise: false,
    extraArgs: ['--replicaof', '127.0.0.1', String(primary.port)],
  });
  const sentinelDir = join(opts.dir, 'sentinel');
  mkdirSync(sentinelDir, { recursive: true });
  const port = await freePort();
  const conf = join(sentinelDir, 'sentinel.conf');
  writeFileSync(
    conf,
    [
      `port ${port}`,
      'bind 127.0.0.1',
      `dir ${sentinelDir}`,
      `sentinel monitor ${master} 127.0.0.1 ${primary.port} 1`,
      `sentinel down-after-milliseconds ${master} 1000`,
      `sentinel failover-timeout ${master} 5000`,
      `sentinel parallel-syncs ${master} 1`,
      '',
    ].join('\n'),
  );
  const child: ChildProcess = spawn('redis-server', [conf, '--sentinel'], { stdio: 'ignore' });
  const sentinel = new Redis({ host: '127.0.0.1', port, retryStrategy: () => 100 });
  sentinel.on('error', () => undefined);
  const stop = async () => {
    sentinel.disconnect();
    if (child.exitCode === null) {
      const gone = new Promise((r) => child.once('exit', r));
      child.kill('SIGTERM');
      await gone;
    }
    await Promise.all([primary.stop(), replica.stop()]);
  };
  const currentPrimary = async () => {
    const [host, p] = (await sentinel.call('SENTINEL', 'GET-MASTER-ADDR-BY-NAME', master)) as [string, string];
    return `${host}:${p}`;
  };
  try {
    // Ready once Sentinel knows the replica (a failover needs one).
    await waitUntil('Sentinel to see the replica', 20_000, async () => {
      const replicas = (await sentinel.call('SENTINEL', 'REPLICAS', master)) as string[][];
      return replicas.some((r) => {
        const flags = r[r.indexOf('flags') + 1] ?? '';
        return !flags.includes('down') && !flags.includes('disconnected');
      });
    });
  } catch (err) {
    await stop();
    throw err;
  }
  return {
    url: `redis-sentinel://127.0.0.1:${port}/${master}`,
    master,
    primary,
    replica,
    sentinelPort: port,
    currentPrimary,
    async failover() {
      const before = await currentPrimary();
      await sentinel.call('SENTINEL', 'FAILOVER', master);
      await waitUntil('the failover', 30_000, async () => (await currentPrimary()) !== before);
    },
    stop,
  };
}
