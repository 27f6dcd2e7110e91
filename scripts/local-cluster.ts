/**
 * Starts a local 3-master Redis Cluster (redis-server only) and prints its REDIS_URL; Ctrl-C stops
 * it. For trying quizbot on a cluster:
 *   npm run redis:cluster            # prints REDIS_URL=redis-cluster://127.0.0.1:…
 *   REDIS_URL=redis-cluster://… npm run quizbot -- demo
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { startLocalCluster } from '../src/store/local-topology.js';

if (process.argv.includes('--help') || process.argv.includes('-h')) {
  process.stdout.write('Usage: npm run redis:cluster [-- <masters, default 3>]\nStarts a local Redis Cluster and prints its REDIS_URL; Ctrl-C stops it.\n');
  process.exit(0);
}
const masters = Number(process.argv[2] ?? 3);
if (!Number.isInteger(masters) || masters < 3 || masters > 9) {
  process.stderr.write(`npm run redis:cluster: the number of masters must be a whole number from 3 to 9 (got “${process.argv[2]}”)\n`);
  process.exit(2);
}
const dir = mkdtempSync(join(tmpdir(), 'quizbot-cluster-'));
const cluster = await startLocalCluster({ dir, masters });
process.stdout.write(`REDIS_URL=${cluster.url}\n(Ctrl-C stops the cluster)\n`);
const stop = async () => {
  await cluster.stop();
  rmSync(dir, { recursive: true, force: true });
  process.exit(0);
};
process.once('SIGINT', () => void stop());
process.once('SIGTERM', () => void stop());
