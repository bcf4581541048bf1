// Create throughput with durable commits against a bare Hono JSON POST, in one run: the server on
// SQLite (synchronous=FULL, as shipped; NORMAL for comparison) and on PostgreSQL (a throwaway
// cluster with fsync and synchronous_commit on), with its group-commit batcher as shipped and, on
// PostgreSQL, with one transaction per create (bench/lib/preload/unbatched-creates.mjs), to measure
// whether batching still pays where concurrent commits share WAL flushes. The baseline runs first
// and again last (the machine is shared); ratios are against the mean of the two. On PostgreSQL a
// floor row (bare Hono + one INSERT per request, bench/baselines/bare-hono-pg.mjs) shows what the
// database alone costs on this machine.
// Usage: node bench/create-throughput.mjs   (BENCH_DURATION seconds per row, default 10;
// BENCH_DIALECTS=sqlite|postgres for one; BENCH_PG_POOL_SIZE sets the server's DATABASE_POOL_SIZE)
import { benchDialects, freshDatabase, loadAverage, withCpu, withRatio } from './lib/dialects.mjs';
import { printTable } from './lib/stats.mjs';
import { load, summary } from './lib/load.mjs';
import { preload, startBaseline, startResolutionFlow } from './lib/servers.mjs';
import { escalationBody, seedAccounts } from './lib/setup.mjs';

const DURATION = Number(process.env.BENCH_DURATION ?? 10);
const body = JSON.stringify(escalationBody(1));

const ACCOUNTS = Number(process.env.BENCH_ACCOUNTS ?? 50);

const post = (url, authorizations) =>
  load({
    url: `${url}/v1/handoffs`,
    method: 'POST',
    headers: { 'Content-Type': 'application/json' },
    body,
    duration: DURATION,
    authorizations,
  }).then(summary);

async function baseline() {
  const server = await startBaseline('bare-hono.mjs');
  try {
    return await withCpu(server.pid, undefined, () => post(server.url));
  } finally {
    await server.stop();
  }
}

/**
 * The PostgreSQL floor: the bare Hono POST plus one INSERT per request on a fresh database of the
 * same cluster (bench/baselines/bare-hono-pg.mjs), with the server's pool size: the least durable
 * work a create can cost here, so "ours / floor" is the part of the gap that is our code's.
 */
async function floor(pg, env) {
  const db = await freshDatabase('postgres', pg, 'floor');
  try {
    const server = await startBaseline('bare-hono-pg.mjs', { DATABASE_URL: db.server.databaseUrl, ...env });
    try {
      return await withCpu(server.pid, pg, () => post(server.url));
    } finally {
      await server.stop();
    }
  } finally {
    await db.remove();
  }
}

/**
 * One row: a fresh database of `dialect` with `accounts` accounts, a fresh server on it, 50
 * connections of creates, each request as the next account's technician in turn.
 */
async function ours(dialect, pg, { credential = 'token', accounts = 1, env = {}, nodeArgs = [] } = {}) {
  const db = await freshDatabase(dialect, pg, 'creates');
  try {
    const seeded = await seedAccounts(db.seed, accounts);
    const server = await startResolutionFlow({ ...db.server, env, nodeArgs });
    try {
      const secrets = await Promise.all(
        seeded.map((account) => (credential === 'api key' ? account.apiKey : account.token('technician'))),
      );
      const authorizations = secrets.map((secret) => `Bearer ${secret}`);
      return await withCpu(server.pid, dialect === 'postgres' ? pg : undefined, () =>
        post(server.url, authorizations),
      );
    } finally {
      await server.stop();
    }
  } finally {
    await db.remove();
  }
}

export async function createThroughput() {
  const loadAtStart = loadAverage();
  const { dialects, pg, stop } = await benchDialects();
  const pgEnv = process.env.BENCH_PG_POOL_SIZE ? { DATABASE_POOL_SIZE: process.env.BENCH_PG_POOL_SIZE } : {};
  const rows = [];
  try {
    rows.push({ server: 'bare Hono JSON POST (baseline, first)', ...(await baseline()) });
    const many = `${ACCOUNTS} accounts`;
    if (dialects.includes('sqlite')) {
      const full = { SQLITE_SYNCHRONOUS: 'FULL' };
      rows.push({
        server: 'SQLite FULL, group commit, 1 account',
        ...(await ours('sqlite', pg, { env: full })),
      });
      rows.push({
        server: 'SQLite FULL, group commit, 1 account, API key',
        ...(await ours('sqlite', pg, { env: full, credential: 'api key' })),
      });
      rows.push({
        server: 'SQLite NORMAL, group commit, 1 account',
        ...(await ours('sqlite', pg, { env: { SQLITE_SYNCHRONOUS: 'NORMAL' } })),
      });
      rows.push({
        server: `SQLite FULL, group commit, ${many}`,
        ...(await ours('sqlite', pg, { env: full, accounts: ACCOUNTS })),
      });
    }
    if (dialects.includes('postgres')) {
      const unbatched = preload('unbatched-creates');
      rows.push({
        server: 'bare Hono + 1 INSERT per request (PostgreSQL floor)',
        ...(await floor(pg, pgEnv)),
      });
      rows.push({
        server: 'PostgreSQL, group commit, 1 account',
        ...(await ours('postgres', pg, { env: pgEnv })),
      });
      rows.push({
        server: 'PostgreSQL, txn per create, 1 account',
        ...(await ours('postgres', pg, { env: pgEnv, nodeArgs: unbatched })),
      });
      rows.push({
        server: `PostgreSQL, group commit, ${many}`,
        ...(await ours('postgres', pg, { env: pgEnv, accounts: ACCOUNTS })),
      });
      rows.push({
        server: `PostgreSQL, txn per create, ${many}`,
        ...(await ours('postgres', pg, { env: pgEnv, accounts: ACCOUNTS, nodeArgs: unbatched })),
      });
    }
    rows.push({ server: 'bare Hono JSON POST (baseline, last)', ...(await baseline()) });
  } finally {
    await stop();
  }
  const baselines = [rows[0], rows.at(-1)];
  printTable(
    `Create throughput (autocannon, 50 connections, ${DURATION} s each) — goal: durable ≥ 50% of baseline ` +
      `(% against the mean of the two baseline rows) — load average ${loadAtStart} at start, ${loadAverage()} at end`,
    withRatio(rows, baselines),
  );
  return rows;
}

if (import.meta.url === `file://${process.argv[1]}`) await createThroughput();
