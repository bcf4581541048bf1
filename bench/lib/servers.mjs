import { spawn } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';

const root = join(dirname(fileURLToPath(import.meta.url)), '../..');

/** A free loopback port. */
export function freePort() {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const { port } = server.address();
      server.close(() => resolve(port));
    });
  });
}

async function waitForHealth(url, child, timeoutMs = 20_000) {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    if (child.exitCode !== null) throw new Error(`server exited with ${child.exitCode}`);
    try {
      const response = await fetch(`${url}/healthz`);
      if (response.ok) return;
    } catch {
      // not listening yet
    }
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
  throw new Error('server did not become healthy');
}

function stopper(child, cleanup) {
  return () =>
    new Promise((resolve) => {
      if (child.exitCode !== null) {
        cleanup?.();
        return resolve();
      }
      child.once('exit', () => {
        cleanup?.();
        resolve();
      });
      child.kill('SIGTERM');
      setTimeout(() => child.kill('SIGKILL'), 5000).unref();
    });
}

/** A temp folder for one benchmark's database. */
export function tempDatabasePath() {
  const dir = mkdtempSync(join(tmpdir(), 'rf-bench-'));
  return { path: join(dir, 'bench.db'), remove: () => rmSync(dir, { recursive: true, force: true }) };
}

/**
 * `node --import` arguments that load bench/lib/preload/<name>.mjs into the server: benchmark-only
 * variants of the built server (e.g. 'unbatched-creates'), never used in production.
 */
export const preload = (...names) =>
  names.flatMap((name) => ['--import', pathToFileURL(join(root, 'bench/lib/preload', `${name}.mjs`)).href]);

/**
 * Starts the real server (built dist) as a child process on 127.0.0.1: on SQLite at
 * `databasePath`, or on PostgreSQL at `databaseUrl` (DATABASE_URL) when that is given.
 */
export async function startResolutionFlow({ databasePath, databaseUrl, env = {}, nodeArgs = [] }) {
  const port = await freePort();
  // Only the database named here: not a DATABASE_URL or DATABASE_DIALECT this process inherited.
  const { DATABASE_URL: _url, DATABASE_DIALECT: _dialect, ...inherited } = process.env;
  const child = spawn(process.execPath, [...nodeArgs, join(root, 'packages/server/dist/cli.js'), 'serve'], {
    env: {
      ...inherited,
      PORT: String(port),
      HOST: '127.0.0.1',
      ...(databaseUrl ? { DATABASE_URL: databaseUrl } : { DATABASE_PATH: databasePath }),
      LOG_LEVEL: 'warn',
      AI_PROVIDER: 'off',
      RATE_LIMIT_WRITE_BURST: '1000000',
      RATE_LIMIT_WRITES_PER_SECOND: '1000000',
      STREAM_MAX_PER_USER: '100000',
      ...env,
    },
    stdio: ['ignore', 'inherit', 'inherit'],
  });
  const url = `http://127.0.0.1:${port}`;
  await waitForHealth(url, child);
  return { url, pid: child.pid, stop: stopper(child) };
}

/** Starts one of the baseline servers in bench/baselines as a child process. */
export async function startBaseline(name, env = {}) {
  const port = await freePort();
  const child = spawn(process.execPath, [join(root, 'bench/baselines', name)], {
    env: { ...process.env, PORT: String(port), ...env },
    stdio: ['ignore', 'inherit', 'inherit'],
  });
  const url = `http://127.0.0.1:${port}`;
  await waitForHealth(url, child);
  return { url, pid: child.pid, stop: stopper(child) };
}
