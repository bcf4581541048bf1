import { and, eq, lt, max, sql } from 'drizzle-orm';
import type { Database } from '../db/database.js';
import { accountStreams, events } from '../db/schema.js';

/**
 * Deletes events older than the retention period and records, on each account's
 * stream head, the highest sequence number removed, so a client resuming from
 * before it gets `stream.reset`.
 * One immediate transaction per account.
 */
export function pruneEvents(database: Database, retentionDays: number, now: number): number {
  const cutoff = now - retentionDays * 24 * 60 * 60 * 1000;
  const accounts = database.db
    .select({ accountId: events.accountId, through: max(events.seq) })
    .from(events)
    .where(lt(events.createdAt, cutoff))
    .groupBy(events.accountId)
    .all();
  let removed = 0;
  for (const { accountId, through } of accounts) {
    if (through === null) continue;
    database.write((db) => {
      removed += db
        .delete(events)
        .where(and(eq(events.accountId, accountId), sql`${events.seq} <= ${through}`))
        .run().changes;
      db.update(accountStreams)
        .set({ prunedThrough: sql`max(${accountStreams.prunedThrough}, ${through})` })
        .where(eq(accountStreams.accountId, accountId))
        .run();
    });
  }
  return removed;
}
