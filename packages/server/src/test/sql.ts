// Raw SQL for tests that look beneath the repositories (row counts, direct updates), on either
// dialect. Write the SQL in the subset both speak; drizzle's `sql` template numbers the parameters
// for each.
import type { SQL } from 'drizzle-orm';
import type { Database } from '../db/database.js';

type RawRunner = { all?(query: SQL): unknown[]; execute?(query: SQL): Promise<unknown[]> };

/** The rows of `query`, on the database's read connection. */
export async function queryRows<T = Record<string, unknown>>(database: Database, query: SQL): Promise<T[]> {
  const db = database.db as unknown as RawRunner;
  return (database.dialect === 'sqlite' ? db.all!(query) : await db.execute!(query)) as T[];
}

/** The first column of the first row of `query`, as a number (`count(*)` and the like). */
export async function queryNumber(database: Database, query: SQL): Promise<number> {
  const [row] = await queryRows(database, query);
  return Number(Object.values(row ?? {})[0]);
}

/** Runs `query` for its effect, in its own write transaction. */
export async function execute(database: Database, query: SQL): Promise<void> {
  await database.write(async ({ db }) => {
    const runner = db as unknown as { run?(query: SQL): unknown; execute?(query: SQL): Promise<unknown> };
    if (database.dialect === 'sqlite') runner.run!(query);
    else await runner.execute!(query);
  });
}
