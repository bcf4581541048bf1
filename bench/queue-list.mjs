// Queue list: first page of 1,000 open handoffs against a bare Hono JSON GET of the same page, in
// one run: the server on SQLite and on PostgreSQL (a durable throwaway cluster), each with its
// per-account page cache as shipped and with the cache bypassed
// (bench/lib/preload/uncached-queue.mjs), which is what every first read after a change costs. The
// baseline runs first and again last (the machine is shared); ratios are against their mean.
// Usage: node bench/queue-list.mjs   (BENCH_DURATION seconds per row, default 10;
// BENCH_DIALECTS=sqlite|postgres for one)
import { CreateHandoffRequestSchema } from '../packages/types/dist/index.js';
import { openDatabase } from '../packages/server/dist/index.js';
import { appendEvents } from '../packages/server/dist/domain/events.js';
import { insertHandoff } from '../packages/server/dist/domain/handoffs.js';
import { benchDialects, freshDatabase, loadAverage, withCpu, withRatio } from './lib/dialects.mjs';
import { printTable } from './lib/stats.mjs';
import { load, summary } from './lib/load.mjs';
import { preload, startBaseline, startResolutionFlow } from './lib/servers.mjs';
import { databaseTarget, escalationBody, seedAccount } from './lib/setup.mjs';

const DURATION = Number(process.env.BENCH_DURATION ?? 10);
const OPEN = 1000;

/** 1,000 open handoffs of the account, written in one transaction, their events numbered last. */
async function seedQueue(seed, accountId) {
  const database = await openDatabase(databaseTarget(seed, { synchronous: 'NORMAL' }));
  try {
    await database.write(async (tx) => {
      const events = [];
      for (let n = 0; n < OPEN; n++) {
        const request = {
          accountId,
          actor: { id: 'alex', name: 'Alex' },
          input: CreateHandoffRequestSchema.parse(escalationBody(n)),
          initialAssessment: { status: 'disabled' },
          now: Date.now() - n * 1000,
          notify: false,
        };
        events.push((await insertHandoff(database, tx, request)).event);
      }
      await appendEvents(tx.hot, accountId, events);
    });
  } finally {
    await database.close();
  }
}

async function baseline() {
  const server = await startBaseline('bare-hono.mjs');
  try {
    return await withCpu(server.pid, undefined, async () =>
      summary(await load({ url: `${server.url}/v1/handoffs`, duration: DURATION })),
    );
  } finally {
    await server.stop();
  }
}

/** Two rows on one seeded database of `dialect`: the page cache as shipped, then bypassed. */
async function ours(dialect, pg) {
  const db = await freshDatabase(dialect, pg, 'queue');
  try {
    const seeded = await seedAccount(db.seed);
    await seedQueue(db.seed, seeded.accountId);
    const token = await seeded.token('engineer');
    const rows = [];
    for (const [cache, nodeArgs] of [
      ['page cache', []],
      ['no page cache', preload('uncached-queue')],
    ]) {
      const server = await startResolutionFlow({ ...db.server, nodeArgs });
      try {
        const result = await withCpu(server.pid, dialect === 'postgres' ? pg : undefined, async () =>
          summary(
            await load({
              url: `${server.url}/v1/handoffs?status=open&limit=50`,
              headers: { Authorization: `Bearer ${token}` },
              duration: DURATION,
            }),
          ),
        );
        const name = dialect === 'sqlite' ? 'SQLite' : 'PostgreSQL';
        rows.push({ server: `${name}, ${cache}: GET ?status=open&limit=50 of ${OPEN} open`, ...result });
      } finally {
        await server.stop();
      }
    }
    return rows;
  } finally {
    await db.remove();
  }
}

export async function queueList() {
  const loadAtStart = loadAverage();
  const { dialects, pg, stop } = await benchDialects();
  const rows = [];
  try {
    rows.push({ server: 'bare Hono JSON GET, same 50-item page (baseline, first)', ...(await baseline()) });
    for (const dialect of dialects) rows.push(...(await ours(dialect, pg)));
    rows.push({ server: 'bare Hono JSON GET, same 50-item page (baseline, last)', ...(await baseline()) });
  } finally {
    await stop();
  }
  printTable(
    `Queue list (autocannon, 50 connections, ${DURATION} s each) — goal ≥ 50% of baseline ` +
      `(% against the mean of the two baseline rows) — load average ${loadAtStart} at start, ${loadAverage()} at end`,
    withRatio(rows, [rows[0], rows.at(-1)]),
  );
  return rows;
}

if (import.meta.url === `file://${process.argv[1]}`) await queueList();
