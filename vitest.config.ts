import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    include: ['test/**/*.test.ts'],
    environment: 'node',
    testTimeout: 30_000,
    hookTimeout: 30_000,
    // SQLite files, keychains and local servers are real: keep parallelism to the two cores.
    maxWorkers: 2,
  },
});
