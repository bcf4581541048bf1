// Throwaway PostgreSQL servers for the tests (DESIGN §10): a cluster initialised in a temp dir from
// the machine's server binaries and removed afterwards, or an existing server named by
// TEST_DATABASE_URL; on either, one fresh database per test file. Durability is off (fsync,
// full-page writes): a test cluster never outlives its run, and start-up plus every commit stay
// cheap. synchronous_commit stays on so commit latency and group commit behave as in production.
import { execFile, spawnSync } from 'node:child_process';
import { chownSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import postgres from 'postgres';
import { findPgBinDir, missingPostgresMessage } from '../../../../scripts/postgres.mjs';
import { freePort } from './free-port.js';

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

/** A database made for one test file: `url` connects to it, `drop` removes it (with its sessions). */
export interface TestDatabase {
  name: string;
  url: string;
  drop(): Promise<void>;
}

/** The storage dialects a test run covers. */
export type TestDialect = 'sqlite' | 'postgres';

declare module 'vitest' {
  export interface ProvidedContext {
    /** The run's PostgreSQL server (pg-global-setup.ts); null when TEST_DIALECTS leaves it out. */
    pgServer: PgServer | null;
  }
}

/** TEST_DIALECTS as a list (comma-separated; both dialects when unset). */
export function testDialects(env: NodeJS.ProcessEnv = process.env): TestDialect[] {
  const names = (env.TEST_DIALECTS ?? 'sqlite,postgres').split(',').map((name) => name.trim());
  return (['sqlite', 'postgres'] as const).filter((dialect) => names.includes(dialect));
}

/** initdb, pg_ctl and postgres refuse to run as root: as root, run them as the `postgres` user. */
function serverAccount(): { uid: number; gid: number } | undefined {
  if (process.getuid?.() !== 0) return undefined;
  const entry = /^postgres:[^:]*:(\d+):(\d+):/m.exec(readFileSync('/etc/passwd', 'utf8'));
  if (!entry) throw new Error('Running as root needs a `postgres` user for the test cluster.');
  return { uid: Number(entry[1]), gid: Number(entry[2]) };
}

const execFileAsync = promisify(execFile);

/** One PostgreSQL program as the server account; its output is in the error when it fails. */
async function runPg(binDir: string, program: string, args: string[]): Promise<void> {
  try {
    await execFileAsync(join(binDir, program), args, { ...serverAccount(), cwd: '/' });
  } catch (error) {
    const { stderr, stdout } = error as { stderr?: string; stdout?: string };
    throw new Error(`${program} ${args[0]} failed: ${(stderr || stdout || String(error)).trim()}`);
  }
}

/** The server options; the port is a fresh free one on each try. */
const serverOptions = (dir: string, port: number) =>
  [
    'fsync=off',
    'full_page_writes=off',
    'synchronous_commit=on',
    `listen_addresses='127.0.0.1'`,
    `port=${port}`,
    `unix_socket_directories='${dir}'`,
    'max_connections=200',
  ]
    .map((setting) => `-c ${setting}`)
    .join(' ');

/**
 * Starts a throwaway cluster: initdb (trust auth, user `postgres`, UTF8, locale C) in a new temp
 * dir, then `pg_ctl start -w` on a free 127.0.0.1 port with the socket in that dir. A test that
 * restarts or kills its server starts its own cluster rather than disturbing the run's shared one.
 *
 * @example
 * ```ts
 * const cluster = await startPgCluster();
 * const db = await createTestDatabase('restart', cluster);
 * await cluster.restart();
 * await cluster.stop();
 * ```
 */
export async function startPgCluster(): Promise<PgCluster> {
  const binDir = findPgBinDir();
  if (!binDir) throw new Error(missingPostgresMessage());
  const dir = mkdtempSync(join(tmpdir(), 'rf-pg-'));
  const account = serverAccount();
  if (account) chownSync(dir, account.uid, account.gid);
  const dataDir = join(dir, 'data');
  const logFile = join(dir, 'server.log');
  let stopped = false;
  // Also on exit without stop() (a failed hook, Ctrl-C: vitest exits through process.exit), and
  // synchronously, since 'exit' handlers cannot wait: no server or temp dir outlives the process.
  const stopNow = () => {
    if (stopped) return;
    stopped = true;
    process.off('exit', stopNow);
    spawnSync(join(binDir, 'pg_ctl'), ['stop', '-D', dataDir, '-m', 'immediate', '-w'], {
      ...account,
      cwd: '/',
      stdio: 'ignore',
    });
    rmSync(dir, { recursive: true, force: true });
  };
  process.on('exit', stopNow);
  try {
    const initdb = ['-D', dataDir, '-U', 'postgres', '-A', 'trust', '-E', 'UTF8', '--locale=C', '--no-sync'];
    await runPg(binDir, 'initdb', initdb);
    // freePort() only probes: another process may take the port before postgres binds it.
    for (let attempt = 1; ; attempt++) {
      const port = await freePort();
      const start = ['start', '-D', dataDir, '-l', logFile, '-w', '-o', serverOptions(dir, port)];
      try {
        await runPg(binDir, 'pg_ctl', start);
      } catch (error) {
        if (attempt >= 3) throw new Error(`${(error as Error).message}\n${readLog(logFile)}`);
        continue;
      }
      const host = '127.0.0.1';
      return {
        host,
        port,
        user: 'postgres',
        url: `postgres://postgres@${host}:${port}/postgres`,
        dir,
        // pg_ctl restart reuses the options recorded in postmaster.opts: same port and socket dir.
        restart: () => runPg(binDir, 'pg_ctl', ['restart', '-D', dataDir, '-l', logFile, '-m', 'fast', '-w']),
        stop: async () => stopNow(),
      };
    }
  } catch (error) {
    stopNow();
    throw error;
  }
}

const readLog = (file: string) => {
  try {
    return readFileSync(file, 'utf8').trim().split('\n').slice(-5).join('\n');
  } catch {
    return '';
  }
};

/** TEST_DATABASE_URL (or any `postgres://` URL) as a PgServer. */
export function pgServerFromUrl(url: string): PgServer {
  const parsed = new URL(url);
  if (!/^postgres(ql)?:$/.test(parsed.protocol)) throw new Error(`Not a postgres:// URL: ${url}`);
  return {
    host: decodeURIComponent(parsed.hostname) || '127.0.0.1',
    port: Number(parsed.port || 5432),
    user: decodeURIComponent(parsed.username) || 'postgres',
    ...(parsed.password ? { password: decodeURIComponent(parsed.password) } : {}),
    url,
  };
}

/** Runs statements on the server's maintenance database over one short-lived connection. */
export async function withAdminConnection<T>(
  server: PgServer,
  work: (sql: postgres.Sql) => Promise<T>,
): Promise<T> {
  // Quiet: CREATE/DROP … IF EXISTS notices would otherwise be printed by postgres.js.
  const sql = postgres(server.url, { max: 1, connect_timeout: 10, onnotice: () => {} });
  try {
    return await work(sql);
  } finally {
    await sql.end({ timeout: 5 });
  }
}

let databaseCount = 0;

/** A name no other file or run uses: PostgreSQL identifiers are at most 63 bytes. */
function uniqueDatabaseName(prefix: string): string {
  const readable = prefix
    .toLowerCase()
    .replace(/[^a-z0-9_]+/g, '_')
    .slice(0, 30);
  const unique = `${process.pid}_${++databaseCount}_${Math.random().toString(36).slice(2, 8)}`;
  return `t_${readable}_${unique}`;
}

/**
 * Creates a fresh, empty database on `server` (by default the run's shared server that
 * pg-global-setup.ts provides) and returns its URL and a drop function. `name` is a readable
 * prefix; a unique suffix is added, so files running in parallel never share a database.
 *
 * @example
 * ```ts
 * let db: TestDatabase;
 * beforeAll(async () => (db = await createTestDatabase('handoffs')));
 * afterAll(() => db.drop());
 * // postgres(db.url) → postgres://postgres@127.0.0.1:<port>/t_handoffs_…
 * ```
 */
export async function createTestDatabase(name = 'test', server?: PgServer): Promise<TestDatabase> {
  const on = server ?? (await sharedPgServer());
  const database = uniqueDatabaseName(name);
  await withAdminConnection(on, (sql) => sql.unsafe(`CREATE DATABASE "${database}"`));
  const url = new URL(on.url);
  url.pathname = `/${database}`;
  return {
    name: database,
    url: url.toString(),
    // FORCE ends sessions a test left open (a pool not yet ended), which would block the drop.
    drop: async () => {
      await withAdminConnection(on, (sql) =>
        sql.unsafe(`DROP DATABASE IF EXISTS "${database}" WITH (FORCE)`),
      );
    },
  };
}

/** The run's shared server, from pg-global-setup.ts; throws when this run leaves PostgreSQL out. */
export async function sharedPgServer(): Promise<PgServer> {
  // Imported here, not at the top: the global setup (outside any test worker) imports this file.
  const { inject } = await import('vitest');
  const server = inject('pgServer');
  if (!server) throw new Error('This run has no PostgreSQL server: TEST_DIALECTS leaves out postgres.');
  return server;
}
