// Fan-out: create → `handoff.created` received by each of N subscribers, against a raw
// node:http SSE broadcaster measured in the same run. Usage: node bench/fanout.mjs [N...]
import { cpuMsOf, percentile, fmt, printTable } from './lib/stats.mjs';
import { startBaseline, startResolutionFlow, tempDatabasePath } from './lib/servers.mjs';
import { escalationBody, seedAccount } from './lib/setup.mjs';
import { startSubscriberProcess } from './lib/subscribers.mjs';

const CREATES = Number(process.env.BENCH_CREATES ?? 100);

async function measure(url, token, subscribers, serverPid) {
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
  for (const subscribers of counts) {
    const baseline = await startBaseline('raw-sse.mjs');
    const base = await measure(baseline.url, 'unused', subscribers, baseline.pid);
    await baseline.stop();

    const db = tempDatabasePath();
    const seeded = await seedAccount(db.path);
    const server = await startResolutionFlow({ databasePath: db.path });
    const ours = await measure(server.url, await seeded.token('engineer'), subscribers, server.pid);
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
