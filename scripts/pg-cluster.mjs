// Throwaway PostgreSQL clusters (DESIGN §10), in plain JS so that the server's tests
// (packages/server/src/test/pg-cluster.ts re-exports this), the benchmarks (bench/) and
// `npm run cluster` share one implementation: a cluster initialised in a temp dir from the
// machine's server binaries (scripts/postgres.mjs), listening on a free 127.0.0.1 port and on a unix
// socket in that dir, removed when stopped or when the process exits.
//
// By default durability is off (fsync, full-page writes), as the tests want: a test cluster never
// outlives its run, and start-up plus every commit stay cheap. synchronous_commit stays on so commit
// latency and group commit behave as in production. `durable: true` turns fsync and full-page
// writes back on (PostgreSQL's defaults): what a benchmark of durable commits must run on.
import { execFile, spawnSync } from 'node:child_process';
import { chownSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import postgres from 'postgres';
import { findPgBinDir, missingPostgresMessage } from './postgres.mjs';

/** A loopback port with nothing listening on it (yet). */
async function freePort() {
  const probe = createServer();
  await new Promise((resolve) => probe.listen(0, '127.0.0.1', resolve));
  const { port } = probe.address();
  await new Promise((resolve) => probe.close(resolve));
  return port;
}

/** initdb, pg_ctl and postgres refuse to run as root: as root, run them as the `postgres` user. */
function serverAccount() {
  if (process.getuid?.() !== 0) return undefined;
  const entry = /^postgres:[^:]*:(\d+):(\d+):/m.exec(readFileSync('/etc/passwd', 'utf8'));
  if (!entry) throw new Error('Running as root needs a `postgres` user for the test cluster.');
  return { uid: Number(entry[1]), gid: Number(entry[2]) };
}

const execFileAsync = promisify(execFile);

/** One PostgreSQL program as the server account; its output is in the error when it fails. */
async function runPg(binDir, program, args) {
  try {
    await execFileAsync(join(binDir, program), args, { ...serverAccount(), cwd: '/' });
  } catch (error) {
    const { stderr, stdout } = error;
    throw new Error(`${program} ${args[0]} failed: ${(stderr || stdout || String(error)).trim()}`);
  }
}

/**
 * The server settings of a cluster, as `name=value` strings (the order of `-c` options).
 *
 * @example
 * ```js
 * clusterSettings({ durable: true }); // ['fsync=on', 'full_page_writes=on', 'synchronous_commit=on', …]
 * ```
 */
export function clusterSettings({ durable = false, settings = {} } = {}) {
  const durability = durable ? 'on' : 'off';
  return [
    `fsync=${durability}`,
    `full_page_writes=${durability}`,
    'synchronous_commit=on',
    'max_connections=200',
    ...Object.entries(settings).map(([name, value]) => `${name}=${value}`),
  ];
}

/** The server options; the port is a fresh free one on each try. */
const serverOptions = (dir, port, options) =>
  [
    ...clusterSettings(options),
    `listen_addresses='127.0.0.1'`,
    `port=${port}`,
    `unix_socket_directories='${dir}'`,
  ]
    .map((setting) => `-c ${setting}`)
    .join(' ');

const readLog = (file) => {
  try {
    return readFileSync(file, 'utf8').trim().split('\n').slice(-5).join('\n');
  } catch {
    return '';
  }
};

/**
 * Starts a throwaway cluster: initdb (trust auth, user `postgres`, UTF8, locale C) in a new temp
 * dir, then `pg_ctl start -w` on a free 127.0.0.1 port with the socket in that dir. A test that
 * restarts or kills its server starts its own cluster rather than disturbing the run's shared one.
 * Options: `durable` (fsync and full-page writes on; default off), `settings` (more server
 * settings, `{ name: value }`, applied last).
 *
 * @example
 * ```js
 * const cluster = await startPgCluster({ durable: true });
 * // cluster.url → postgres://postgres@127.0.0.1:<port>/postgres
 * await cluster.restart();
 * await cluster.stop();
 * ```
 */
export async function startPgCluster(options = {}) {
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
      const start = ['start', '-D', dataDir, '-l', logFile, '-w', '-o', serverOptions(dir, port, options)];
      try {
        await runPg(binDir, 'pg_ctl', start);
      } catch (error) {
        if (attempt >= 3) throw new Error(`${error.message}\n${readLog(logFile)}`);
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

/** TEST_DATABASE_URL (or any `postgres://` URL) as a PgServer. */
export function pgServerFromUrl(url) {
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
export async function withAdminConnection(server, work) {
  // Quiet: CREATE/DROP … IF EXISTS notices would otherwise be printed by postgres.js.
  const sql = postgres(server.url, { max: 1, connect_timeout: 10, onnotice: () => {} });
  try {
    return await work(sql);
  } finally {
    await sql.end({ timeout: 5 });
  }
}
