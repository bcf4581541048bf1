import { NothingWritten, type CreatesWrite, type Database } from './database.js';

/**
 * Outbox rows per INSERT: PostgreSQL takes at most 65,535 parameters a
 * statement, and a batch of 256 escalations to a large team would pass that.
 */
const OUTBOX_ROWS_PER_INSERT = 1_000;

/**
 * {@link Database.writeCreates} as one write transaction (SQLite's, where the
 * statements are prepared and in-process): the handoffs in one statement, the
 * outbox rows, then each account's events numbered last, accounts in sorted
 * order. A throw before COMMIT rolled everything back and becomes
 * {@link NothingWritten}; a failed COMMIT is rethrown as it is.
 */
export async function writeCreatesInTransaction(
  database: Pick<Database, 'write' | 'tables'>,
  creates: CreatesWrite,
): Promise<Map<string, number>> {
  let worked = false;
  try {
    return await database.write(async (tx) => {
      await tx.hot.insertHandoffs(creates.handoffs);
      for (let start = 0; start < creates.outbox.length; start += OUTBOX_ROWS_PER_INSERT) {
        const chunk = creates.outbox.slice(start, start + OUTBOX_ROWS_PER_INSERT);
        await tx.db.insert(database.tables.notificationOutbox).values(chunk);
      }
      const numbers = new Map<string, number>();
      for (const accountId of [...creates.events.keys()].sort()) {
        const events = creates.events.get(accountId)!;
        const seqs = await tx.hot.appendEvents(accountId, events);
        // Creates always concern a handoff (only webhook.disabled events have none).
        events.forEach((event, n) => numbers.set(event.handoffId!, seqs[n]!));
      }
      worked = true;
      return numbers;
    });
  } catch (error) {
    throw worked ? error : new NothingWritten(error);
  }
}
