import type { EventRow } from '../db/schema.js';
import type { StreamConnection } from './connection.js';
import { formatEventId } from './event-id.js';
import { encodeEvent } from './sse-encoding.js';

/**
 * The run of `rows` that continues `cursor` without a hole: rows must start at
 * `cursor + 1` and climb by one. Numbers commit in order, so a hole means a
 * read raced something it should not have; what follows it is re-read later
 * rather than sent out of order.
 */
export function contiguousAfter(
  rows: readonly EventRow[],
  cursor: number,
): { rows: EventRow[]; hole: boolean } {
  let end = 0;
  while (end < rows.length && rows[end]!.seq === cursor + 1 + end) end += 1;
  return { rows: rows.slice(0, end), hole: end < rows.length };
}

/**
 * Writes what is new to each live connection of one account, from rows read
 * once after the lowest of their cursors. Live connections of an account share
 * one cursor almost always, so each event is encoded once. Returns how many
 * events were written (over all connections), and whether a hole was met (the
 * caller reads again shortly).
 */
export function deliver(
  live: readonly StreamConnection[],
  rows: readonly EventRow[],
  from: number,
): { deliveries: number; hole: boolean } {
  const { rows: run, hole } = contiguousAfter(rows, from);
  let deliveries = 0;
  if (run.length === 0) return { deliveries, hole };
  const lastSeq = run[run.length - 1]!.seq;
  // Buffers: Node would otherwise encode the same string again for every socket.
  const payloads = new Map<string, Buffer>();
  for (const connection of live) {
    if (connection.closed || connection.cursor >= lastSeq) continue;
    const key = formatEventId(connection.epoch, connection.cursor);
    let payload = payloads.get(key);
    if (payload === undefined) {
      payload = Buffer.from(
        run
          .filter((row) => row.seq > connection.cursor)
          .map((row) => encodeEvent(row, connection.epoch))
          .join(''),
      );
      payloads.set(key, payload);
    }
    // Numbers are dense, so a connection at `cursor` is sent `lastSeq - cursor` events.
    if (payload.length > 0 && connection.write(payload)) deliveries += lastSeq - connection.cursor;
    connection.cursor = lastSeq;
  }
  return { deliveries, hole };
}
