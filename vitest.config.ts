import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    include: ['src/**/*.test.ts'],
    environment: 'node',
    // The fuzz and property suites are CPU-bound; two workers match CI's two cores.
    maxWorkers: 2,
    testTimeout: 60_000,
  },
});
