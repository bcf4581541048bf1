import type { HandoffEventType } from '@resolutionflow/types';
import type Sqlite from 'better-sqlite3';
import type { EventRow, HandoffRow } from './schema.js';

/**
 * Prepared statements for the hot write path (create). Drizzle's query builder
 * costs more per insert than SQLite itself, so the statements the create path
 * runs thousands of times a second are prepared once per connection. The
 * schema stays drizzle's; these must name the same columns.
 */
export interface HotStatements {
  insertHandoff(row: HandoffRow): void;
  /** Engineers and admins of the account with an e-mail address, except `exceptId`. */
  escalationRecipients(accountId: string, exceptId: string): { id: string; email: string }[];
  /** The account's events after `afterSeq`, oldest first. */
  eventsAfter(accountId: string, afterSeq: number, limit: number): EventRow[];
  /** Inserts an event at `seq`, a number taken from {@link advanceHead}. */
  insertEvent(
    accountId: string,
    seq: number,
    type: HandoffEventType,
    handoffId: string,
    data: string,
    createdAt: number,
  ): void;
  /**
   * Reserves the account's next `count` sequence numbers; returns the last one,
   * or undefined when the account has no head row.
   */
  advanceHead(accountId: string, count: number): number | undefined;
}

const cache = new WeakMap<Sqlite.Database, HotStatements>();

/** The hot statements of a connection, prepared on first use. */
export function hotStatements(sqlite: Sqlite.Database): HotStatements {
  let statements = cache.get(sqlite);
  if (statements) return statements;
  const insertHandoff = sqlite.prepare(
    `INSERT INTO handoffs (id, account_id, intent, status, priority, priority_rank, title, problem_summary,
       tried, context, host_session_id, assessment, created_by_id, created_by_name, claimed_by_id,
       claimed_by_name, created_at, claimed_at, started_at, resolved_at, cancelled_at)
     VALUES (@id, @accountId, @intent, @status, @priority, @priorityRank, @title, @problemSummary,
       @tried, @context, @hostSessionId, @assessment, @createdById, @createdByName, @claimedById,
       @claimedByName, @createdAt, @claimedAt, @startedAt, @resolvedAt, @cancelledAt)`,
  );
  const insertEvent = sqlite.prepare(
    'INSERT INTO events (account_id, seq, type, handoff_id, data, created_at) VALUES (?, ?, ?, ?, ?, ?)',
  );
  const advanceHead = sqlite
    .prepare('UPDATE account_streams SET last_seq = last_seq + ? WHERE account_id = ? RETURNING last_seq')
    .pluck();
  const recipients = sqlite.prepare(
    `SELECT id, email FROM users WHERE account_id = ? AND role IN ('engineer', 'admin')
       AND id <> ? AND email IS NOT NULL AND email <> ''`,
  );
  const eventsAfter = sqlite.prepare(
    `SELECT seq, account_id AS accountId, type, handoff_id AS handoffId, data, created_at AS createdAt
       FROM events WHERE account_id = ? AND seq > ? ORDER BY seq LIMIT ?`,
  );
  statements = {
    eventsAfter(accountId, afterSeq, limit) {
      return eventsAfter.all(accountId, afterSeq, limit) as EventRow[];
    },
    escalationRecipients(accountId, exceptId) {
      return recipients.all(accountId, exceptId) as { id: string; email: string }[];
    },
    insertHandoff(row) {
      insertHandoff.run({
        ...row,
        tried: JSON.stringify(row.tried),
        context: JSON.stringify(row.context),
        assessment: JSON.stringify(row.assessment),
      });
    },
    insertEvent(accountId, seq, type, handoffId, data, createdAt) {
      insertEvent.run(accountId, seq, type, handoffId, data, createdAt);
    },
    advanceHead(accountId, count) {
      return advanceHead.get(count, accountId) as number | undefined;
    },
  };
  cache.set(sqlite, statements);
  return statements;
}
