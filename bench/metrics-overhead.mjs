// The cost of measuring: the same server with /metrics on (METRICS_TOKEN set, every series
// recorded) and off (the no-op recorder), both up at once on fresh databases, their work taken in
// turn so that background load on a shared machine falls on both alike. Fan-out CPU per create at
// N subscribers (creates alternating between the two), and create throughput (autocannon bursts
// alternating between the two). Usage: node bench/metrics-overhead.mjs [subscribers]
// (default 1000; BENCH_ROUNDS rounds, default 2, each with fresh servers; BENCH_DURATION seconds
// of autocannon per server and round, default 10, in bursts of 2 s)
import { loadavg } from 'node:os';
import { measureSides } from './fanout.mjs';
import { load, summary } from './lib/load.mjs';
import { startResolutionFlow, tempDatabasePath } from './lib/servers.mjs';
import { escalationBody, seedAccount } from './lib/setup.mjs';
import { fmt, printTable } from './lib/stats.mjs';

const ROUNDS = Number(process.env.BENCH_ROUNDS ?? 2);
const DURATION = Number(process.env.BENCH_DURATION ?? 10);
const BURST = 2;
const TOKEN = 'bench-metrics-token-0123456789';
const MODES = { off: {}, on: { METRICS_TOKEN: TOKEN } };

/** A fresh server and database in one mode, with a token of its account. */
async function start(mode, role) {
  const db = tempDatabasePath();
  const seeded = await seedAccount(db.path);
  const server = await startResolutionFlow({ databasePath: db.path, env: MODES[mode] });
  return {
    name: mode,
    url: server.url,
    pid: server.pid,
    token: await seeded.token(role),
    stop: () => server.stop().then(db.remove),
  };
}

/** rf_events_delivered_total from a scrape: proof that the "on" server really recorded. */
async function deliveredCount(url) {
  const response = await fetch(`${url}/metrics`, { headers: { Authorization: `Bearer ${TOKEN}` } });
  return Number(/^rf_events_delivered_total (\S+)$/m.exec(await response.text())?.[1]);
}

async function fanoutRound(subscribers) {
  const sides = [await start('off', 'engineer'), await start('on', 'engineer')];
  try {
    const [off, on] = await measureSides(sides, subscribers);
    return { off, on, delivered: await deliveredCount(sides[1].url) };
  } finally {
    await Promise.all(sides.map((side) => side.stop()));
  }
}

async function throughputRound(round) {
  const sides = [await start('off', 'technician'), await start('on', 'technician')];
  const requests = { off: 0, on: 0 };
  const body = JSON.stringify(escalationBody(1));
  try {
    for (let burst = 0; burst < DURATION / BURST; burst++) {
      const order = (burst + round) % 2 ? [...sides].reverse() : sides;
      for (const side of order) {
        const result = summary(
          await load({
            url: `${side.url}/v1/handoffs`,
            method: 'POST',
            headers: { Authorization: `Bearer ${side.token}`, 'Content-Type': 'application/json' },
            body,
            duration: BURST,
          }),
        );
        if (result.non2xx || result.errors) throw new Error(`${side.name}: ${result.non2xx} non-2xx`);
        requests[side.name] += result.rps * BURST;
      }
    }
    return { off: requests.off / DURATION, on: requests.on / DURATION };
  } finally {
    await Promise.all(sides.map((side) => side.stop()));
  }
}

const change = (on, off) => `${fmt((on / off - 1) * 100, 1)}%`;

export async function metricsOverhead(subscribers = 1000) {
  console.log(
    `Load average at start: ${loadavg()
      .map((n) => n.toFixed(2))
      .join(' ')}`,
  );
  const rows = [];
  for (let round = 1; round <= ROUNDS; round++) {
    const fan = await fanoutRound(subscribers);
    const put = await throughputRound(round);
    rows.push({
      round,
      'fan-out CPU ms per create off / on': `${fmt(fan.off.serverCpu, 2)} / ${fmt(fan.on.serverCpu, 2)}`,
      'CPU on vs off': change(fan.on.serverCpu, fan.off.serverCpu),
      'fan-out p99 ms off / on': `${fmt(fan.off.p99)} / ${fmt(fan.on.p99)}`,
      'delivered (scraped on)': fan.delivered,
      'creates req/s off / on': `${fmt(put.off, 0)} / ${fmt(put.on, 0)}`,
      'req/s on vs off': change(put.on, put.off),
      'load after': fmt(loadavg()[0], 2),
    });
  }
  printTable(
    `Metrics on vs off, both servers up at once: fan-out to ${subscribers} subscribers (creates in turn), ` +
      `create throughput (50 connections, ${BURST} s bursts in turn, ${DURATION} s each) — goal: within 3%`,
    rows,
  );
  return rows;
}

if (import.meta.url === `file://${process.argv[1]}`) {
  const subscribers = Number(process.argv[2]) || undefined;
  await metricsOverhead(subscribers);
}
