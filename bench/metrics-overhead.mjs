// The cost of measuring: the same server with /metrics on (METRICS_TOKEN set, every series
// recorded) and off (the no-op recorder), alternated in one run so that background load falls
// on both alike. Fan-out CPU per create at N subscribers, and create throughput (autocannon).
// Usage: node bench/metrics-overhead.mjs [subscribers]   (default 1000; BENCH_ROUNDS, default 2)
import { loadavg } from 'node:os';
import { measure } from './fanout.mjs';
import { load, summary } from './lib/load.mjs';
import { startResolutionFlow, tempDatabasePath } from './lib/servers.mjs';
import { escalationBody, seedAccount } from './lib/setup.mjs';
import { fmt, printTable } from './lib/stats.mjs';

const ROUNDS = Number(process.env.BENCH_ROUNDS ?? 2);
const DURATION = Number(process.env.BENCH_DURATION ?? 10);
const TOKEN = 'bench-metrics-token-0123456789';
const MODES = { off: {}, on: { METRICS_TOKEN: TOKEN } };

/** A fresh server and database in one mode; `run` gets the server and the seeded account. */
async function withServer(mode, run) {
  const db = tempDatabasePath();
  const seeded = await seedAccount(db.path);
  const server = await startResolutionFlow({ databasePath: db.path, env: MODES[mode] });
  try {
    const result = await run(server, seeded);
    if (mode === 'on') result.scraped = await deliveredCount(server.url);
    return result;
  } finally {
    await server.stop();
    db.remove();
  }
}

/** rf_events_delivered_total from a scrape: proof that the "on" server really recorded. */
async function deliveredCount(url) {
  const response = await fetch(`${url}/metrics`, { headers: { Authorization: `Bearer ${TOKEN}` } });
  const text = await response.text();
  return Number(/^rf_events_delivered_total (\S+)$/m.exec(text)?.[1]);
}

const fanoutRun = (subscribers) => (server, seeded) =>
  seeded.token('engineer').then((token) => measure('ours', server.url, token, subscribers, server.pid));

async function throughputRun(server, seeded) {
  const token = await seeded.token('technician');
  return summary(
    await load({
      url: `${server.url}/v1/handoffs`,
      method: 'POST',
      headers: { Authorization: `Bearer ${token}`, 'Content-Type': 'application/json' },
      body: JSON.stringify(escalationBody(1)),
      duration: DURATION,
    }),
  );
}

const mean = (values) => values.reduce((sum, value) => sum + value, 0) / values.length;

export async function metricsOverhead(subscribers = 1000) {
  console.log(
    `Load average at start: ${loadavg()
      .map((n) => n.toFixed(2))
      .join(' ')}`,
  );
  const rows = [];
  for (let round = 1; round <= ROUNDS; round++) {
    // Alternate which mode goes first, so neither always runs on the warmer (or busier) machine.
    for (const mode of round % 2 ? ['off', 'on'] : ['on', 'off']) {
      const fan = await withServer(mode, fanoutRun(subscribers));
      const put = await withServer(mode, throughputRun);
      rows.push({ round, mode, fan, put, load: loadavg()[0] });
    }
  }
  const side = (mode) => rows.filter((row) => row.mode === mode);
  const cpu = (mode) => mean(side(mode).map((row) => row.fan.serverCpu));
  const rps = (mode) => mean(side(mode).map((row) => row.put.rps));
  printTable(
    `Metrics on vs off: fan-out to ${subscribers} subscribers, create throughput (50 connections, ${DURATION} s)`,
    rows.map((row) => ({
      round: row.round,
      metrics: row.mode,
      'fan-out server CPU ms per create': fmt(row.fan.serverCpu, 2),
      'fan-out p50 / p99 ms': `${fmt(row.fan.p50)} / ${fmt(row.fan.p99)}`,
      'creates req/s': fmt(row.put.rps, 0),
      'create p99 ms': row.put.p99,
      'delivered (scraped)': row.fan.scraped ?? '—',
      'load after': fmt(row.load, 2),
    })),
  );
  const summaryRows = [
    {
      measure: 'fan-out server CPU ms per create (mean)',
      off: fmt(cpu('off'), 2),
      on: fmt(cpu('on'), 2),
      'on vs off': `${fmt((cpu('on') / cpu('off') - 1) * 100, 1)}%`,
      goal: '≤ 3%',
    },
    {
      measure: 'create throughput req/s (mean)',
      off: fmt(rps('off'), 0),
      on: fmt(rps('on'), 0),
      'on vs off': `${fmt((rps('on') / rps('off') - 1) * 100, 1)}%`,
      goal: '≥ −3%',
    },
  ];
  printTable('Metrics overhead', summaryRows);
  return summaryRows;
}

if (import.meta.url === `file://${process.argv[1]}`) {
  const subscribers = Number(process.argv[2]) || undefined;
  await metricsOverhead(subscribers);
}
