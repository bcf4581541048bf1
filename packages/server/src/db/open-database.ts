import type { Database } from './database.js';
import { migratePostgres, openPostgres } from './postgres/postgres-database.js';
import { openSqlite } from './sqlite/sqlite-database.js';

/** Which database the server opens, from its configuration. */
export type DatabaseTarget =
  | {
      dialect: 'sqlite';
      path: string;
      synchronous?: 'FULL' | 'NORMAL';
      /** `background`: WAL checkpoints in a worker thread, not inside a commit (see checkpointer.ts). */
      checkpoints?: 'inline' | 'background';
    }
  /** `url` undefined: the usual `PG*` environment variables. */
  | { dialect: 'postgres'; url?: string | undefined; poolSize?: number; readPoolSize?: number };

/** A database that could not be opened, said in one line naming what to fix. */
export class DatabaseUnavailableError extends Error {
  constructor(target: DatabaseTarget, cause: unknown) {
    const reason = cause instanceof Error ? cause.message : String(cause);
    const where =
      target.dialect === 'sqlite'
        ? `the SQLite file at DATABASE_PATH (${target.path})`
        : target.url
          ? `PostgreSQL at DATABASE_URL (${redact(target.url)})`
          : 'PostgreSQL from the PG* variables (PGHOST, PGPORT, PGDATABASE, PGUSER)';
    super(`Cannot open ${where}: ${reason}`, { cause });
    this.name = 'DatabaseUnavailableError';
  }
}

/** The URL without its password, fit for a log line. */
function redact(url: string): string {
  try {
    const parsed = new URL(url);
    if (parsed.password) parsed.password = '***';
    return parsed.toString();
  } catch {
    return 'an unparsable URL';
  }
}

/**
 * Opens the configured database, applying pending migrations unless
 * `migrate: false`.
 *
 * @throws DatabaseUnavailableError when it cannot be reached or migrated.
 */
export async function openDatabase(
  target: DatabaseTarget,
  options: { migrate?: boolean } = {},
): Promise<Database> {
  try {
    if (target.dialect === 'sqlite') {
      return openSqlite(target.path, { ...target, migrate: options.migrate });
    }
    return await openPostgres(target, options);
  } catch (error) {
    throw new DatabaseUnavailableError(target, error);
  }
}

/** Applies pending migrations; a no-op when the database is current. */
export async function migrateDatabase(target: DatabaseTarget): Promise<void> {
  try {
    if (target.dialect === 'sqlite') await openSqlite(target.path, { migrate: true }).close();
    else await migratePostgres(target);
  } catch (error) {
    throw new DatabaseUnavailableError(target, error);
  }
}
