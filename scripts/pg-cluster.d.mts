// Types for scripts/pg-cluster.mjs, so the server's TypeScript tests can import it.
import type postgres from 'postgres';

/** Where a PostgreSQL server listens: what a test needs to reach it. Plain data (vitest `provide`). */
export interface PgServer {
  host: string;
  port: number;
  user: string;
  password?: string;
  /** A URL to the server's maintenance database (`postgres`, or TEST_DATABASE_URL's). */
  url: string;
}

/** A cluster this process started: stop it when done (an exit handler stops it otherwise). */
export interface PgCluster extends PgServer {
  /** The temp dir holding the data dir, the log and the unix socket. */
  dir: string;
  /** Stops the server (`pg_ctl restart -m fast`) and starts it again on the same port and data. */
  restart(): Promise<void>;
  /** Stops the server at once (`pg_ctl stop -m immediate`) and removes its dir. Idempotent. */
  stop(): Promise<void>;
}

/** How a cluster runs. */
export interface PgClusterOptions {
  /** fsync and full-page writes on (PostgreSQL's defaults) instead of off. Default false. */
  durable?: boolean;
  /** More server settings, `{ name: value }`, applied after the defaults. */
  settings?: Record<string, string | number>;
}

/** The server settings of a cluster, as `name=value` strings. */
export function clusterSettings(options?: PgClusterOptions): string[];

/** Starts a throwaway cluster in a temp dir on a free 127.0.0.1 port (see pg-cluster.mjs). */
export function startPgCluster(options?: PgClusterOptions): Promise<PgCluster>;

/** TEST_DATABASE_URL (or any `postgres://` URL) as a PgServer. */
export function pgServerFromUrl(url: string): PgServer;

/** Runs statements on the server's maintenance database over one short-lived connection. */
export function withAdminConnection<T>(server: PgServer, work: (sql: postgres.Sql) => Promise<T>): Promise<T>;
