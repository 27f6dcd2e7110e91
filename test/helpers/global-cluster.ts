/**
 * The cluster project's Redis: a real 3-master Redis Cluster started from redis-server on free
 * ports in a temp dir. The store and job tests run on it as they run on one server.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { TestProject } from 'vitest/node';
import { startLocalCluster } from '../../src/store/local-topology.js';

export default async function setup(project: TestProject): Promise<() => Promise<void>> {
  const dir = mkdtempSync(join(tmpdir(), 'quizbot-test-cluster-'));
  const cluster = await startLocalCluster({ dir, masters: 3 });
  project.provide('redisUrl', cluster.url);
  return async () => {
    await cluster.stop();
    rmSync(dir, { recursive: true, force: true });
  };
}
