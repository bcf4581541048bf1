// The benchmarks' PostgreSQL: a throwaway cluster (scripts/pg-cluster.mjs) that this process
// starts, on 127.0.0.1 with its data in the system temp folder, with durable commits (fsync,
// full-page writes and synchronous_commit on, as PostgreSQL ships): the tests' cluster turns fsync
// off, a benchmark of durable creates must not. One fresh database per measured server.
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { startPgCluster, withAdminConnection } from '../../scripts/pg-cluster.mjs';
import { cpuMsOf } from './stats.mjs';

/** The parent pid of `pid` (Linux), or undefined once it has exited. */
function parentOf(pid) {
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    return Number(stat.slice(stat.lastIndexOf(')') + 2).split(' ')[1]);
  } catch {
    return undefined;
  }
}

/** CPU ms (user + system) of the postmaster and its live children: backends, WAL writer, checkpointer. */
function clusterCpuMs(dataDir) {
  const postmaster = Number(readFileSync(join(dataDir, 'postmaster.pid'), 'utf8').split('\n')[0]);
  const pids = readdirSync('/proc')
    .filter((entry) => /^\d+$/.test(entry))
    .map(Number)
    .filter((pid) => pid === postmaster || parentOf(pid) === postmaster);
  return pids.reduce((sum, pid) => {
    try {
      return sum + cpuMsOf(pid);
    } catch {
      return sum; // exited meanwhile
    }
  }, 0);
}

let count = 0;

/**
 * Starts the cluster; `database(label)` creates a fresh database and resolves with its URL and
 * `drop()`,
 * `describe()` with the version and durability settings as the server reports them.
 */
export async function startBenchPostgres() {
  const cluster = await startPgCluster({ durable: true });
  return {
    url: cluster.url,
    /** The directory of the cluster's unix socket (PGHOST for a socket connection). */
    socketDir: cluster.dir,
    stop: () => cluster.stop(),
    /** CPU ms the cluster's live processes have used so far (read it around a measurement). */
    cpuMs: () => clusterCpuMs(join(cluster.dir, 'data')),
    async database(label) {
      const name = `bench_${label.replace(/[^a-z0-9]+/gi, '_').toLowerCase()}_${++count}`;
      await withAdminConnection(cluster, (sql) => sql.unsafe(`CREATE DATABASE "${name}"`));
      const url = new URL(cluster.url);
      url.pathname = `/${name}`;
      const drop = () =>
        withAdminConnection(cluster, (sql) => sql.unsafe(`DROP DATABASE IF EXISTS "${name}" WITH (FORCE)`));
      return { name, url: url.toString(), drop };
    },
    describe: () =>
      withAdminConnection(cluster, async (sql) => {
        const names = [
          'server_version',
          'fsync',
          'synchronous_commit',
          'full_page_writes',
          'wal_sync_method',
        ];
        const rows = await sql`select name, setting from pg_settings where name in ${sql(names)}`;
        const setting = Object.fromEntries(rows.map((row) => [row.name, row.setting]));
        return `PostgreSQL ${setting.server_version}: ${names
          .slice(1)
          .map((name) => `${name}=${setting[name]}`)
          .join(', ')}`;
      }),
  };
}
