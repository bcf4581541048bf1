// For PostgreSQL concurrency tests that hold one transaction open and need to know another one is
// now waiting for its lock: an event to await, not a sleep.
import { sql } from 'drizzle-orm';
import type { Database } from '../db/database.js';
import { queryNumber } from './sql.js';

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
