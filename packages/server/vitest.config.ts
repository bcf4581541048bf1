import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    include: ['src/**/*.test.ts'],
    testTimeout: 30_000,
    hookTimeout: 30_000,
    // Real SQLite files and real sockets: keep files isolated in their own processes.
    pool: 'forks',
  },
});
