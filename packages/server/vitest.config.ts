import { defineConfig } from 'vitest/config';
import { testDialects } from './src/test/pg-cluster.js';

/**
 * Files that assert latencies (p99 ratios against a control, creates under a bound). They run
 * one at a time after the rest, so that the other files' load on a small machine does not decide
 * their figures.
 */
const TIMED = [
  'src/reliability/dependency-faults.test.ts',
  'src/reliability/webhook-faults.test.ts',
  'src/reliability/slow-consumer.test.ts',
  'src/reliability/claim-race-soak.test.ts',
  'src/assess/assessment-runner.test.ts',
  'src/mail/outbox-worker.test.ts',
];

/**
 * The whole server suite runs once per storage dialect (TEST_DIALECTS, both by default): the
 * `sqlite` projects on temp SQLite files, the `postgres` ones on a throwaway PostgreSQL cluster
 * (or TEST_DATABASE_URL's server), one database per test world. Each file sees its dialect as
 * TEST_DIALECT (src/test/test-database.ts). Most files spend their time waiting on sockets, child
 * processes and the database, so three run at once even on two cores.
 */
export default defineConfig({
  test: {
    projects: testDialects().flatMap((dialect) =>
      [false, true].map((timed) => ({
        test: {
          name: timed ? `${dialect}-timed` : dialect,
          include: timed ? TIMED : ['src/**/*.test.ts'],
          exclude: timed ? [] : TIMED,
          env: { TEST_DIALECT: dialect },
          testTimeout: 30_000,
          hookTimeout: 30_000,
          // Real database files, servers and sockets: keep files isolated in their own processes.
          pool: 'forks' as const,
          maxWorkers: timed ? 1 : 3,
          // One throwaway PostgreSQL cluster per project, reached through inject('pgServer').
          globalSetup: dialect === 'postgres' ? ['src/test/pg-global-setup.ts'] : [],
        },
      })),
    ),
  },
});
