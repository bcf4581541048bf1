// Queue list: first page of 1,000 open handoffs against a bare Hono JSON GET of the same page.
import { CreateHandoffRequestSchema } from '../packages/types/dist/index.js';
import { openDatabase } from '../packages/server/dist/index.js';
import { createHandoff } from '../packages/server/dist/domain/handoffs.js';
import { fmt, printTable } from './lib/stats.mjs';
import { load, summary } from './lib/load.mjs';
import { startBaseline, startResolutionFlow, tempDatabasePath } from './lib/servers.mjs';
import { escalationBody, seedAccount } from './lib/setup.mjs';

const DURATION = Number(process.env.BENCH_DURATION ?? 10);

export async function queueList() {
  const db = tempDatabasePath();
  const seeded = await seedAccount(db.path);
  const database = openDatabase(db.path);
  database.write(() => {
    for (let n = 0; n < 1000; n++) {
      const input = CreateHandoffRequestSchema.parse(escalationBody(n));
      createHandoff(
        database,
        seeded.accountId,
        { id: 'alex', name: 'Alex' },
        input,
        { status: 'disabled' },
        Date.now() - n * 1000,
      );
    }
  });
  database.close();

  const baseline = await startBaseline('bare-hono.mjs');
  const base = summary(await load({ url: `${baseline.url}/v1/handoffs`, duration: DURATION }));
  await baseline.stop();

  const server = await startResolutionFlow({ databasePath: db.path });
  const token = await seeded.token('engineer');
  const ours = summary(
    await load({
      url: `${server.url}/v1/handoffs?status=open&limit=50`,
      headers: { Authorization: `Bearer ${token}` },
      duration: DURATION,
    }),
  );
  await server.stop();
  db.remove();

  const rows = [
    { server: 'bare Hono JSON GET, same 50-item page (baseline)', ...base },
    { server: 'ours: GET /v1/handoffs?status=open&limit=50 of 1,000 open', ...ours },
  ].map((row) => ({
    server: row.server,
    'req/s': fmt(row.rps, 0),
    '% of baseline': fmt((row.rps / base.rps) * 100, 0),
    'p50 ms': row.p50,
    'p99 ms': row.p99,
    non2xx: row.non2xx,
  }));
  printTable(`Queue list (autocannon, 50 connections, ${DURATION} s) — goal ≥ 50% of baseline`, rows);
  return rows;
}

if (import.meta.url === `file://${process.argv[1]}`) await queueList();
