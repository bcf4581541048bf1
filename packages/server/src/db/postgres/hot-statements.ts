import { and, desc, asc, eq, gt, inArray, lt, or, sql, type SQL } from 'drizzle-orm';
import type { PostgresJsDatabase } from 'drizzle-orm/postgres-js';
import type { WebhookEventType } from '@resolutionflow/types';
import type { HotStatements, QueueQuery } from '../database.js';
import type { EventRow } from '../schema.js';
import { HANDOFF, records } from './columns.js';
import * as schema from './schema.js';

/** A pg database or transaction: statements run on whichever it is. */
type PgDb = PostgresJsDatabase<typeof schema>;

const { handoffs, users } = schema;

const HANDOFF_COLUMN_LIST = sql.raw(HANDOFF.list);

/** The queue's keyset condition: rows after `after` in the page's order. */
function afterCursor(query: QueueQuery): SQL | undefined {
  const after = query.after;
  if (!after) return undefined;
  if (query.order === 'newest') {
    return or(
      lt(handoffs.createdAt, after.createdAt),
      and(eq(handoffs.createdAt, after.createdAt), lt(handoffs.id, after.id)),
    );
  }
  return or(
    lt(handoffs.priorityRank, after.rank),
    and(eq(handoffs.priorityRank, after.rank), gt(handoffs.createdAt, after.createdAt)),
    and(
      eq(handoffs.priorityRank, after.rank),
      eq(handoffs.createdAt, after.createdAt),
      gt(handoffs.id, after.id),
    ),
  );
}

/**
 * The hot paths on PostgreSQL, one round trip each. Events are numbered in the
 * statement that inserts them: the head row's `UPDATE … RETURNING` locks it
 * until COMMIT, so numbers are dense and commit in order per account.
 * `reads` is where the stream's and the queue's reads run outside a
 * transaction (their own pool, see openPostgres); inside one, everything runs
 * on the transaction.
 */
export function postgresHotStatements(db: PgDb, reads: PgDb = db): HotStatements {
  return {
    async insertHandoffs(rows) {
      // One JSON parameter (`records`): no builder maps 21 parameters per row.
      await db.execute(sql`INSERT INTO handoffs (${HANDOFF_COLUMN_LIST})
        SELECT ${HANDOFF_COLUMN_LIST} FROM json_populate_recordset(null::handoffs, ${records(rows, HANDOFF.pairs)}::json)`);
    },
    async escalationRecipients(accountId, exceptId) {
      const rows = await db
        .select({ id: users.id, email: users.email })
        .from(users)
        .where(
          and(
            eq(users.accountId, accountId),
            inArray(users.role, ['engineer', 'admin']),
            exceptId === undefined ? undefined : sql`${users.id} <> ${exceptId}`,
            sql`${users.email} IS NOT NULL AND ${users.email} <> ''`,
          ),
        );
      return rows as { id: string; email: string }[];
    },
    async eventsAfter(accountId, afterSeq, limit) {
      const rows = await reads.execute<{
        seq: string;
        accountId: string;
        type: WebhookEventType;
        handoffId: string | null;
        data: string;
        createdAt: string;
      }>(sql`SELECT seq, account_id AS "accountId", type, handoff_id AS "handoffId", data,
          created_at AS "createdAt"
        FROM events WHERE account_id = ${accountId} AND seq > ${afterSeq} ORDER BY seq LIMIT ${limit}`);
      return rows.map((row): EventRow => ({
        ...row,
        seq: Number(row.seq),
        createdAt: Number(row.createdAt),
      }));
    },
    async appendEvents(accountId, events) {
      const drafts = events.map((event, i) => ({
        i: i + 1,
        type: event.type,
        handoff_id: event.handoffId,
        data: event.data,
        created_at: event.createdAt,
      }));
      const rows = await db.execute<{ seq: string }>(sql`
        WITH head AS (
          UPDATE account_streams SET last_seq = last_seq + ${events.length}
          WHERE account_id = ${accountId} RETURNING last_seq
        )
        INSERT INTO events (account_id, seq, type, handoff_id, data, created_at)
        SELECT ${accountId}, head.last_seq - ${events.length} + e.i, e.type, e.handoff_id, e.data, e.created_at
        FROM head, json_to_recordset(${JSON.stringify(drafts)}::json)
          AS e(i bigint, type text, handoff_id text, data text, created_at bigint)
        RETURNING seq`);
      if (rows.length !== events.length) throw new Error(`Account ${accountId} has no event stream head`);
      return rows.map((row) => Number(row.seq)).sort((a, b) => a - b);
    },
    async queuePage(accountId, query) {
      const conditions = [eq(handoffs.accountId, accountId), afterCursor(query)];
      if (query.statuses.length > 0) {
        conditions.push(inArray(handoffs.status, query.statuses as (typeof handoffs.$inferSelect.status)[]));
      }
      if (query.claimedBy !== undefined) conditions.push(eq(handoffs.claimedById, query.claimedBy));
      const order =
        query.order === 'priority'
          ? [desc(handoffs.priorityRank), asc(handoffs.createdAt), asc(handoffs.id)]
          : [desc(handoffs.createdAt), desc(handoffs.id)];
      return reads
        .select()
        .from(handoffs)
        .where(and(...conditions))
        .orderBy(...order)
        .limit(query.limit);
    },
  };
}
