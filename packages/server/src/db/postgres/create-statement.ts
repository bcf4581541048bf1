import postgres from 'postgres';
import { NothingWritten, type CreatesWrite } from '../database.js';
import type { OutboxInsert } from '../schema.js';
import { columnsOf, HANDOFF, records } from './columns.js';
import { notificationOutbox } from './schema.js';

/** What a create's outbox row sets; the other columns keep their defaults. */
const OUTBOX = columnsOf<keyof OutboxInsert>(notificationOutbox, [
  'accountId',
  'handoffId',
  'recipientId',
  'recipientEmail',
  'status',
  'nextAttemptAt',
  'createdAt',
]);

/**
 * A whole group commit in one statement, so in one implicit transaction and
 * one round trip: the handoffs and outbox rows from JSON (the same text
 * whatever the batch's size, so postgres.js prepares it once per connection),
 * then the heads of the batch's accounts locked in sorted order (the one lock
 * order, so concurrent batches cannot deadlock), advanced by their event
 * counts, and the events numbered from them. A head that is missing leaves a
 * NULL seq, which the key refuses: the statement fails whole, never commits
 * handoffs without their events. Row checks (foreign keys) run at the end of
 * the statement, so they see the handoffs it inserts.
 */
const STATEMENT = `
WITH new_handoffs AS (
  INSERT INTO handoffs (${HANDOFF.list})
  SELECT ${HANDOFF.list} FROM json_populate_recordset(null::handoffs, $1::json)
), new_mail AS (
  INSERT INTO notification_outbox (${OUTBOX.list})
  SELECT ${OUTBOX.list} FROM json_populate_recordset(null::notification_outbox, $2::json)
), drafts AS (
  SELECT * FROM json_to_recordset($3::json)
    AS d(account_id text, i bigint, type text, handoff_id text, data json, created_at bigint)
), counts AS (
  SELECT account_id, count(*) AS n FROM drafts GROUP BY account_id
), locked AS MATERIALIZED (
  SELECT account_id FROM account_streams WHERE account_id IN (SELECT account_id FROM counts)
  ORDER BY account_id FOR UPDATE
), heads AS (
  UPDATE account_streams s SET last_seq = s.last_seq + c.n
  FROM counts c WHERE c.account_id = s.account_id AND s.account_id IN (SELECT account_id FROM locked)
  RETURNING s.account_id, s.last_seq - c.n AS base
)
INSERT INTO events (account_id, seq, type, handoff_id, data, created_at)
SELECT d.account_id, h.base + d.i, d.type, d.handoff_id, d.data::text, d.created_at
FROM drafts d LEFT JOIN heads h ON h.account_id = d.account_id
RETURNING handoff_id, seq`;

/**
 * SQLSTATE classes a statement raises while it runs, so its implicit
 * transaction rolled back: data exceptions, integrity violations, transaction
 * rollbacks (a deadlock), syntax or access rules. Anything else (a lost
 * connection, an I/O failure while committing) may have committed.
 */
const REFUSED_CLASSES = new Set(['22', '23', '40', '42']);

/**
 * The events as the statement's third parameter. Each event's `data` is JSON
 * text already, so it goes in as a JSON value rather than a string: as a
 * string it would be escaped (every quote made `\"`) here and unescaped by
 * PostgreSQL, for about half of a batch's bytes. A `json` value keeps its text
 * exactly, so `data::text` stores what the event was serialised as.
 */
function eventsJson(events: CreatesWrite['events']): string {
  const records: string[] = [];
  for (const [accountId, drafts] of events) {
    const account = JSON.stringify(accountId);
    drafts.forEach((event, n) => {
      records.push(
        `{"account_id":${account},"i":${n + 1},"type":${JSON.stringify(event.type)},` +
          `"handoff_id":${JSON.stringify(event.handoffId)},"data":${event.data},"created_at":${event.createdAt}}`,
      );
    });
  }
  return `[${records.join(',')}]`;
}

/** {@link Database.writeCreates} on PostgreSQL: {@link STATEMENT}, outside any transaction. */
export async function writeCreatesStatement(
  client: postgres.Sql,
  creates: CreatesWrite,
): Promise<Map<string, number>> {
  const parameters = [
    records(creates.handoffs, HANDOFF.pairs),
    records(creates.outbox, OUTBOX.pairs),
    eventsJson(creates.events),
  ];
  let rows: { handoff_id: string; seq: string }[];
  try {
    rows = await client.unsafe(STATEMENT, parameters, { prepare: true });
  } catch (error) {
    const refused = error instanceof postgres.PostgresError && REFUSED_CLASSES.has(error.code.slice(0, 2));
    throw refused ? new NothingWritten(error) : error;
  }
  return new Map(rows.map((row) => [row.handoff_id, Number(row.seq)]));
}
