import { and, eq, lt, max, sql } from 'drizzle-orm';
import type { Database } from '../db/database.js';

/**
 * Deletes events older than the retention period and records, on each account's
 * stream head, the highest sequence number removed, so a client resuming from
 * before it gets `stream.reset`. One transaction per account; on PostgreSQL one
 * instance prunes at a time (the others skip the round).
 */
export async function pruneEvents(database: Database, retentionDays: number, now: number): Promise<number> {
  const cutoff = now - retentionDays * 24 * 60 * 60 * 1000;
  const { events, accountStreams } = database.tables;
  const removed = await database.exclusively('prune-events', async () => {
    const accounts = await database.db
      .select({ accountId: events.accountId, through: max(events.seq) })
      .from(events)
      .where(lt(events.createdAt, cutoff))
      .groupBy(events.accountId);
    let total = 0;
    for (const { accountId, through } of accounts) {
      if (through === null) continue;
      total += await database.write(async ({ db }) => {
        const deleted = await db
          .delete(events)
          .where(and(eq(events.accountId, accountId), sql`${events.seq} <= ${through}`))
          .returning({ seq: events.seq });
        await db
          .update(accountStreams)
          .set({ prunedThrough: database.fragments.greatest(accountStreams.prunedThrough, Number(through)) })
          .where(eq(accountStreams.accountId, accountId));
        return deleted.length;
      });
    }
    return total;
  });
  return removed ?? 0;
}
