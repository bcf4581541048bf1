import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { sql } from 'drizzle-orm';
import { drizzle, type PostgresJsDatabase } from 'drizzle-orm/postgres-js';
import { migrate } from 'drizzle-orm/postgres-js/migrator';
import postgres from 'postgres';
import type { Database, DialectFragments, Db, Tables, Tx } from '../database.js';
import { beforeCommit, commitFaultsFromEnv } from './commit-faults.js';
import { writeCreatesStatement } from './create-statement.js';
import { postgresHotStatements } from './hot-statements.js';
import * as schema from './schema.js';

/** Where the generated PostgreSQL migrations live (shipped beside `dist/`). */
export const POSTGRES_MIGRATIONS = join(dirname(fileURLToPath(import.meta.url)), '../../../drizzle/postgres');

/** How to reach the database: a URL, or undefined for the usual `PG*` variables. */
export interface PostgresTarget {
  url?: string | undefined;
  /** Connections in this process's pool (default 10). */
  poolSize?: number;
  /** Connections of the pool that serves stream and queue reads (default 4). */
  readPoolSize?: number;
}

/** An open PostgreSQL database, with its client for what only PostgreSQL has (LISTEN, tests). */
export interface PostgresDatabase extends Database {
  readonly dialect: 'postgres';
  readonly client: postgres.Sql;
  /** The pool behind `reads`, which the bus uses too (its heartbeat must not queue behind writes). */
  readonly readClient: postgres.Sql;
}

const FRAGMENTS: DialectFragments = {
  jsonText: (column, key) => sql`(${column} ->> ${key})`,
  greatest: (a, b) => sql`greatest(${a}, ${b})`,
};

/** The advisory lock names of this server, apart from any other application's. */
const lockName = (name: string) => `resolutionflow:${name}`;

/** A postgres.js pool of `max` connections named `applicationName` (pg_stat_activity). */
export function connectPostgres(
  target: PostgresTarget,
  max: number,
  applicationName = 'resolutionflow',
  extra: Partial<postgres.Options<Record<string, postgres.PostgresType>>> = {},
): postgres.Sql {
  const options: postgres.Options<Record<string, postgres.PostgresType>> = {
    max,
    onnotice: () => undefined,
    connection: { application_name: applicationName },
    connect_timeout: 10,
    ...extra,
  };
  return target.url ? postgres(target.url, options) : postgres(options);
}

/** A pg select builder, which can lock what it reads. */
interface ForUpdatable {
  for(strength: 'update', config?: { skipLocked?: boolean }): PromiseLike<never[]>;
}

/** A drizzle transaction or savepoint on PostgreSQL. */
type PgTx = Parameters<Parameters<PostgresJsDatabase<typeof schema>['transaction']>[0]>[0];

/**
 * The {@link Tx} over a pg transaction. A savepoint must run its statements on
 * its own handle: postgres.js fails the whole transaction when a statement of
 * it fails, even one that is caught, unless the statement ran in a savepoint.
 */
function transactionOn(pgTx: PgTx): Tx {
  const typed = pgTx as unknown as PostgresJsDatabase<typeof schema>;
  return {
    db: asDb(typed),
    hot: postgresHotStatements(typed),
    savepoint: (work) => pgTx.transaction((inner) => work(transactionOn(inner))),
    forUpdate: async (query, options) =>
      await (query as unknown as ForUpdatable).for(
        'update',
        options?.skipLocked ? { skipLocked: true } : undefined,
      ),
  };
}

/** Typed as the one query builder the repositories use (see {@link Db}). */
const asDb = (db: PostgresJsDatabase<typeof schema>) => db as unknown as Db;

/**
 * Connects to PostgreSQL and (unless `migrate: false`) applies pending
 * migrations under an advisory lock, so N instances may start at once: one
 * migrates, the others wait for it and find nothing to do.
 */
export async function openPostgres(
  target: PostgresTarget,
  options: { migrate?: boolean } = {},
): Promise<PostgresDatabase> {
  if (options.migrate !== false) await migratePostgres(target);
  const client = connectPostgres(target, target.poolSize ?? 10);
  const db = drizzle(client, { schema });
  // Streams and queue pages read on connections of their own: a burst of writes that takes every
  // connection of the main pool (an overloaded instance) would otherwise hold back live delivery
  // until the burst is written, when it should see each commit as it lands.
  const readClient = connectPostgres(target, target.readPoolSize ?? 4, 'resolutionflow-reads');
  const reads = drizzle(readClient, { schema });
  // One connection of each pool now: a start fails here rather than at the first stream, and a
  // stream's first replay does not wait for a connection to be made.
  await Promise.all([db.execute(sql`SELECT 1`), reads.execute(sql`SELECT 1`)]);
  const faults = commitFaultsFromEnv();
  return {
    dialect: 'postgres',
    client,
    readClient,
    db: asDb(db),
    reads: asDb(reads),
    tables: schema as unknown as Tables,
    hot: postgresHotStatements(db, reads),
    fragments: FRAGMENTS,
    write: (work) =>
      db.transaction(async (pgTx) => {
        const result = await work(transactionOn(pgTx));
        if (faults) await beforeCommit(faults);
        return result;
      }),
    // Under the test-only faults the one statement runs in a transaction that waits (and may roll
    // back) before its COMMIT; otherwise it commits by itself, in one round trip.
    writeCreates: faults
      ? (creates) =>
          client.begin(async (tx) => {
            const numbered = await writeCreatesStatement(tx as unknown as postgres.Sql, creates);
            await beforeCommit(faults);
            return numbered;
          }) as Promise<Map<string, number>>
      : (creates) => writeCreatesStatement(client, creates),
    async exclusively(name, work) {
      const reserved = await client.reserve();
      try {
        // Transaction-level locks would hold a transaction open for the whole job; a session lock does not.
        const [row] = await reserved`SELECT pg_try_advisory_lock(hashtext(${lockName(name)})) AS locked`;
        if (!row?.locked) return undefined;
        try {
          return await work();
        } finally {
          await reserved`SELECT pg_advisory_unlock(hashtext(${lockName(name)}))`;
        }
      } finally {
        reserved.release();
      }
    },
    async ping() {
      await db.execute(sql`SELECT 1`);
    },
    async close() {
      await Promise.all([client.end({ timeout: 5 }), readClient.end({ timeout: 5 })]);
    },
  };
}

/** Applies pending migrations on one connection holding the migration lock. */
export async function migratePostgres(target: PostgresTarget): Promise<void> {
  const client = connectPostgres(target, 1);
  try {
    const db = drizzle(client);
    await db.execute(sql`SELECT pg_advisory_lock(hashtext(${lockName('migrate')}))`);
    await migrate(db, { migrationsFolder: POSTGRES_MIGRATIONS });
    await db.execute(sql`SELECT pg_advisory_unlock(hashtext(${lockName('migrate')}))`);
  } finally {
    await client.end({ timeout: 5 });
  }
}
