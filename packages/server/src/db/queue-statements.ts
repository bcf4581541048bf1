import type Sqlite from 'better-sqlite3';
import type { HandoffRow } from './schema.js';

/** The shape of a queue query; one prepared statement per shape. */
export interface QueueShape {
  statusCount: number;
  order: 'priority' | 'newest';
  withCursor: boolean;
}

const COLUMNS = `id, account_id AS accountId, intent, status, priority, priority_rank AS priorityRank, title,
  problem_summary AS problemSummary, tried, context, host_session_id AS hostSessionId, assessment,
  created_by_id AS createdById, created_by_name AS createdByName, claimed_by_id AS claimedById,
  claimed_by_name AS claimedByName, created_at AS createdAt, claimed_at AS claimedAt,
  started_at AS startedAt, resolved_at AS resolvedAt, cancelled_at AS cancelledAt`;

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
export function queueStatement(sqlite: Sqlite.Database, shape: QueueShape): Sqlite.Statement {
  let statements = cache.get(sqlite);
  if (!statements) {
    statements = new Map();
    cache.set(sqlite, statements);
  }
  const key = `${shape.statusCount}:${shape.order}:${shape.withCursor}`;
  let statement = statements.get(key);
  if (!statement) {
    const where = ['account_id = @accountId'];
    if (shape.statusCount > 0) {
      where.push(`status IN (${Array.from({ length: shape.statusCount }, (_, n) => `@s${n}`).join(', ')})`);
    }
    if (shape.withCursor) where.push(CURSOR[shape.order]);
    statement = sqlite.prepare(
      `SELECT ${COLUMNS} FROM handoffs WHERE ${where.join(' AND ')} ORDER BY ${ORDER[shape.order]} LIMIT @limit`,
    );
    statements.set(key, statement);
  }
  return statement;
}

/** A raw row of {@link queueStatement} as drizzle would have returned it. */
export function parseQueueRow(raw: Record<string, unknown>): HandoffRow {
  return {
    ...(raw as unknown as HandoffRow),
    tried: JSON.parse(raw.tried as string),
    context: JSON.parse(raw.context as string),
    assessment: JSON.parse(raw.assessment as string),
  };
}
