// Create throughput with durable commits (synchronous=FULL) against a bare Hono JSON POST,
// plus synchronous=NORMAL for comparison. Usage: node bench/create-throughput.mjs
import { fmt, printTable } from './lib/stats.mjs';
import { load, summary } from './lib/load.mjs';
import { startBaseline, startResolutionFlow, tempDatabasePath } from './lib/servers.mjs';
import { escalationBody, seedAccount } from './lib/setup.mjs';

const DURATION = Number(process.env.BENCH_DURATION ?? 10);
const body = JSON.stringify(escalationBody(1));

async function ours(synchronous, credential) {
  const db = tempDatabasePath();
  const seeded = await seedAccount(db.path);
  const server = await startResolutionFlow({
    databasePath: db.path,
    env: { SQLITE_SYNCHRONOUS: synchronous },
  });
  const token = credential === 'api key' ? seeded.apiKey : await seeded.token('technician');
  const result = summary(
    await load({
      url: `${server.url}/v1/handoffs`,
      method: 'POST',
      headers: { Authorization: `Bearer ${token}`, 'Content-Type': 'application/json' },
      body,
      duration: DURATION,
    }),
  );
  await server.stop();
  db.remove();
  return result;
}

export async function createThroughput() {
  const baseline = await startBaseline('bare-hono.mjs');
  const base = summary(
    await load({
      url: `${baseline.url}/v1/handoffs`,
      method: 'POST',
      headers: { 'Content-Type': 'application/json' },
      body,
      duration: DURATION,
    }),
  );
  await baseline.stop();
  const rows = [{ server: 'bare Hono JSON POST (baseline)', ...base }];
  rows.push({ server: 'ours, synchronous=FULL, embed token', ...(await ours('FULL', 'token')) });
  rows.push({ server: 'ours, synchronous=FULL, API key', ...(await ours('FULL', 'api key')) });
  rows.push({ server: 'ours, synchronous=NORMAL, embed token', ...(await ours('NORMAL', 'token')) });
  printTable(
    `Create throughput (autocannon, 50 connections, ${DURATION} s) — goal: FULL ≥ 50% of baseline`,
    rows.map((row) => ({
      server: row.server,
      'req/s': fmt(row.rps, 0),
      '% of baseline': fmt((row.rps / base.rps) * 100, 0),
      'p50 ms': row.p50,
      'p99 ms': row.p99,
      non2xx: row.non2xx,
      errors: row.errors,
    })),
  );
  return rows;
}

if (import.meta.url === `file://${process.argv[1]}`) await createThroughput();
