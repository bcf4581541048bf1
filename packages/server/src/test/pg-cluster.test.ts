// The PostgreSQL test infrastructure itself: a cluster really starts, its databases are isolated
// from each other, a restart keeps the data, and stop leaves no process or temp dir behind. The
// run's shared server (pg-global-setup.ts) is checked the same way when this run has one.
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import postgres from 'postgres';
import { describe, expect, inject, it } from 'vitest';
import { findPgBinDir } from '../../../../scripts/postgres.mjs';
import { createTestDatabase, startPgCluster, type PgServer, type TestDatabase } from './pg-cluster.js';

const connect = (url: string) => postgres(url, { max: 2, connect_timeout: 5, onnotice: () => {} });

/** Two fresh databases on `server` see nothing of each other; a dropped one is gone. */
async function expectIsolatedDatabases(server?: PgServer): Promise<void> {
  const [a, b] = await Promise.all([
    createTestDatabase('isolation a', server),
    createTestDatabase('isolation b', server),
  ]);
  expect(a.name).not.toBe(b.name);
  const sqlA = connect(a.url);
  const sqlB = connect(b.url);
  try {
    await sqlA`create table note (body text not null)`;
    await sqlA`insert into note (body) values ('only in a')`;
    const [inA] = await sqlA`select current_database() as db, (select body from note) as body`;
    expect(inA).toEqual({ db: a.name, body: 'only in a' });
    const [inB] = await sqlB`select current_database() as db, to_regclass('public.note') is null as absent`;
    expect(inB).toEqual({ db: b.name, absent: true });
  } finally {
    await Promise.all([sqlA.end(), sqlB.end()]);
  }
  // drop() works with a session still open (WITH FORCE): a test that forgot to end its pool.
  const forgotten = connect(a.url);
  await forgotten`select 1`;
  await Promise.all([a.drop(), b.drop()]);
  await expect(forgotten`select 1`).rejects.toThrow();
  await forgotten.end({ timeout: 1 });
  await expect(databaseExists(server, a)).resolves.toBe(false);
}

async function databaseExists(server: PgServer | undefined, database: TestDatabase): Promise<boolean> {
  const sql = connect(new URL('/postgres', server?.url ?? inject('pgServer')!.url).toString());
  try {
    const rows = await sql`select 1 from pg_database where datname = ${database.name}`;
    return rows.length === 1;
  } finally {
    await sql.end();
  }
}

/** The postmaster's pid (first line of postmaster.pid) and the pids of its children. */
function clusterPids(dir: string): number[] {
  const postmaster = Number(readFileSync(join(dir, 'data', 'postmaster.pid'), 'utf8').split('\n')[0]);
  const children = readdirSync('/proc')
    .filter((entry) => /^\d+$/.test(entry))
    .filter((pid) => {
      try {
        // /proc/<pid>/stat: "pid (comm) state ppid …"; comm may hold spaces, so split after ')'.
        const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
        return Number(stat.slice(stat.lastIndexOf(')') + 2).split(' ')[1]) === postmaster;
      } catch {
        return false; // exited meanwhile
      }
    })
    .map(Number);
  return [postmaster, ...children];
}

/** Whether `pid` is a live process. A zombie is not: an init that is slow to reap (this
 * container's) leaves exited postmasters as zombies for a while. */
const isRunning = (pid: number) => {
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    return stat.slice(stat.lastIndexOf(')') + 2)[0] !== 'Z';
  } catch {
    return false;
  }
};

// With TEST_DATABASE_URL on a machine without server binaries, only the shared server is tested;
// the pid checks read /proc, so Linux only.
// Run in the postgres project only (the sqlite project would start a second cluster for nothing).
const canStartCluster =
  process.env.TEST_DIALECT === 'postgres' && findPgBinDir() && process.platform === 'linux';

describe.skipIf(!canStartCluster)('a throwaway PostgreSQL cluster', () => {
  it('starts, serves isolated databases, keeps data over a restart, and stops without leftovers', async () => {
    const startedAt = performance.now();
    const cluster = await startPgCluster();
    const startupMs = performance.now() - startedAt;
    let pids: number[] = [];
    try {
      const admin = connect(cluster.url);
      const [row] = await admin`select current_setting('server_version') as version`;
      await admin.end();
      console.info(`PostgreSQL ${row?.version} test cluster started in ${Math.round(startupMs)} ms`);
      pids = clusterPids(cluster.dir);
      expect(pids.length).toBeGreaterThan(1); // the postmaster and its background processes
      await expectIsolatedDatabases(cluster);

      const db = await createTestDatabase('restart', cluster);
      const before = connect(db.url);
      await before`create table kept (n int)`;
      await before`insert into kept values (42)`;
      await before.end();
      await cluster.restart();
      const after = connect(db.url);
      expect(await after`select n from kept`).toEqual([{ n: 42 }]);
      await after.end();
      pids = clusterPids(cluster.dir); // new processes since the restart
    } finally {
      await cluster.stop();
    }
    expect(existsSync(cluster.dir)).toBe(false);
    expect(pids.filter(isRunning)).toEqual([]);
    const late = connect(cluster.url);
    await expect(late`select 1`).rejects.toThrow(/ECONNREFUSED/);
    await late.end();
  });
});

describe.skipIf(!inject('pgServer'))("the run's shared PostgreSQL server", () => {
  it('gives each test file fresh, isolated databases', async () => {
    await expectIsolatedDatabases();
  });
});
