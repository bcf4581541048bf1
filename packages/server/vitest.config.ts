import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    include: ['src/**/*.test.ts'],
    testTimeout: 30_000,
    hookTimeout: 30_000,
    // Real SQLite files and real sockets: keep files isolated in their own processes.
    pool: 'forks',
    // One throwaway PostgreSQL cluster per run (or TEST_DATABASE_URL's server), when TEST_DIALECTS
    // includes postgres; test files reach it with createTestDatabase() from src/test/pg-cluster.ts.
    globalSetup: ['src/test/pg-global-setup.ts'],
  },
});
