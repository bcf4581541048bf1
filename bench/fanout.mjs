// Fan-out: create → `handoff.created` received by each of N subscribers, against a raw
// node:http SSE broadcaster measured in the same run. Usage: node bench/fanout.mjs [N...]
import { appendFileSync } from 'node:fs';
import { loadavg } from 'node:os';
import { cpuMsOf, percentile, fmt, printTable } from './lib/stats.mjs';
import { startBaseline, startResolutionFlow, tempDatabasePath } from './lib/servers.mjs';
import { escalationBody, seedAccount } from './lib/setup.mjs';
import { startSubscriberProcess } from './lib/subscribers.mjs';

const CREATES = Number(process.env.BENCH_CREATES ?? 100);
/** A file to append one JSON line per create to (when the 201 came, first/median/last delivery). */
const TRACE = process.env.BENCH_TRACE;
/** Take the raw baseline's and our creates in turn, both servers up at once (see measureSides). */
const INTERLEAVE = process.env.BENCH_INTERLEAVE === '1';
/** A folder for a V8 CPU profile of our server (`--cpu-prof`), written when it stops. */
const PROFILE_DIR = process.env.BENCH_PROFILE_DIR;

function trace(side, subscribers, n, result) {
  if (!TRACE) return;
  const sorted = [...result.latencies].sort((a, b) => a - b);
  const line = { side, subscribers, n, answered: result.answered, first: sorted[0] };
  Object.assign(line, { p50: percentile(sorted, 50), last: sorted[sorted.length - 1] });
  appendFileSync(TRACE, `${JSON.stringify(line)}\n`);
}

/**
 * Holds `subscribers` SSE clients on each side's server (each side's in a client process of its
 * own), then creates BENCH_CREATES escalations one after another, taking the sides in turn (who
 * goes first alternates), so that background load on a shared machine falls on every side alike.
 * Per side: delivery latencies (p50, p99) and CPU per create of its server and its client process.
 */
export async function measureSides(sides, subscribers) {
  const clients = [];
  try {
    for (const side of sides) {
      const client = startSubscriberProcess();
      clients.push(client);
      const { failed } = await client.connect(side.url, side.token, subscribers);
      if (failed > 0) throw new Error(`${failed} subscribers failed to connect to ${side.name}`);
      // Warm-up, not counted.
      for (let n = 0; n < 5; n++) await client.create(side.url, side.token, escalationBody(n));
    }
    const results = sides.map((side, i) => ({
      all: [],
      missing: 0,
      cpuBefore: { server: cpuMsOf(side.pid), client: cpuMsOf(clients[i].pid) },
    }));
    for (let n = 0; n < CREATES; n++) {
      for (let turn = 0; turn < sides.length; turn++) {
        const i = n % 2 ? sides.length - 1 - turn : turn;
        const result = await clients[i].create(sides[i].url, sides[i].token, escalationBody(n));
        results[i].all.push(...result.latencies);
        results[i].missing += result.missing;
        trace(sides[i].name, subscribers, n, result);
      }
    }
    // CPU per create: the server's to encode and write to every subscriber (and the create itself),
    // the client process's to read every subscriber's socket, each including its GC and helper
    // threads. An approximation of what each side must do per event, not a critical path.
    return results.map(({ all, missing, cpuBefore }, i) => ({
      missing,
      p50: percentile(all, 50),
      p99: percentile(all, 99),
      serverCpu: (cpuMsOf(sides[i].pid) - cpuBefore.server) / CREATES,
      clientCpu: (cpuMsOf(clients[i].pid) - cpuBefore.client) / CREATES,
    }));
  } finally {
    await Promise.all(clients.map((client) => client.close()));
  }
}

/** {@link measureSides} for one server alone. */
export async function measure(side, url, token, subscribers, serverPid) {
  const [result] = await measureSides([{ name: side, url, token, pid: serverPid }], subscribers);
  return result;
}

/** Our server on a fresh database (profiled when BENCH_PROFILE_DIR is set), and its token. */
async function startOurs() {
  const db = tempDatabasePath();
  const seeded = await seedAccount(db.path);
  const nodeArgs = PROFILE_DIR ? ['--cpu-prof', `--cpu-prof-dir=${PROFILE_DIR}`] : [];
  const server = await startResolutionFlow({ databasePath: db.path, nodeArgs });
  const token = await seeded.token('engineer');
  return { ...server, token, stop: () => server.stop().then(db.remove) };
}

export async function fanout(counts = [1000, 5000]) {
  const rows = [];
  console.log(
    `Load average at start: ${loadavg()
      .map((n) => n.toFixed(2))
      .join(' ')}`,
  );
  for (const subscribers of counts) {
    let base;
    let ours;
    if (INTERLEAVE) {
      const baseline = await startBaseline('raw-sse.mjs');
      const server = await startOurs();
      const sides = [
        { name: 'raw', url: baseline.url, token: 'unused', pid: baseline.pid },
        { name: 'ours', url: server.url, token: server.token, pid: server.pid },
      ];
      [base, ours] = await measureSides(sides, subscribers);
      await Promise.all([baseline.stop(), server.stop()]);
    } else {
      const baseline = await startBaseline('raw-sse.mjs');
      base = await measure('raw', baseline.url, 'unused', subscribers, baseline.pid);
      await baseline.stop();
      const server = await startOurs();
      ours = await measure('ours', server.url, server.token, subscribers, server.pid);
      await server.stop();
    }

    rows.push({
      subscribers,
      creates: CREATES,
      'raw p50 ms': fmt(base.p50),
      'raw p99 ms': fmt(base.p99),
      'ours p50 ms': fmt(ours.p50),
      'ours p99 ms': fmt(ours.p99),
      'p99 ratio': fmt(ours.p99 / base.p99, 2),
      'CPU ms per create: raw server / ours / client': `${fmt(base.serverCpu)} / ${fmt(ours.serverCpu)} / ${fmt(ours.clientCpu)}`,
      missing: ours.missing,
      'load after': loadavg()[0].toFixed(2),
      goal: 'p99 ≤ 50 ms at 5,000; ratio ≤ 1.5',
    });
  }
  printTable(
    `Fan-out: create → event at every subscriber${INTERLEAVE ? ' (creates interleaved)' : ''}`,
    rows,
  );
  return rows;
}

if (import.meta.url === `file://${process.argv[1]}`) {
  const counts = process.argv.slice(2).map(Number).filter(Boolean);
  await fanout(counts.length ? counts : undefined);
}
