// For PostgreSQL concurrency tests: their own database, and, for those that hold one transaction
// open, a way to know another one is now waiting for its lock (an event to await, not a sleep).
import { tmpdir } from 'node:os';
import { sql } from 'drizzle-orm';
import { afterAll, beforeAll } from 'vitest';
import type { Database } from '../db/database.js';
import { queryNumber } from './sql.js';
import { openTestDatabase, TEST_DIALECT, type OpenTestDatabase } from './test-database.js';

/** Resolves once some session of `database`'s PostgreSQL database waits for a lock. */
export async function someoneWaitsForALock(database: Database): Promise<void> {
  for (;;) {
    const waiting = await queryNumber(
      database,
      sql`SELECT count(*) FROM pg_stat_activity WHERE datname = current_database() AND wait_event_type = 'Lock'`,
    );
    if (waiting > 0) return;
    await new Promise((resolve) => setImmediate(resolve));
  }
}

/** A gate a transaction waits at until the test opens it. */
export function gate(): { open: () => void; opened: Promise<void> } {
  let open!: () => void;
  const opened = new Promise<void>((resolve) => (open = resolve));
  return { open, opened };
}

/**
 * A fresh PostgreSQL database for the calling test file, opened before its tests and dropped
 * after them; nothing on SQLite runs (these files test PostgreSQL's own behaviour).
 */
export function postgresDatabaseForFile(): () => Database {
  let opened: OpenTestDatabase | undefined;
  beforeAll(async () => {
    if (TEST_DIALECT === 'postgres') opened = await openTestDatabase(tmpdir());
  });
  afterAll(() => opened?.close());
  return () => opened!.database;
}
