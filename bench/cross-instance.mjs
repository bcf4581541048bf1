// N instances on one PostgreSQL (DESIGN §10): what the cross-instance bus costs and how fast it is,
// each against its baseline in the same run, on a durable throwaway cluster (bench/lib/postgres.mjs),
// every server a child process on 127.0.0.1 (bench/lib/servers.mjs).
// (a) Latency: creates on instance A, paced at BENCH_RATE a second, read by a stream on instance B
//     and, as the baseline, by a stream on A itself; the same creates, so both see the same load.
//     From the POST sent to the event read. Goal: B's p50 ≤ 20 ms, p99 ≤ 100 ms.
// (b) NOTIFY guard: 32 connections of creates over two instances, with the bus (one NOTIFY per tick
//     after commit) and without it (BUS_LISTEN=false: no LISTEN, no NOTIFY), in the order off/on/on/off.
//     Goal: with ≥ 80% of without.
// (c) Fan-out: BENCH_FANOUT subscribers over three instances next to the same number on one, the
//     creates on the first instance, the two sides taking turns.
// Usage: node bench/cross-instance.mjs [latency|guard|fanout …]   (BENCH_SAMPLES 1,000, BENCH_RATE
// 50, BENCH_DURATION 10 s per guard row, BENCH_ACCOUNTS 50, BENCH_FANOUT 1,000, BENCH_CREATES 100)
import { load, summary } from './lib/load.mjs';
import { loadAverage } from './lib/dialects.mjs';
import { openEventStream } from './lib/event-stream.mjs';
import { startBenchPostgres } from './lib/postgres.mjs';
import { startResolutionFlow } from './lib/servers.mjs';
import { escalationBody, seedAccounts } from './lib/setup.mjs';
import { cpuMsOf, fmt, pace, percentile, printTable } from './lib/stats.mjs';
import { startSubscriberProcess } from './lib/subscribers.mjs';

const SAMPLES = Number(process.env.BENCH_SAMPLES ?? 1000);
const RATE = Number(process.env.BENCH_RATE ?? 50);
const DURATION = Number(process.env.BENCH_DURATION ?? 10);
const ACCOUNTS = Number(process.env.BENCH_ACCOUNTS ?? 50);
const FANOUT = Number(process.env.BENCH_FANOUT ?? 1000);
const CREATES = Number(process.env.BENCH_CREATES ?? 100);
const WARMUP = 20;
/** How long after the last create an event may still arrive before it counts as missing. */
const GRACE_MS = 5000;

/** `count` servers on one fresh database with `accounts` seeded accounts; stop() drops it all. */
async function instances(pg, label, count, { accounts = 1, env = {} } = {}) {
  const db = await pg.database(label);
  const seeded = await seedAccounts({ url: db.url }, accounts);
  const servers = [];
  try {
    for (let n = 0; n < count; n++) {
      const instance = `${label}-${String.fromCharCode(97 + n)}`;
      servers.push(
        await startResolutionFlow({ databaseUrl: db.url, env: { INSTANCE_ID: instance, ...env } }),
      );
    }
  } catch (error) {
    await Promise.all(servers.map((server) => server.stop()));
    await db.drop();
    throw error;
  }
  const stop = async () => {
    await Promise.all(servers.map((server) => server.stop()));
    await db.drop();
  };
  return { servers, seeded, stop };
}

const post = (url, token, body) =>
  fetch(`${url}/v1/handoffs`, {
    method: 'POST',
    headers: { Authorization: `Bearer ${token}`, 'Content-Type': 'application/json' },
    body: JSON.stringify(body),
  });

/** (a) Creates on A at RATE/s, read on B and on A: the delay from the POST sent to each event read. */
async function latency(pg) {
  const cluster = await instances(pg, 'latency', 2);
  const [a, b] = cluster.servers;
  const [account] = cluster.seeded;
  const sentAt = new Map();
  const arrived = { A: new Map(), B: new Map() };
  const answeredAt = new Map();
  const streams = [];
  try {
    const reader = await account.token('engineer', 'bench-reader');
    for (const [side, server] of [
      ['A', a],
      ['B', b],
    ]) {
      const onEvent = (type, data) => {
        const n = Number(/\((\d+)\)$/.exec(data.handoff?.title ?? '')?.[1]);
        if (type === 'handoff.created' && sentAt.has(n)) arrived[side].set(n, performance.now());
      };
      streams.push(await openEventStream(server.url, reader, onEvent));
    }
    const writer = await account.token('technician', 'bench-writer');
    const inFlight = [];
    const started = performance.now();
    for (let n = 0; n < WARMUP + SAMPLES; n++) {
      await pace(started + (n * 1000) / RATE - performance.now());
      sentAt.set(n, performance.now());
      const sent = post(a.url, writer, escalationBody(n)).then(async (response) => {
        if (response.status !== 201) throw new Error(`create answered ${response.status}`);
        await response.arrayBuffer();
        answeredAt.set(n, performance.now());
      });
      inFlight.push(sent);
    }
    await Promise.all(inFlight);
    const deadline = performance.now() + GRACE_MS;
    while (performance.now() < deadline && (arrived.A.size < sentAt.size || arrived.B.size < sentAt.size))
      await pace(20);
  } finally {
    streams.forEach((stream) => stream.close());
    await cluster.stop();
  }
  const delays = (side) =>
    [...arrived[side]].filter(([n]) => n >= WARMUP).map(([n, at]) => at - sentAt.get(n));
  const row = (what, values) => ({
    stream: what,
    samples: values.length,
    missing: SAMPLES - values.length,
    'p50 ms': fmt(percentile(values, 50)),
    'p99 ms': fmt(percentile(values, 99)),
    'max ms': fmt(Math.max(...values)),
  });
  // Per create, B's read against another moment of the same create: A's read (what crossing
  // instances adds: NOTIFY, listener, B's read of the table) and the 201 (after the acknowledgement).
  const against = (other) =>
    [...arrived.B].filter(([n]) => n >= WARMUP && other.has(n)).map(([n, at]) => at - other.get(n));
  return [
    row('create on A, stream on B (cross-instance)', delays('B')),
    row('create on A, stream on A (same instance, baseline)', delays('A')),
    row('B minus A, per create', against(arrived.A)),
    row('B minus the 201 on A, per create', against(answeredAt)),
    row(
      '(the 201 on A)',
      [...answeredAt].filter(([n]) => n >= WARMUP).map(([n, at]) => at - sentAt.get(n)),
    ),
  ];
}

/** (b) One guard row: 32 connections of creates, 16 to each of two instances, ACCOUNTS accounts in turn. */
async function guardRow(pg, bus) {
  const cluster = await instances(pg, `guard-${bus}`, 2, {
    accounts: ACCOUNTS,
    env: { BUS_LISTEN: bus === 'on' ? 'true' : 'false' },
  });
  try {
    const tokens = await Promise.all(cluster.seeded.map((account) => account.token('technician')));
    const authorizations = tokens.map((token) => `Bearer ${token}`);
    const body = JSON.stringify(escalationBody(1));
    // CPU per create moves far less than creates/s on a shared machine: both servers', and PostgreSQL's.
    const serversCpu = () => cluster.servers.reduce((sum, server) => sum + cpuMsOf(server.pid), 0);
    const cpuBefore = { servers: serversCpu(), pg: pg.cpuMs() };
    const runs = await Promise.all(
      cluster.servers.map((server) =>
        load({
          url: `${server.url}/v1/handoffs`,
          method: 'POST',
          headers: { 'Content-Type': 'application/json' },
          body,
          connections: 16,
          duration: DURATION,
          authorizations,
        }).then(summary),
      ),
    );
    const responses = runs.reduce((sum, run) => sum + run.responses, 0);
    return {
      bus,
      serverCpuMs: (serversCpu() - cpuBefore.servers) / responses,
      pgCpuMs: (pg.cpuMs() - cpuBefore.pg) / responses,
      rps: runs.reduce((sum, run) => sum + run.rps, 0),
      p50: Math.max(...runs.map((run) => run.p50)),
      p99: Math.max(...runs.map((run) => run.p99)),
      non2xx: runs.reduce((sum, run) => sum + run.non2xx, 0),
      errors: runs.reduce((sum, run) => sum + run.errors, 0),
      load: loadAverage().split(' ')[0],
    };
  } finally {
    await cluster.stop();
  }
}

/** (b) Bus off and on (off, on, on, off), each share against the mean of the "off" rows. */
async function guard(pg) {
  const rows = [];
  // off, on, on, off: a load that drifts during the run falls on both alike.
  for (const bus of ['off', 'on', 'on', 'off']) rows.push(await guardRow(pg, bus));
  const mean = (bus) => {
    const picked = rows.filter((row) => row.bus === bus);
    return picked.reduce((sum, row) => sum + row.rps, 0) / picked.length;
  };
  const off = mean('off');
  const table = rows.map((row) => ({
    bus: row.bus === 'on' ? 'on (NOTIFY after commit)' : 'off (BUS_LISTEN=false)',
    'creates/s': fmt(row.rps, 0),
    '% of off': fmt((row.rps / off) * 100, 0),
    'p50 ms (worse instance)': row.p50,
    'p99 ms (worse instance)': row.p99,
    'CPU ms/create: servers / PG': `${fmt(row.serverCpuMs, 2)} / ${fmt(row.pgCpuMs, 2)}`,
    non2xx: row.non2xx,
    errors: row.errors,
    'load after': row.load,
  }));
  const blank = Object.fromEntries(Object.keys(table[0]).map((key) => [key, '']));
  table.push({ ...blank, bus: 'on / off (means)', '% of off': fmt((mean('on') / off) * 100, 0) });
  return table;
}

/** (c) FANOUT subscribers over three instances next to FANOUT on one; the sides take turns. */
async function fanout(pg) {
  const spread = await instances(pg, 'fanout3', 3);
  const single = await instances(pg, 'fanout1', 1);
  const sides = [
    { name: `${FANOUT} over 3 instances`, deployment: spread, client: startSubscriberProcess() },
    { name: `${FANOUT} on 1 instance`, deployment: single, client: startSubscriberProcess() },
  ];
  try {
    for (const side of sides) {
      const [account] = side.deployment.seeded;
      side.token = await account.token('engineer');
      const servers = side.deployment.servers;
      for (const [i, server] of servers.entries()) {
        const count = Math.floor(FANOUT / servers.length) + (i < FANOUT % servers.length ? 1 : 0);
        const { failed } = await side.client.connect(server.url, side.token, count);
        if (failed > 0) throw new Error(`${failed} subscribers failed to connect to ${side.name}`);
      }
      side.url = servers[0].url;
      side.all = [];
      side.missing = 0;
      for (let n = 0; n < 5; n++) await side.client.create(side.url, side.token, escalationBody(n));
    }
    for (let n = 0; n < CREATES; n++) {
      for (const side of n % 2 ? [...sides].reverse() : sides) {
        const result = await side.client.create(side.url, side.token, escalationBody(n));
        side.all.push(...result.latencies);
        side.missing += result.missing;
      }
    }
  } finally {
    await Promise.all(sides.map((side) => side.client.close()));
    await Promise.all([spread.stop(), single.stop()]);
  }
  return sides.map((side) => ({
    subscribers: side.name,
    creates: CREATES,
    'p50 ms': fmt(percentile(side.all, 50)),
    'p99 ms': fmt(percentile(side.all, 99)),
    missing: side.missing,
  }));
}

const PARTS = { latency, guard, fanout };

export async function crossInstance(names = Object.keys(PARTS)) {
  const pg = await startBenchPostgres();
  console.log(await pg.describe());
  try {
    for (const name of names) {
      const before = loadAverage();
      const rows = await PARTS[name](pg);
      const title = {
        latency: `Cross-instance latency: ${SAMPLES} creates at ${RATE}/s on A, POST sent → event read — goal on B: p50 ≤ 20 ms, p99 ≤ 100 ms`,
        guard: `NOTIFY guard: creates, 32 connections over 2 instances, ${ACCOUNTS} accounts, ${DURATION} s a row — goal: bus on ≥ 80% of off`,
        fanout: `Fan-out across instances: create → handoff.created at every subscriber (PostgreSQL, bus on)`,
      }[name];
      printTable(`${title} — load average ${before} before, ${loadAverage()} after`, rows);
    }
  } finally {
    await pg.stop();
  }
}

if (import.meta.url === `file://${process.argv[1]}`) {
  const names = process.argv.slice(2);
  const unknown = names.filter((name) => !(name in PARTS));
  if (unknown.length) throw new Error(`unknown part(s): ${unknown.join(', ')} (latency, guard, fanout)`);
  await crossInstance(names.length ? names : undefined);
}
