import type Sqlite from 'better-sqlite3';
import type { EventInsert, HotStatements } from '../database.js';
import type { EventRow } from '../schema.js';
import { queuePage } from './queue-statements.js';

/**
 * Prepared statements for the hot paths on SQLite. Drizzle's query builder
 * costs more per insert than SQLite itself, so the statements the create path
 * runs thousands of times a second are prepared once per connection. The
 * schema stays drizzle's; these must name the same columns.
 */
export function sqliteHotStatements(sqlite: Sqlite.Database): HotStatements {
  const insertHandoff = sqlite.prepare(
    `INSERT INTO handoffs (id, account_id, intent, status, priority, priority_rank, title, problem_summary,
       tried, context, host_session_id, assessment, created_by_id, created_by_name, claimed_by_id,
       claimed_by_name, created_at, claimed_at, started_at, resolved_at, cancelled_at, external_ref,
       overdue_at)
     VALUES (@id, @accountId, @intent, @status, @priority, @priorityRank, @title, @problemSummary,
       @tried, @context, @hostSessionId, @assessment, @createdById, @createdByName, @claimedById,
       @claimedByName, @createdAt, @claimedAt, @startedAt, @resolvedAt, @cancelledAt, @externalRef,
       @overdueAt)`,
  );
  const insertEvent = sqlite.prepare(
    'INSERT INTO events (account_id, seq, type, handoff_id, data, created_at) VALUES (?, ?, ?, ?, ?, ?)',
  );
  const advanceHead = sqlite
    .prepare('UPDATE account_streams SET last_seq = last_seq + ? WHERE account_id = ? RETURNING last_seq')
    .pluck();
  const recipients = sqlite.prepare(
    `SELECT id, email FROM users WHERE account_id = ? AND role IN ('engineer', 'admin')
       AND id IS NOT ? AND email IS NOT NULL AND email <> ''`,
  );
  const eventsAfter = sqlite.prepare(
    `SELECT seq, account_id AS accountId, type, handoff_id AS handoffId, data, created_at AS createdAt
       FROM events WHERE account_id = ? AND seq > ? ORDER BY seq LIMIT ?`,
  );
  return {
    async eventsAfter(accountId, afterSeq, limit) {
      return eventsAfter.all(accountId, afterSeq, limit) as EventRow[];
    },
    async escalationRecipients(accountId, exceptId) {
      // `id IS NOT NULL` holds for every row: no one is left out.
      return recipients.all(accountId, exceptId ?? null) as { id: string; email: string }[];
    },
    async insertHandoffs(rows) {
      // A prepared statement per row costs less here than building one multi-row statement.
      for (const row of rows) {
        insertHandoff.run({
          ...row,
          tried: JSON.stringify(row.tried),
          context: JSON.stringify(row.context),
          assessment: JSON.stringify(row.assessment),
          externalRef: row.externalRef === null ? null : JSON.stringify(row.externalRef),
        });
      }
    },
    async appendEvents(accountId, events: readonly EventInsert[]) {
      const last = advanceHead.get(events.length, accountId) as number | undefined;
      if (last === undefined) throw new Error(`Account ${accountId} has no event stream head`);
      const first = last - events.length + 1;
      return events.map((event, index) => {
        insertEvent.run(accountId, first + index, event.type, event.handoffId, event.data, event.createdAt);
        return first + index;
      });
    },
    async queuePage(accountId, query) {
      return queuePage(sqlite, accountId, query);
    },
  };
}
