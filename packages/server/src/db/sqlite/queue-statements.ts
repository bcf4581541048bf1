import type Sqlite from 'better-sqlite3';
import type { QueueQuery } from '../database.js';
import type { HandoffRow } from '../schema.js';

const COLUMNS = `id, account_id AS accountId, intent, status, priority, priority_rank AS priorityRank, title,
  problem_summary AS problemSummary, tried, context, host_session_id AS hostSessionId, assessment,
  created_by_id AS createdById, created_by_name AS createdByName, claimed_by_id AS claimedById,
  claimed_by_name AS claimedByName, created_at AS createdAt, claimed_at AS claimedAt,
  started_at AS startedAt, resolved_at AS resolvedAt, cancelled_at AS cancelledAt,
  external_ref AS externalRef, overdue_at AS overdueAt`;

const CURSOR = {
  priority:
    '(priority_rank < @r OR (priority_rank = @r AND created_at > @t) OR (priority_rank = @r AND created_at = @t AND id > @i))',
  newest: '(created_at < @t OR (created_at = @t AND id < @i))',
};

const ORDER = {
  priority: 'priority_rank DESC, created_at ASC, id ASC',
  newest: 'created_at DESC, id DESC',
};

const cache = new WeakMap<Sqlite.Database, Map<string, Sqlite.Statement>>();

/**
 * The prepared statement for a queue shape. The list is the hottest read; the
 * query builder and its row mapping cost several times the query itself, and
 * the SQL matches the `handoffs_queue` index so a page is read off it.
 */
function queueStatement(sqlite: Sqlite.Database, query: QueueQuery): Sqlite.Statement {
  let statements = cache.get(sqlite);
  if (!statements) {
    statements = new Map();
    cache.set(sqlite, statements);
  }
  const key = `${query.statuses.length}:${query.order}:${query.after !== undefined}:${query.claimedBy !== undefined}`;
  let statement = statements.get(key);
  if (!statement) {
    const where = ['account_id = @accountId'];
    if (query.statuses.length > 0) {
      where.push(`status IN (${query.statuses.map((_, n) => `@s${n}`).join(', ')})`);
    }
    if (query.claimedBy !== undefined) where.push('claimed_by_id = @claimedBy');
    if (query.after) where.push(CURSOR[query.order]);
    statement = sqlite.prepare(
      `SELECT ${COLUMNS} FROM handoffs WHERE ${where.join(' AND ')} ORDER BY ${ORDER[query.order]} LIMIT @limit`,
    );
    statements.set(key, statement);
  }
  return statement;
}

/** A page of the account's handoffs in queue order, parsed as drizzle would have returned it. */
export function queuePage(sqlite: Sqlite.Database, accountId: string, query: QueueQuery): HandoffRow[] {
  const params: Record<string, unknown> = { accountId, limit: query.limit };
  query.statuses.forEach((status, n) => (params[`s${n}`] = status));
  if (query.claimedBy !== undefined) params.claimedBy = query.claimedBy;
  if (query.after)
    Object.assign(params, { r: query.after.rank, t: query.after.createdAt, i: query.after.id });
  return (queueStatement(sqlite, query).all(params) as Record<string, unknown>[]).map((raw) => ({
    ...(raw as unknown as HandoffRow),
    tried: JSON.parse(raw.tried as string),
    context: JSON.parse(raw.context as string),
    assessment: JSON.parse(raw.assessment as string),
    externalRef: raw.externalRef === null ? null : JSON.parse(raw.externalRef as string),
  }));
}
