import { mkdirSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import Sqlite from 'better-sqlite3';
import { sql } from 'drizzle-orm';
import { drizzle } from 'drizzle-orm/better-sqlite3';
import { migrate } from 'drizzle-orm/better-sqlite3/migrator';
import type { Database, DialectFragments, Tx } from '../database.js';
import { writeCreatesInTransaction } from '../write-creates.js';
import * as schema from '../schema.js';
import { startCheckpointer, type Checkpointer } from '../checkpointer.js';
import { sqliteHotStatements } from './hot-statements.js';

/** Where the generated SQLite migrations live (shipped beside `dist/`). */
export const SQLITE_MIGRATIONS = join(dirname(fileURLToPath(import.meta.url)), '../../../drizzle/sqlite');

/** An open SQLite database, with its raw connections for what only SQLite has (checkpoints, tests). */
export interface SqliteDatabase extends Database {
  readonly dialect: 'sqlite';
  /** The one connection that writes. */
  readonly sqlite: Sqlite.Database;
  /** The background checkpointer, when opened with `checkpoints: 'background'`. */
  readonly checkpointer: Checkpointer | undefined;
}

const FRAGMENTS: DialectFragments = {
  jsonText: (column, key) => sql`json_extract(${column}, ${`$.${key}`})`,
  greatest: (a, b) => sql`max(${a}, ${b})`,
};

function connect(path: string, synchronous: 'FULL' | 'NORMAL'): Sqlite.Database {
  const sqlite = new Sqlite(path);
  sqlite.pragma('journal_mode = WAL');
  sqlite.pragma(`synchronous = ${synchronous}`);
  sqlite.pragma('foreign_keys = ON');
  sqlite.pragma('busy_timeout = 5000');
  return sqlite;
}

/**
 * Opens (creating if needed) the SQLite file at `path` with the settings the
 * design depends on: WAL, `synchronous=FULL` so an acknowledged write survives a
 * crash, foreign keys on (set before migrating) and a busy timeout.
 *
 * Two connections: writes take turns on one, each in a `BEGIN IMMEDIATE`
 * transaction, while reads go to the other and so never see a transaction
 * that is still open (work inside a write is async, so other requests' reads
 * can run between its statements).
 */
export function openSqlite(
  path: string,
  options: {
    migrate?: boolean | undefined;
    synchronous?: 'FULL' | 'NORMAL' | undefined;
    /** `background`: WAL checkpoints in a worker thread, not inside a commit (see checkpointer.ts). */
    checkpoints?: 'inline' | 'background' | undefined;
  } = {},
): SqliteDatabase {
  if (path !== ':memory:') mkdirSync(dirname(path), { recursive: true });
  const synchronous = options.synchronous === 'NORMAL' ? 'NORMAL' : 'FULL';
  const writer = connect(path, synchronous);
  const writerDb = drizzle(writer, { schema });
  if (options.migrate !== false) migrate(writerDb, { migrationsFolder: SQLITE_MIGRATIONS });
  const checkpointer =
    options.checkpoints === 'background' && path !== ':memory:' ? startCheckpointer(writer, path) : undefined;
  // A second connection to `:memory:` would be another, empty database.
  const reader = path === ':memory:' ? writer : connect(path, synchronous);
  const readerDb = drizzle(reader, { schema });
  const writerHot = sqliteHotStatements(writer);
  let savepoints = 0;
  const tx: Tx = {
    db: writerDb,
    hot: writerHot,
    async savepoint(work) {
      const name = `sp${++savepoints}`;
      writer.exec(`SAVEPOINT ${name}`);
      try {
        const result = await work(tx);
        writer.exec(`RELEASE ${name}`);
        return result;
      } catch (error) {
        writer.exec(`ROLLBACK TO ${name}; RELEASE ${name}`);
        throw error;
      }
    },
    forUpdate: async (query) => await query,
  };
  // Writers queue here: one transaction at a time on the one writing connection.
  let turn: Promise<unknown> = Promise.resolve();

  return {
    dialect: 'sqlite',
    sqlite: writer,
    checkpointer,
    db: readerDb,
    reads: readerDb,
    tables: schema,
    hot: path === ':memory:' ? writerHot : sqliteHotStatements(reader),
    fragments: FRAGMENTS,
    write(work) {
      const run = turn.then(async () => {
        writer.exec('BEGIN IMMEDIATE');
        try {
          const result = await work(tx);
          writer.exec('COMMIT');
          return result;
        } catch (error) {
          if (writer.inTransaction) writer.exec('ROLLBACK');
          throw error;
        } finally {
          savepoints = 0;
        }
      });
      turn = run.catch(() => undefined);
      return run;
    },
    writeCreates(creates) {
      return writeCreatesInTransaction(this, creates);
    },
    // One process owns a SQLite file, so running the work is enough.
    exclusively: (_name, work) => work(),
    async ping() {
      reader.prepare('SELECT 1').get();
    },
    async close() {
      await turn;
      await checkpointer?.stop();
      if (reader.open) reader.close();
      if (writer.open) writer.close();
    },
  };
}
