import type { WebhookEventType } from '@resolutionflow/types';
import type { SQL, SQLWrapper } from 'drizzle-orm';
import type { BetterSQLite3Database } from 'drizzle-orm/better-sqlite3';
import type * as schema from './schema.js';
import type { EventRow, HandoffRow, OutboxInsert } from './schema.js';

/** The two databases the server runs on. */
export type Dialect = 'sqlite' | 'postgres';

/**
 * The query builder every repository works with. Both dialects' schemas infer
 * the same row types (checked in `schema-parity.test.ts`), and repositories
 * only await builders (never the SQLite-only `.get()`/`.all()`/`.run()`), so
 * one typing serves both: on PostgreSQL the object is drizzle's pg database
 * over the pg tables.
 */
export type Db = BetterSQLite3Database<typeof schema>;

/** The tables of the open dialect, typed as one. */
export type Tables = typeof schema;

/** An event waiting for its number: the row minus the account and `seq`. */
export interface EventInsert {
  type: WebhookEventType;
  /** Null for events about no handoff (`webhook.disabled`). */
  handoffId: string | null;
  /** The event's JSON text, as the stream sends it. */
  data: string;
  createdAt: number;
}

/** A group commit's creates, for {@link Database.writeCreates}. */
export interface CreatesWrite {
  handoffs: readonly HandoffRow[];
  outbox: readonly OutboxInsert[];
  /** Each account's `handoff.created` events, in the order they are to be numbered. */
  events: ReadonlyMap<string, readonly EventInsert[]>;
}

/**
 * A write failed and certainly committed nothing (the statement was refused,
 * or the work threw before COMMIT), so it may be redone another way. Any other
 * error of a write leaves its outcome unknown: a failed COMMIT may have
 * committed.
 */
export class NothingWritten extends Error {
  constructor(override readonly cause: unknown) {
    super(cause instanceof Error ? cause.message : String(cause));
    this.name = 'NothingWritten';
  }
}

/** The shape of a queue page query. */
export interface QueueQuery {
  statuses: string[];
  /** Only handoffs claimed by this user (the `mine` view). */
  claimedBy?: string | undefined;
  order: 'priority' | 'newest';
  limit: number;
  /** Continue after this row of the previous page. */
  after?: { rank: number; createdAt: number; id: string } | undefined;
}

/**
 * The statements the hot paths (create, stream, queue list) run thousands of
 * times a second, written per dialect: prepared statements on SQLite, single
 * round trips on PostgreSQL.
 */
export interface HotStatements {
  /** Inserts the rows (one multi-row statement on PostgreSQL: one round trip for a whole batch). */
  insertHandoffs(rows: readonly HandoffRow[]): Promise<void>;
  /**
   * Engineers and admins of the account with an e-mail address, except
   * `exceptId` when given (a batch reads them once for all its creators).
   */
  escalationRecipients(accountId: string, exceptId?: string): Promise<{ id: string; email: string }[]>;
  /** The account's events after `afterSeq`, oldest first. */
  eventsAfter(accountId: string, afterSeq: number, limit: number): Promise<EventRow[]>;
  /**
   * Numbers the events with the account's next sequence values (advancing its
   * head row) and inserts them; returns their numbers. Throws when the account
   * has no head row.
   */
  appendEvents(accountId: string, events: readonly EventInsert[]): Promise<number[]>;
  /** A page of the account's handoffs in queue order. */
  queuePage(accountId: string, query: QueueQuery): Promise<HandoffRow[]>;
}

/** What a write transaction offers the work inside it. */
export interface Tx {
  db: Db;
  hot: HotStatements;
  /**
   * Runs `work` in a savepoint, with the handle to use inside it: a throw
   * rolls back only its changes and is rethrown; the transaction goes on.
   */
  savepoint<T>(work: (inner: Tx) => Promise<T>): Promise<T>;
  /**
   * Reads `query`'s rows locking them for the rest of the transaction
   * (`SELECT … FOR UPDATE` on PostgreSQL; SQLite has one writer at a time).
   * `skipLocked`: rows another transaction holds are passed over, not waited for.
   */
  forUpdate<T>(query: PromiseLike<T[]>, options?: { skipLocked?: boolean }): Promise<T[]>;
}

/** SQL fragments spelled differently by the two dialects. */
export interface DialectFragments {
  /** The text value of `key` in a JSON column. */
  jsonText(column: SQLWrapper, key: string): SQL;
  /** The larger of two values (`max(a, b)` on SQLite, `greatest(a, b)` on PostgreSQL). */
  greatest(a: SQLWrapper | number, b: SQLWrapper | number): SQL;
}

/** An open database of either dialect. */
export interface Database {
  readonly dialect: Dialect;
  /** For reads outside a transaction. */
  readonly db: Db;
  /**
   * For the reads that serve live screens (streams, queue pages and counts):
   * on PostgreSQL a pool of their own, so they never wait behind writes that
   * hold every connection of the main one; on SQLite the same reader as `db`.
   */
  readonly reads: Db;
  readonly tables: Tables;
  readonly hot: HotStatements;
  readonly fragments: DialectFragments;
  /**
   * Runs `work` in one write transaction (`BEGIN IMMEDIATE` on SQLite, where
   * writes take turns; READ COMMITTED on PostgreSQL) and commits when it
   * resolves, rolls back when it throws.
   */
  write<T>(work: (tx: Tx) => Promise<T>): Promise<T>;
  /**
   * Writes a group commit's creates atomically: the handoffs, their outbox
   * rows, and each account's events numbered from its head row (accounts in
   * sorted order, the heads last). On PostgreSQL one statement in its own
   * transaction, so one round trip; on SQLite one write transaction. Resolves
   * with each event's number by its handoff id. Throws {@link NothingWritten}
   * when nothing was committed; any other error leaves the outcome unknown.
   */
  writeCreates(creates: CreatesWrite): Promise<Map<string, number>>;
  /**
   * Runs `work` holding the database-wide lock `name` (an advisory lock on
   * PostgreSQL), so a job every instance schedules runs on one at a time;
   * resolves undefined without running it while another instance holds it.
   */
  exclusively<T>(name: string, work: () => Promise<T>): Promise<T | undefined>;
  /** Resolves when the database answers a trivial query. */
  ping(): Promise<void>;
  close(): Promise<void>;
}
