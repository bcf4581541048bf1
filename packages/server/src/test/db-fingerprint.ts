import { createHash } from 'node:crypto';
import { sql } from 'drizzle-orm';
import type { Database } from '../db/database.js';
import { queryRows } from './sql.js';

/** Row counts and a checksum of every table's contents: "the database is unchanged" as one value. */
export interface DbFingerprint {
  counts: Record<string, number>;
  checksum: string;
}

/** Every application table (migrations bookkeeping and the database's own excluded). */
async function tables(database: Database): Promise<string[]> {
  const rows = await queryRows<{ name: string }>(
    database,
    database.dialect === 'sqlite'
      ? sql`SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%' AND name NOT LIKE '__drizzle%' ORDER BY name`
      : sql`SELECT table_name AS name FROM information_schema.tables WHERE table_schema = current_schema() AND table_type = 'BASE TABLE' AND table_name NOT LIKE '__drizzle%' ORDER BY table_name`,
  );
  return rows.map((row) => row.name);
}

/**
 * The rows of `table`, each as its column values, in a stable order: rowid order on SQLite;
 * PostgreSQL has no rowid (and `ctid` moves on any update, even one that changes nothing), so
 * there the rows are sorted by their serialized values: the same contents give the same list.
 */
async function rowsOf(database: Database, table: string): Promise<string[]> {
  const name = sql.identifier(table);
  if (database.dialect === 'sqlite') {
    const rows = await queryRows(database, sql`SELECT * FROM ${name} ORDER BY rowid`);
    return rows.map((row) => JSON.stringify(Object.values(row)));
  }
  const rows = await queryRows(database, sql`SELECT * FROM ${name}`);
  return rows.map((row) => JSON.stringify(Object.values(row))).sort();
}

/** Reads every row of every table and hashes it. */
export async function fingerprint(database: Database): Promise<DbFingerprint> {
  const hash = createHash('sha256');
  const counts: Record<string, number> = {};
  for (const table of await tables(database)) {
    const rows = await rowsOf(database, table);
    counts[table] = rows.length;
    hash.update(table).update(`[${rows.join(',')}]`);
  }
  return { counts, checksum: hash.digest('hex').slice(0, 16) };
}
