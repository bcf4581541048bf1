import { createHash } from 'node:crypto';
import type { Database } from '../db/database.js';

/** Row counts and a checksum of every table's contents: "the database is unchanged" as one value. */
export interface DbFingerprint {
  counts: Record<string, number>;
  checksum: string;
}

/** Every application table (migrations bookkeeping and SQLite's own excluded). */
function tables(database: Database): string[] {
  return database.sqlite
    .prepare(
      "SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%' AND name NOT LIKE '__drizzle%' ORDER BY name",
    )
    .pluck()
    .all() as string[];
}

/** Reads every row of every table in rowid order and hashes it. */
export function fingerprint(database: Database): DbFingerprint {
  const hash = createHash('sha256');
  const counts: Record<string, number> = {};
  for (const table of tables(database)) {
    const rows = database.sqlite.prepare(`SELECT * FROM "${table}" ORDER BY rowid`).raw().all();
    counts[table] = rows.length;
    hash.update(table).update(JSON.stringify(rows));
  }
  return { counts, checksum: hash.digest('hex').slice(0, 16) };
}
