// `npm run cluster`: the demo as N instances on one PostgreSQL (DESIGN §10), on this machine. A
// throwaway PostgreSQL cluster (scripts/pg-cluster.mjs), then three demo servers on ports 8787,
// 8788 and 8789 sharing it, each with an INSTANCE_ID of its own, so that the junior can escalate on
// one and the senior watch the queue on another. Ctrl-C stops the servers, then PostgreSQL, and
// removes both temp dirs: nothing is left running.
//
// The first server starts alone: it migrates and seeds the demo account (seeding is not safe to run
// twice at once: each would create the account). The other two start once it listens; they find
// the account and the demo's signing key in the shared folder (DATABASE_PATH's), so a token from
// any instance's /demo/token works on every instance.
import { spawn, spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { createInterface } from 'node:readline';
import { fileURLToPath } from 'node:url';
import { startPgCluster } from './pg-cluster.mjs';
import { findPgBinDir } from './postgres.mjs';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const HOST = '127.0.0.1';
const PORTS = [8787, 8788, 8789];
/** How long a server may take to stop after SIGTERM before it is killed (its own limit is 10 s). */
const STOP_GRACE_MS = 12_000;

/** Resolves true when nothing listens on HOST:port (the servers bind HOST, as they do by default). */
function portFree(port) {
  return new Promise((resolve) => {
    const probe = createServer();
    probe.once('error', () => resolve(false));
    probe.listen(port, HOST, () => probe.close(() => resolve(true)));
  });
}

/** Builds the server and the widget when either is missing: the servers run the built files. */
function buildIfMissing() {
  const built = ['packages/server/dist/cli.js', 'packages/widget/dist/resolutionflow.js'];
  if (built.every((file) => existsSync(join(root, file)))) return;
  console.log('The server or the widget is not built yet: npm run build …');
  const run = spawnSync('npm', ['run', 'build'], { cwd: root, stdio: 'inherit' });
  if (run.status !== 0) throw new Error('npm run build failed');
}

/**
 * Starts one demo server on `port`; `listening` resolves once it logs `listening` and rejects if it
 * exits first. Its warnings, errors and stderr are printed with the port in front; its request log
 * (info) is not.
 */
function startInstance(port, env) {
  const child = spawn(process.execPath, [join(root, 'packages/server/dist/cli.js'), 'serve', '--demo'], {
    cwd: root,
    env: { ...env, PORT: String(port), HOST, INSTANCE_ID: `demo-${port}` },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  const prefix = `[:${port}]`;
  const exited = new Promise((resolve) => child.once('exit', (code, signal) => resolve({ code, signal })));
  const listening = new Promise((resolve, reject) => {
    createInterface({ input: child.stdout }).on('line', (line) => {
      let entry;
      try {
        entry = JSON.parse(line);
      } catch {
        return console.log(`${prefix} ${line}`);
      }
      if (entry.msg === 'listening') resolve(entry);
      else if (entry.level >= 40) console.log(`${prefix} ${line}`);
    });
    createInterface({ input: child.stderr }).on('line', (line) => {
      // The CLI's own "demo running at" banner: the block printed below replaces the three of them.
      if (!line.trim() || /ResolutionFlow demo running at|API reference:/.test(line)) return;
      console.error(`${prefix} ${line}`);
    });
    void exited.then(({ code, signal }) =>
      reject(new Error(`the instance on :${port} exited (${signal ?? code}) before it listened`)),
    );
  });
  return { port, child, exited, listening };
}

/** Stops the servers (SIGTERM, then SIGKILL after the grace period), then PostgreSQL. */
async function stopAll(instances, cluster, dataDir) {
  const live = instances.filter(({ child }) => child.exitCode === null && child.signalCode === null);
  for (const { child } of live) child.kill('SIGTERM');
  const kill = setTimeout(() => live.forEach(({ child }) => child.kill('SIGKILL')), STOP_GRACE_MS);
  await Promise.all(live.map(({ exited }) => exited));
  clearTimeout(kill);
  await cluster?.stop();
  rmSync(dataDir, { recursive: true, force: true });
}

async function main() {
  for (const port of PORTS) {
    if (!(await portFree(port))) {
      console.error(
        `Port ${port} on ${HOST} is in use: stop what holds it (npm run cluster needs ${PORTS.join(', ')}).`,
      );
      process.exit(1);
    }
  }
  if (!findPgBinDir()) {
    const install =
      process.platform === 'darwin' ? 'brew install postgresql@15' : 'apt-get install postgresql-15';
    console.error(
      `npm run cluster needs PostgreSQL's server binaries (initdb, pg_ctl, postgres): ${install}.`,
    );
    process.exit(1);
  }
  buildIfMissing();

  const instances = [];
  let cluster;
  // Where the demo keeps its signing key (beside DATABASE_PATH): shared by the three, removed at the end.
  const dataDir = mkdtempSync(join(tmpdir(), 'rf-cluster-'));
  let stopping;
  const shutdown = (code, why) => {
    if (stopping) {
      // A second Ctrl-C: do not wait for graceful shutdown.
      for (const { child } of instances) child.kill('SIGKILL');
      return stopping;
    }
    if (why) console.log(`\n${why}: stopping the instances and PostgreSQL …`);
    stopping = stopAll(instances, cluster, dataDir).then(() => {
      if (why) console.log('Stopped. Nothing is left running.');
      process.exit(code);
    });
    return stopping;
  };
  for (const signal of ['SIGINT', 'SIGTERM', 'SIGHUP']) process.on(signal, () => void shutdown(0, signal));

  try {
    cluster = await startPgCluster();
    // Only the database started here: not a DATABASE_URL, DATABASE_PATH or PG* variable of this shell.
    const inherited = Object.fromEntries(
      Object.entries(process.env).filter(([name]) => !/^(DATABASE_(URL|PATH|DIALECT)|PG[A-Z]+)$/.test(name)),
    );
    const env = {
      ...inherited,
      DATABASE_URL: cluster.url,
      DATABASE_PATH: join(dataDir, 'resolutionflow.db'),
    };
    const first = startInstance(PORTS[0], env);
    instances.push(first);
    await first.listening;
    const others = PORTS.slice(1).map((port) => startInstance(port, env));
    instances.push(...others);
    await Promise.all(others.map(({ listening }) => listening));
  } catch (error) {
    console.error(`npm run cluster: ${error.message}`);
    return shutdown(1);
  }
  if (stopping) return;

  // One instance stopping on its own (killed to watch its clients move) leaves the others serving.
  for (const { port, exited } of instances) {
    void exited.then(({ code, signal }) => {
      if (!stopping) console.log(`[:${port}] exited (${signal ?? code}); the other instances keep serving.`);
    });
  }
  const url = (port, view) => `http://${HOST}:${port}/?view=${view}`;
  console.log(`
  ResolutionFlow: three demo instances on one PostgreSQL (${cluster.url})

    junior, Alex escalates      ${url(PORTS[0], 'junior')}
    senior, Sam's live queue    ${url(PORTS[1], 'senior')}
    owner, Priya's metrics      ${url(PORTS[2], 'owner')}

  Every instance serves every view (and the API, /docs); instances are demo-${PORTS.join(', demo-')}.
  Ctrl-C stops all three and PostgreSQL, and removes their temp folders.
`);
}

await main();
