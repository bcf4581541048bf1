import { count, eq, sql } from 'drizzle-orm';
import type { Clock } from '../clock.js';
import type { Database } from '../db/database.js';
import type { OutboxBacklog } from '../metrics/metrics.js';

/**
 * The mail outbox's backlog as the table has it now: rows still pending (first
 * attempt or waiting for a retry) and how long the oldest has waited. Read at
 * each scrape, so it can never drift from the truth; the `outbox_due` index
 * (status first) keeps it to the pending rows.
 */
export async function mailBacklog(database: Database, clock: Clock): Promise<OutboxBacklog> {
  const { notificationOutbox } = database.tables;
  const [row] = await database.db
    .select({
      pending: count(),
      oldest: sql<number | null>`min(${notificationOutbox.createdAt})`,
    })
    .from(notificationOutbox)
    .where(eq(notificationOutbox.status, 'pending'));
  return backlogFrom(row, clock.now());
}

/** A backlog from a count and the oldest pending row's `created_at` (null when none is pending). */
export function backlogFrom(
  row: { pending: number | string; oldest: number | string | null } | undefined,
  now: number,
): OutboxBacklog {
  // PostgreSQL returns the bigint min as text.
  const oldest = row?.oldest === null || row?.oldest === undefined ? null : Number(row.oldest);
  return {
    pending: Number(row?.pending ?? 0),
    oldestAgeSeconds: oldest === null ? 0 : Math.max(0, (now - oldest) / 1000),
  };
}
