import type { Database } from '../db/database.js';
import { noopMetrics, type Metrics } from '../metrics/metrics.js';
import { eventsAfter } from '../domain/events.js';
import type { StreamConnection } from './connection.js';
import { encodeEvent } from './sse-encoding.js';

/**
 * Replays the account's history after the connection's cursor, a page per
 * write, waiting for the client to drain between pages, then marks it live.
 * Resolves early when the connection closes. An event that commits after the
 * last page was read but before the connection is live is picked up by the
 * delivery the hub runs once the replay resolves.
 */
export async function replay(
  database: Database,
  connection: StreamConnection,
  pageSize: number,
  metrics: Metrics = noopMetrics,
): Promise<void> {
  for (;;) {
    const rows = await eventsAfter(database, connection.accountId, connection.cursor, pageSize);
    const last = rows.at(-1);
    if (last) {
      if (!connection.write(rows.map((row) => encodeEvent(row, connection.epoch)).join(''))) return;
      connection.cursor = last.seq;
      metrics.replayed(rows.length);
    }
    if (connection.closed) return;
    if (rows.length < pageSize) {
      connection.live = true;
      return;
    }
    if (connection.stalledSince !== null) {
      await new Promise<void>((resolve) => {
        connection.response.once('drain', resolve);
        connection.response.once('close', resolve);
      });
      if (connection.closed) return;
    }
  }
}
