import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    include: ['test/**/*.test.ts'],
    globalSetup: ['test/helpers/global-redis.ts'],
    testTimeout: 30_000,
    hookTimeout: 30_000,
    // Two cores: keep parallelism modest so process-spawning tests are not starved.
    maxWorkers: 2,
    reporters: ['default', 'json'],
    // Outside the app's data directory (.quizbot/), which the tests must never share.
    outputFile: { json: 'test-results/results.json' },
  },
});
