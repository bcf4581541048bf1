// Vitest global setup: one PostgreSQL server per `vitest run`, shared by every test file through
// `inject('pgServer')` (each file then makes its own database with createTestDatabase). Started
// only when TEST_DIALECTS includes postgres (the default: `npm test` covers both dialects), so
// `TEST_DIALECTS=sqlite` runs cost nothing here. With TEST_DATABASE_URL, that server is used and
// nothing is started.
import type { TestProject } from 'vitest/node';
import {
  pgServerFromUrl,
  startPgCluster,
  testDialects,
  withAdminConnection,
  type PgServer,
} from './pg-cluster.js';

/**
 * Starts (or checks) the run's PostgreSQL server and provides it as `pgServer`; the returned
 * teardown stops a started cluster and removes its dir. On Ctrl-C or a crash of the run, the exit
 * handler startPgCluster registers does the same.
 */
export default async function setup(project: TestProject): Promise<(() => Promise<void>) | undefined> {
  if (!testDialects().includes('postgres')) {
    project.provide('pgServer', null);
    return undefined;
  }
  const url = process.env.TEST_DATABASE_URL;
  if (url) {
    const server = pgServerFromUrl(url);
    await checkReachable(server);
    project.provide('pgServer', server);
    return undefined;
  }
  const cluster = await startPgCluster();
  // Only plain data crosses to the test workers: not the cluster's functions.
  const server: PgServer = { host: cluster.host, port: cluster.port, user: cluster.user, url: cluster.url };
  project.provide('pgServer', server);
  return () => cluster.stop();
}

/** Fails the run at once, in one line naming the variable, when TEST_DATABASE_URL does not answer. */
async function checkReachable(server: PgServer): Promise<void> {
  try {
    await withAdminConnection(server, (sql) => sql`select 1`);
  } catch (error) {
    throw new Error(`TEST_DATABASE_URL: cannot connect (${(error as Error).message}).`);
  }
}
