import type { Database, Tx } from '../db/database.js';
import type { OutboxInsert } from '../db/schema.js';
import { toHandoff } from './handoff-mapper.js';
import {
  createdEvent,
  handoffRow,
  notifies,
  outboxRows,
  type CreateRequest,
  type Insertion,
} from './handoffs.js';

/**
 * Outbox rows per INSERT: PostgreSQL takes at most 65,535 parameters a
 * statement, and a batch of 256 escalations to a large team would pass that.
 */
const OUTBOX_ROWS_PER_INSERT = 1_000;

/**
 * Writes a whole batch of creates (none with an `Idempotency-Key`) in a few
 * statements whatever its size: one multi-row INSERT of the handoffs, the
 * escalation recipients read once per account (each creator filtered out
 * here), one INSERT of all outbox rows. On PostgreSQL each statement is a
 * round trip, and one savepoint per create made a batch of n cost 3n of
 * them; the reads are issued with the insert without awaiting it, so
 * postgres.js pipelines them on the transaction's connection.
 *
 * All or nothing: the caller runs it in one savepoint, and when it throws
 * (an account gone, so a foreign key fails) redoes the batch one create per
 * savepoint (`insertHandoff`), so a failing create fails alone.
 * Returns the insertions in the order of `requests`.
 */
export async function insertHandoffBatch(
  database: Database,
  tx: Tx,
  requests: readonly CreateRequest[],
): Promise<Insertion[]> {
  const rows = requests.map(handoffRow);
  const notifying = [...new Set(requests.filter(notifies).map((request) => request.accountId))];
  const [, ...recipientLists] = await Promise.all([
    tx.hot.insertHandoffs(rows),
    ...notifying.map((accountId) => tx.hot.escalationRecipients(accountId)),
  ]);
  const recipients = new Map(notifying.map((accountId, n) => [accountId, recipientLists[n]!]));
  const outbox: OutboxInsert[] = [];
  requests.forEach((request, n) => {
    const team = recipients.get(request.accountId);
    if (team && notifies(request)) outbox.push(...outboxRows(request, rows[n]!.id, team));
  });
  const inserts: Promise<unknown>[] = [];
  for (let start = 0; start < outbox.length; start += OUTBOX_ROWS_PER_INSERT) {
    const chunk = outbox.slice(start, start + OUTBOX_ROWS_PER_INSERT);
    inserts.push(
      tx.db
        .insert(database.tables.notificationOutbox)
        .values(chunk)
        .then(() => undefined),
    );
  }
  await Promise.all(inserts);
  return requests.map((request, n) => {
    const handoff = toHandoff(rows[n]!);
    return { handoff, event: createdEvent(request, handoff) };
  });
}
