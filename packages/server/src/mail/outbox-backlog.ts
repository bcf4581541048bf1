import { count, eq, sql } from 'drizzle-orm';
import type { Clock } from '../clock.js';
import type { Database } from '../db/database.js';
import { notificationOutbox } from '../db/schema.js';
import type { OutboxBacklog } from '../metrics/metrics.js';

/**
 * The mail outbox's backlog as the table has it now: rows still pending (first
 * attempt or waiting for a retry) and how long the oldest has waited. Read at
 * each scrape, so it can never drift from the truth; the `outbox_due` index
 * (status first) keeps it to the pending rows.
 */
export function mailBacklog(database: Database, clock: Clock): OutboxBacklog {
  const row = database.db
    .select({
      pending: count(),
      oldest: sql<number | null>`min(${notificationOutbox.createdAt})`,
    })
    .from(notificationOutbox)
    .where(eq(notificationOutbox.status, 'pending'))
    .get();
  const oldest = row?.oldest ?? null;
  return {
    pending: row?.pending ?? 0,
    oldestAgeSeconds: oldest === null ? 0 : Math.max(0, (clock.now() - oldest) / 1000),
  };
}
