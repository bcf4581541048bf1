import { defineConfig } from 'vitest/config';
import { testDialects } from './src/test/pg-cluster.js';

/**
 * The whole server suite runs once per storage dialect (TEST_DIALECTS, both by default): the
 * `sqlite` project on temp SQLite files, the `postgres` project on one throwaway PostgreSQL
 * cluster per run (or TEST_DATABASE_URL's server), one database per test world. Each file sees its
 * dialect as TEST_DIALECT (src/test/test-database.ts).
 */
export default defineConfig({
  test: {
    projects: testDialects().map((dialect) => ({
      test: {
        name: dialect,
        include: ['src/**/*.test.ts'],
        env: { TEST_DIALECT: dialect },
        testTimeout: 30_000,
        hookTimeout: 30_000,
        // Real database files, servers and sockets: keep files isolated in their own processes.
        pool: 'forks' as const,
        // One throwaway PostgreSQL cluster per run, reached through inject('pgServer').
        globalSetup: dialect === 'postgres' ? ['src/test/pg-global-setup.ts'] : [],
      },
    })),
  },
});
