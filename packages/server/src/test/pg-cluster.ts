// Throwaway PostgreSQL servers for the tests (DESIGN §10): a cluster initialised in a temp dir from
// the machine's server binaries and removed afterwards, or an existing server named by
// TEST_DATABASE_URL; on either, one fresh database per test file. The cluster itself is
// scripts/pg-cluster.mjs (plain JS, shared with the benchmarks and `npm run cluster`), re-exported
// here: durability is off there by default (fsync, full-page writes), synchronous_commit on.
import {
  pgServerFromUrl,
  startPgCluster,
  withAdminConnection,
  type PgCluster,
  type PgClusterOptions,
  type PgServer,
} from '../../../../scripts/pg-cluster.mjs';

export { pgServerFromUrl, startPgCluster, withAdminConnection };
export type { PgCluster, PgClusterOptions, PgServer };

/** A database made for one test file: `url` connects to it, `drop` removes it (with its sessions). */
export interface TestDatabase {
  name: string;
  url: string;
  drop(): Promise<void>;
}

/** The storage dialects a test run covers. */
export type TestDialect = 'sqlite' | 'postgres';

declare module 'vitest' {
  export interface ProvidedContext {
    /** The run's PostgreSQL server (pg-global-setup.ts); null when TEST_DIALECTS leaves it out. */
    pgServer: PgServer | null;
  }
}

/** TEST_DIALECTS as a list (comma-separated; both dialects when unset). */
export function testDialects(env: NodeJS.ProcessEnv = process.env): TestDialect[] {
  const names = (env.TEST_DIALECTS ?? 'sqlite,postgres').split(',').map((name) => name.trim());
  return (['sqlite', 'postgres'] as const).filter((dialect) => names.includes(dialect));
}

let databaseCount = 0;

/** A name no other file or run uses: PostgreSQL identifiers are at most 63 bytes. */
function uniqueDatabaseName(prefix: string): string {
  const readable = prefix
    .toLowerCase()
    .replace(/[^a-z0-9_]+/g, '_')
    .slice(0, 30);
  const unique = `${process.pid}_${++databaseCount}_${Math.random().toString(36).slice(2, 8)}`;
  return `t_${readable}_${unique}`;
}

/**
 * Creates a fresh, empty database on `server` (by default the run's shared server that
 * pg-global-setup.ts provides) and returns its URL and a drop function. `name` is a readable
 * prefix; a unique suffix is added, so files running in parallel never share a database.
 * `template`: a copy of that database (which no session may be connected to) instead of an empty one.
 *
 * @example
 * ```ts
 * let db: TestDatabase;
 * beforeAll(async () => (db = await createTestDatabase('handoffs')));
 * afterAll(() => db.drop());
 * // postgres(db.url) → postgres://postgres@127.0.0.1:<port>/t_handoffs_…
 * ```
 */
export async function createTestDatabase(
  name = 'test',
  server?: PgServer,
  options: { template?: string } = {},
): Promise<TestDatabase> {
  const on = server ?? (await sharedPgServer());
  const database = uniqueDatabaseName(name);
  const template = options.template ? ` TEMPLATE "${options.template}"` : '';
  await withAdminConnection(on, (sql) => sql.unsafe(`CREATE DATABASE "${database}"${template}`));
  const url = new URL(on.url);
  url.pathname = `/${database}`;
  return {
    name: database,
    url: url.toString(),
    // FORCE ends sessions a test left open (a pool not yet ended), which would block the drop.
    drop: async () => {
      await withAdminConnection(on, (sql) =>
        sql.unsafe(`DROP DATABASE IF EXISTS "${database}" WITH (FORCE)`),
      );
    },
  };
}

/** The run's shared server, from pg-global-setup.ts; throws when this run leaves PostgreSQL out. */
export async function sharedPgServer(): Promise<PgServer> {
  // Imported here, not at the top: the global setup (outside any test worker) imports this file.
  const { inject } = await import('vitest');
  const server = inject('pgServer');
  if (!server) throw new Error('This run has no PostgreSQL server: TEST_DIALECTS leaves out postgres.');
  return server;
}
