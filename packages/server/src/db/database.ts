import { mkdirSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import Sqlite from 'better-sqlite3';
import { drizzle, type BetterSQLite3Database } from 'drizzle-orm/better-sqlite3';
import { migrate } from 'drizzle-orm/better-sqlite3/migrator';
import { startCheckpointer, type Checkpointer } from './checkpointer.js';
import * as schema from './schema.js';

/** The drizzle handle every repository works with. */
export type Db = BetterSQLite3Database<typeof schema>;

/** An open database: the drizzle handle and the raw connection beneath it. */
export interface Database {
  db: Db;
  sqlite: Sqlite.Database;
  /** Runs `work` in a `BEGIN IMMEDIATE` transaction. `work` must be synchronous. */
  write<T>(work: (db: Db) => T): T;
  close(): void;
  /** The background checkpointer, when opened with `checkpoints: 'background'`. */
  checkpointer?: Checkpointer | undefined;
}

/** Where the generated SQL migrations live (shipped beside `dist/`). */
export const MIGRATIONS_FOLDER = join(dirname(fileURLToPath(import.meta.url)), '../../drizzle');

/**
 * Opens (creating if needed) the SQLite file at `path` with the settings the
 * design depends on: WAL, `synchronous=FULL` so an acknowledged write survives a
 * crash, foreign keys on (set before migrating) and a busy timeout.
 */
export function openDatabase(
  path: string,
  options: {
    migrate?: boolean;
    synchronous?: 'FULL' | 'NORMAL';
    /** `background`: WAL checkpoints in a worker thread, not inside a commit (see checkpointer.ts). */
    checkpoints?: 'inline' | 'background';
  } = {},
): Database {
  if (path !== ':memory:') mkdirSync(dirname(path), { recursive: true });
  const sqlite = new Sqlite(path);
  sqlite.pragma('journal_mode = WAL');
  sqlite.pragma(`synchronous = ${options.synchronous === 'NORMAL' ? 'NORMAL' : 'FULL'}`);
  sqlite.pragma('foreign_keys = ON');
  sqlite.pragma('busy_timeout = 5000');
  const db = drizzle(sqlite, { schema });
  if (options.migrate !== false) migrate(db, { migrationsFolder: MIGRATIONS_FOLDER });
  const checkpointer =
    options.checkpoints === 'background' && path !== ':memory:' ? startCheckpointer(sqlite, path) : undefined;

  return {
    db,
    sqlite,
    write<T>(work: (db: Db) => T): T {
      return sqlite
        .transaction(() => {
          const result = work(db);
          if (result instanceof Promise) {
            throw new TypeError('A write transaction must be synchronous');
          }
          return result;
        })
        .immediate();
    },
    checkpointer,
    close() {
      checkpointer?.stop();
      if (sqlite.open) sqlite.close();
    },
  };
}

/** Applies pending migrations; a no-op when the database is current. */
export function migrateDatabase(path: string): void {
  const database = openDatabase(path, { migrate: true });
  database.close();
}
