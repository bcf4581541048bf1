// Types for scripts/postgres.mjs, so the server's TypeScript tests can import it.

/** The directory holding initdb, pg_ctl and postgres, or `undefined` when there is none. */
export function findPgBinDir(): string | undefined;

/** One line saying that no PostgreSQL server was found and what to install or set instead. */
export function missingPostgresMessage(): string;
