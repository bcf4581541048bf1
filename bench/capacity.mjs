// Capacity: N concurrent subscribers held open (default 10,000); server RSS per connection,
// and every subscriber receives one broadcast.
import { fmt, printTable, rssOf } from './lib/stats.mjs';
import { startResolutionFlow, tempDatabasePath } from './lib/servers.mjs';
import { escalationBody, seedAccount } from './lib/setup.mjs';
import { startSubscriberProcess } from './lib/subscribers.mjs';

export async function capacity(count = Number(process.env.BENCH_SUBSCRIBERS ?? 10_000)) {
  const db = tempDatabasePath();
  const seeded = await seedAccount(db.path);
  const server = await startResolutionFlow({ databasePath: db.path });
  const token = await seeded.token('engineer');
  const client = startSubscriberProcess();
  try {
    // Warm the process (JIT, first request) before the baseline reading.
    await fetch(`${server.url}/v1/me`, { headers: { Authorization: `Bearer ${token}` } });
    global.gc?.();
    const before = rssOf(server.pid);
    const { connected, failed } = await client.connect(server.url, token, count);
    const after = rssOf(server.pid);
    const { latencies, missing } = await client.create(server.url, token, escalationBody(1));
    const rows = [
      {
        subscribers: connected,
        failed,
        'RSS before MB': fmt(before / 2 ** 20),
        'RSS after MB': fmt(after / 2 ** 20),
        'KB per connection': fmt((after - before) / connected / 1024),
        'received broadcast': latencies.length,
        missing,
        goal: '≤ 30 KB per connection; all receive',
      },
    ];
    printTable('Capacity: concurrent subscribers held open', rows);
    return rows;
  } finally {
    await client.close();
    await server.stop();
    db.remove();
  }
}

if (import.meta.url === `file://${process.argv[1]}`) await capacity();
