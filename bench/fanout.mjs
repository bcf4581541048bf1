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
 * Holds `subscribers` SSE clients on `url`, then creates BENCH_CREATES escalations one after
 * another: delivery latencies (p50, p99) and CPU per create of the server and the client process.
 */
export async function measure(side, url, token, subscribers, serverPid) {
  const client = startSubscriberProcess();
  try {
    const { connected, failed } = await client.connect(url, token, subscribers);
    if (failed > 0) throw new Error(`${failed} subscribers failed to connect`);
    // Warm-up, not counted.
    for (let n = 0; n < 5; n++) await client.create(url, token, escalationBody(n));
    const all = [];
    let missing = 0;
    const cpuBefore = { server: cpuMsOf(serverPid), client: cpuMsOf(client.pid) };
    for (let n = 0; n < CREATES; n++) {
      const result = await client.create(url, token, escalationBody(n));
      all.push(...result.latencies);
      missing += result.missing;
      trace(side, subscribers, n, result);
    }
    // CPU per create: the server's to encode and write to every subscriber (and the create itself),
    // the client process's to read every subscriber's socket, each including its GC and helper
    // threads. An approximation of what each side must do per event, not a critical path.
    const serverCpu = (cpuMsOf(serverPid) - cpuBefore.server) / CREATES;
    const clientCpu = (cpuMsOf(client.pid) - cpuBefore.client) / CREATES;
    return { connected, missing, p50: percentile(all, 50), p99: percentile(all, 99), serverCpu, clientCpu };
  } finally {
    await client.close();
  }
}

export async function fanout(counts = [1000, 5000]) {
  const rows = [];
  console.log(
    `Load average at start: ${loadavg()
      .map((n) => n.toFixed(2))
      .join(' ')}`,
  );
  for (const subscribers of counts) {
    const baseline = await startBaseline('raw-sse.mjs');
    const base = await measure('raw', baseline.url, 'unused', subscribers, baseline.pid);
    await baseline.stop();

    const db = tempDatabasePath();
    const seeded = await seedAccount(db.path);
    const nodeArgs = PROFILE_DIR ? ['--cpu-prof', `--cpu-prof-dir=${PROFILE_DIR}`] : [];
    const server = await startResolutionFlow({ databasePath: db.path, nodeArgs });
    const ours = await measure('ours', server.url, await seeded.token('engineer'), subscribers, server.pid);
    await server.stop();
    db.remove();

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
  printTable('Fan-out: create → event at every subscriber', rows);
  return rows;
}

if (import.meta.url === `file://${process.argv[1]}`) {
  const counts = process.argv.slice(2).map(Number).filter(Boolean);
  await fanout(counts.length ? counts : undefined);
}
