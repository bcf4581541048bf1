// The database a test opens: SQLite in a temp file, or a fresh PostgreSQL database on the run's
// server, by TEST_DIALECT (set per vitest project). On PostgreSQL each worker migrates one template
// database once; every test database is then a copy of it (CREATE DATABASE … TEMPLATE), which costs
// a few milliseconds instead of a migration each.
import { join } from 'node:path';
import type { Database, Dialect } from '../db/database.js';
import { openDatabase, type DatabaseTarget } from '../db/open-database.js';
import { migratePostgres } from '../db/postgres/postgres-database.js';
import { createTestDatabase, type TestDatabase } from './pg-cluster.js';

/** The dialect this test process runs against. */
export const TEST_DIALECT: Dialect = process.env.TEST_DIALECT === 'postgres' ? 'postgres' : 'sqlite';

/** An open test database, where it lives, and how to remove it. */
export interface OpenTestDatabase {
  database: Database;
  /** What a child process (CLI, server) needs to open the same database. */
  target: DatabaseTarget;
  /** Environment variables that select the same database (`DATABASE_PATH` or `DATABASE_URL`). */
  env: Record<string, string>;
  /** Closes the database and drops it (PostgreSQL); the caller removes its temp dir. */
  close(): Promise<void>;
}

let template: Promise<string> | undefined;

/** This worker's migrated template database (created once). */
function migratedTemplate(): Promise<string> {
  template ??= (async () => {
    const made = await createTestDatabase('template');
    await migratePostgres({ url: made.url });
    return made.name;
  })();
  return template;
}

/** A fresh, migrated PostgreSQL database on the run's server: a copy of this worker's template. */
export async function freshPostgresDatabase(): Promise<TestDatabase> {
  return createTestDatabase('test', undefined, { template: await migratedTemplate() });
}

/**
 * Opens a fresh database of the run's dialect: `dir/test.db` on SQLite, a new
 * database on PostgreSQL. Both are migrated.
 */
export async function openTestDatabase(
  dir: string,
  options: { poolSize?: number; synchronous?: 'FULL' | 'NORMAL' } = {},
): Promise<OpenTestDatabase> {
  if (TEST_DIALECT === 'sqlite') {
    const path = join(dir, 'test.db');
    const target: DatabaseTarget = { dialect: 'sqlite', path, synchronous: options.synchronous };
    const database = await openDatabase(target);
    return { database, target, env: { DATABASE_PATH: path }, close: () => database.close() };
  }
  const made = await freshPostgresDatabase();
  const target: DatabaseTarget = { dialect: 'postgres', url: made.url, poolSize: options.poolSize ?? 10 };
  const database = await openDatabase(target, { migrate: false });
  return {
    database,
    target,
    env: { DATABASE_URL: made.url },
    async close() {
      await database.close();
      await made.drop();
    },
  };
}
