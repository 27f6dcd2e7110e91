import { defineConfig } from 'vitest/config';
import { budget } from './test/helpers/wait.js';

export default defineConfig({
  test: {
    // Every budget scales with QUIZBOT_TEST_TIME_SCALE (test/helpers/wait.ts).
    testTimeout: budget(30_000),
    hookTimeout: budget(30_000),
    // Two cores: keep parallelism modest so process-spawning tests are not starved.
    maxWorkers: 2,
    reporters: ['default', 'json'],
    // Outside the app's data directory (.quizbot/), which the tests must never share.
    outputFile: { json: 'test-results/results.json' },
    projects: [
      {
        extends: true,
        test: { name: 'single', include: ['test/**/*.test.ts'], globalSetup: ['test/helpers/global-redis.ts'], sequence: { groupOrder: 0 } },
      },
      {
        // The store and job tests again, on a real 3-master Redis Cluster. After the single-server
        // project, not beside it: both spawn worker processes, and two cores are not enough for all.
        extends: true,
        test: {
          name: 'cluster',
          include: ['test/store/**/*.test.ts', 'test/jobs/**/*.test.ts', 'test/e2e/demo-topology.test.ts'],
          exclude: ['test/store/embedded.test.ts', 'test/store/topology.test.ts'],
          globalSetup: ['test/helpers/global-cluster.ts'],
          sequence: { groupOrder: 1 },
        },
      },
    ],
  },
});
