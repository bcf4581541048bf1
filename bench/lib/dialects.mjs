// The storage the create and queue-list benchmarks run the server on, side by side in one run:
// SQLite (a temp file, synchronous=FULL as shipped) and PostgreSQL (a durable throwaway cluster,
// lib/postgres.mjs). BENCH_DIALECTS=sqlite (or postgres) runs one; without PostgreSQL's server
// binaries the PostgreSQL rows are left out with a note.
import { loadavg } from 'node:os';
import { findPgBinDir } from '../../scripts/postgres.mjs';
import { startBenchPostgres } from './postgres.mjs';
import { tempDatabasePath } from './servers.mjs';
import { cpuMsOf, fmt } from './stats.mjs';

/** The dialects this run covers, and the PostgreSQL cluster when it covers PostgreSQL. */
export async function benchDialects() {
  const wanted = (process.env.BENCH_DIALECTS ?? 'sqlite,postgres').split(',').map((name) => name.trim());
  const dialects = ['sqlite', 'postgres'].filter((name) => wanted.includes(name));
  if (dialects.includes('postgres') && !findPgBinDir()) {
    console.log('PostgreSQL server binaries not found (scripts/postgres.mjs): PostgreSQL rows left out.');
    return { dialects: dialects.filter((name) => name !== 'postgres'), pg: undefined, stop: async () => {} };
  }
  const pg = dialects.includes('postgres') ? await startBenchPostgres() : undefined;
  if (pg) console.log(await pg.describe());
  return { dialects, pg, stop: async () => pg?.stop() };
}

/**
 * A fresh, empty database of `dialect`: `seed` is what seedAccount/openDatabase take (a path or
 * `{ url }`), `server` what startResolutionFlow takes, `remove()` deletes it.
 */
export async function freshDatabase(dialect, pg, label) {
  if (dialect === 'sqlite') {
    const db = tempDatabasePath();
    return { seed: db.path, server: { databasePath: db.path }, remove: async () => db.remove() };
  }
  const db = await pg.database(label);
  return { seed: { url: db.url }, server: { databaseUrl: db.url }, remove: db.drop };
}

/**
 * Runs `work` (a load against the server `pid`) and adds the CPU time per response of the server
 * process and, on PostgreSQL (`pg`), of the cluster's processes: on a machine shared with other
 * work, CPU per request moves far less than requests per second.
 */
export async function withCpu(pid, pg, work) {
  const server = cpuMsOf(pid);
  const database = pg?.cpuMs();
  const result = await work();
  const per = (ms) => ms / Math.max(1, result.responses);
  return {
    ...result,
    serverCpuMs: per(cpuMsOf(pid) - server),
    databaseCpuMs: pg ? per(pg.cpuMs() - database) : undefined,
  };
}

/** The 1-, 5- and 15-minute load averages, as `uptime` prints them. */
export const loadAverage = () =>
  loadavg()
    .map((value) => value.toFixed(2))
    .join(' ');

/**
 * Table rows with the share of the baseline: `baselines` are the baseline's measurements of this
 * run (before and after the others, on a shared machine), compared against their mean.
 */
export function withRatio(rows, baselines) {
  const base = baselines.reduce((sum, row) => sum + row.rps, 0) / baselines.length;
  return rows.map((row) => ({
    server: row.server,
    'req/s': fmt(row.rps, 0),
    '% of baseline': fmt((row.rps / base) * 100, 0),
    'p50 ms': row.p50,
    'p90 ms': row.p90,
    'p99 ms': row.p99,
    'server CPU ms/req': fmt(row.serverCpuMs, 2),
    'PG CPU ms/req': row.databaseCpuMs === undefined ? '' : fmt(row.databaseCpuMs, 2),
    non2xx: row.non2xx,
    errors: row.errors,
  }));
}
