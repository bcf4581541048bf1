import type { Bus } from '../bus.js';
import type { Database, Tx } from '../db/database.js';
import { appendEvents } from './events.js';
import { insertHandoffBatch } from './batch-insert.js';
import { insertHandoff, type Change, type CreateRequest, type Insertion } from './handoffs.js';

interface Pending {
  request: CreateRequest;
  resolve(change: Change): void;
  reject(error: unknown): void;
}

type Outcome = { ok: true; change: Change } | { ok: false; error: unknown };

/** A create's handoff written (its event still to number), or why not. */
type Written = { ok: true; insertion: Insertion } | { ok: false; error: unknown };

/**
 * Group commit for creates. Creates that arrive in the same turn of the event
 * loop share one `BEGIN IMMEDIATE` transaction and so one fsync; each request
 * is answered only after that commit, so a 201 still means durable. One
 * failing create rolls back alone (see {@link CreateBatcher._insert}).
 */
export class CreateBatcher {
  private _queue: Pending[] = [];
  private _scheduled = false;

  constructor(
    private readonly _database: Database,
    private readonly _bus: Bus,
    private readonly _maxBatch = 256,
  ) {}

  /** Resolves with the created handoff once its transaction has committed. */
  create(request: CreateRequest): Promise<Change> {
    return new Promise((resolve, reject) => {
      this._queue.push({ request, resolve, reject });
      if (this._queue.length >= this._maxBatch) void this._flush();
      else if (!this._scheduled) {
        this._scheduled = true;
        setImmediate(() => void this._flush());
      }
    });
  }

  private async _flush(): Promise<void> {
    this._scheduled = false;
    const batch = this._queue;
    this._queue = [];
    if (batch.length === 0) return;
    let outcomes: Outcome[];
    try {
      outcomes = await this._database.write((tx) => this._write(tx, batch));
    } catch (error) {
      // The commit itself failed: nothing of the batch is durable.
      for (const item of batch) item.reject(error);
      return;
    }
    const accounts = new Set<string>();
    batch.forEach((item, index) => {
      const outcome = outcomes[index]!;
      if (outcome.ok) {
        accounts.add(item.request.accountId);
        item.resolve(outcome.change);
      } else item.reject(outcome.error);
    });
    for (const accountId of accounts) this._bus.publish(accountId);
  }

  /**
   * The batch's writes, inside its transaction: the handoffs (see
   * {@link _insert}), then the events of those that succeeded, numbered last:
   * one head row update per account, accounts in sorted order (the one lock
   * order, so two writers taking several heads cannot deadlock once writers
   * are concurrent). The updates are issued together: on PostgreSQL they are
   * pipelined on the one connection, which runs them in that order.
   */
  private async _write(tx: Tx, batch: Pending[]): Promise<Outcome[]> {
    const results = await this._insert(tx, batch);
    const outcomes: Outcome[] = [];
    const written = new Map<string, { index: number; insertion: Insertion }[]>();
    results.forEach((result, index) => {
      if (!result.ok) return void (outcomes[index] = result);
      const accountId = batch[index]!.request.accountId;
      let creates = written.get(accountId);
      if (!creates) written.set(accountId, (creates = []));
      creates.push({ index, insertion: result.insertion });
    });
    const accounts = [...written.keys()].sort();
    const numbered = await Promise.all(
      accounts.map((accountId) =>
        appendEvents(
          tx.hot,
          accountId,
          written.get(accountId)!.map(({ insertion }) => insertion.event),
        ),
      ),
    );
    accounts.forEach((accountId, a) => {
      written.get(accountId)!.forEach(({ index, insertion }, n) => {
        outcomes[index] = { ok: true, change: { handoff: insertion.handoff, eventSeq: numbered[a]![n]! } };
      });
    });
    return outcomes;
  }

  /**
   * Writes the batch's handoffs, in request order. Creates without an
   * Idempotency-Key go together in one savepoint ({@link insertHandoffBatch}:
   * a few statements for the whole batch); should that fail, it rolls back
   * and they go one savepoint each like the keyed ones, so only the failing
   * create fails (and a key taken fails only its own create).
   */
  private async _insert(tx: Tx, batch: Pending[]): Promise<Written[]> {
    const results: Written[] = [];
    const plain = [...batch.keys()].filter((index) => !batch[index]!.request.idempotency);
    if (plain.length > 1) {
      try {
        const insertions = await tx.savepoint((inner) =>
          insertHandoffBatch(
            this._database,
            inner,
            plain.map((index) => batch[index]!.request),
          ),
        );
        plain.forEach((index, n) => (results[index] = { ok: true, insertion: insertions[n]! }));
      } catch {
        // Rolled back to the batch's savepoint: each create goes again below, alone.
      }
    }
    for (const [index, item] of batch.entries()) {
      if (results[index]) continue;
      try {
        const insertion = await tx.savepoint((inner) => insertHandoff(this._database, inner, item.request));
        results[index] = { ok: true, insertion };
      } catch (error) {
        results[index] = { ok: false, error };
      }
    }
    return results;
  }
}
