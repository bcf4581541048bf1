import type { Database, EventInsert } from '../db/database.js';
import type { OutboxInsert } from '../db/schema.js';
import { eventInsert } from './events.js';
import { toHandoff } from './handoff-mapper.js';
import {
  createdEvent,
  handoffRow,
  notifies,
  outboxRows,
  type Change,
  type CreateRequest,
} from './handoffs.js';

/**
 * Writes a whole batch of creates (none with an `Idempotency-Key`) with one
 * {@link Database.writeCreates}: on PostgreSQL one statement whatever the
 * batch's size, where one savepoint per create made a batch of n cost 3n round
 * trips. The escalation recipients are read first, once per account (each
 * creator filtered out here), as a read-committed transaction would have
 * read them.
 *
 * All or nothing: on `NothingWritten` the caller redoes the batch one
 * create per savepoint (`insertHandoff`), so a failing create fails alone;
 * any other error leaves the outcome unknown and must not be redone.
 * Returns the changes in the order of `requests`.
 */
export async function writeCreateBatch(
  database: Database,
  requests: readonly CreateRequest[],
): Promise<Change[]> {
  const rows = requests.map(handoffRow);
  const notifying = [...new Set(requests.filter(notifies).map((request) => request.accountId))];
  const recipientLists = await Promise.all(
    notifying.map((accountId) => database.hot.escalationRecipients(accountId)),
  );
  const recipients = new Map(notifying.map((accountId, n) => [accountId, recipientLists[n]!]));
  const outbox: OutboxInsert[] = [];
  const events = new Map<string, EventInsert[]>();
  const handoffs = requests.map((request, n) => {
    const handoff = toHandoff(rows[n]!);
    const team = recipients.get(request.accountId);
    if (team && notifies(request)) outbox.push(...outboxRows(request, handoff.id, team));
    let drafts = events.get(request.accountId);
    if (!drafts) events.set(request.accountId, (drafts = []));
    drafts.push(eventInsert(createdEvent(request, handoff)));
    return handoff;
  });
  const numbers = await database.writeCreates({ handoffs: rows, outbox, events });
  return handoffs.map((handoff) => ({ handoff, eventSeq: numbers.get(handoff.id)! }));
}
