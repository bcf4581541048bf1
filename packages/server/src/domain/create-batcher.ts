import type { Bus } from '../bus.js';
import { NothingWritten, type Database, type Tx } from '../db/database.js';
import { appendEvents } from './events.js';
import { writeCreateBatch } from './batch-insert.js';
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
 * loop share one write and so one commit flush ({@link Database.writeCreates}:
 * one statement on PostgreSQL, one `BEGIN IMMEDIATE` transaction on SQLite);
 * each request is answered only after that commit, so a 201 still means
 * durable. Creates with an `Idempotency-Key`, and a whole batch that was
 * refused, go one savepoint each so a failing create fails alone (see
 * {@link CreateBatcher._insert}); a batch whose commit failed is never redone.
 */
export class CreateBatcher {
  private _queue: Pending[] = [];
  private _scheduled = false;
  private _writing = 0;

  /**
   * `_maxWriting`: batches written at once. Creates that arrive while every
   * slot is taken wait for the next batch, so under load batches grow instead
   * of multiplying: on PostgreSQL one account's batches take its head row one
   * after the other, each through its commit flush, so more of them at once
   * only queue on that lock (measured in docs/performance.md).
   */
  constructor(
    private readonly _database: Database,
    private readonly _bus: Bus,
    private readonly _maxBatch = 256,
    private readonly _maxWriting = 2,
  ) {}

  /** Resolves with the created handoff once its transaction has committed. */
  create(request: CreateRequest): Promise<Change> {
    return new Promise((resolve, reject) => {
      this._queue.push({ request, resolve, reject });
      this._schedule();
    });
  }

  /** Flushes on the next turn of the event loop, unless one is due or every slot is taken. */
  private _schedule(): void {
    if (this._scheduled || this._writing >= this._maxWriting) return;
    this._scheduled = true;
    setImmediate(() => void this._flush());
  }

  private async _flush(): Promise<void> {
    this._scheduled = false;
    const batch = this._queue.splice(0, this._maxBatch);
    if (batch.length === 0) return;
    this._writing++;
    if (this._queue.length > 0) this._schedule();
    try {
      await this._writeBatch(batch);
    } finally {
      this._writing--;
      // What waited for this slot goes now, as one batch.
      if (this._queue.length > 0) this._schedule();
    }
  }

  private async _writeBatch(batch: Pending[]): Promise<void> {
    const plain = batch.filter((item) => !item.request.idempotency);
    let alone = batch.filter((item) => item.request.idempotency);
    if (plain.length > 0) {
      try {
        const changes = await writeCreateBatch(
          this._database,
          plain.map((item) => item.request),
        );
        plain.forEach((item, n) => item.resolve(changes[n]!));
        this._publish(plain);
      } catch (error) {
        // Refused, so nothing of it committed: every create goes again below, alone.
        if (error instanceof NothingWritten) alone = batch;
        // Perhaps committed (a failed COMMIT): redoing could write a create twice.
        else for (const item of plain) item.reject(error);
      }
    }
    if (alone.length > 0) await this._writeAlone(alone);
  }

  /** Creates one savepoint each in one transaction (see {@link _write}), answered after its commit. */
  private async _writeAlone(batch: Pending[]): Promise<void> {
    let outcomes: Outcome[];
    try {
      outcomes = await this._database.write((tx) => this._write(tx, batch));
    } catch (error) {
      // The commit itself failed: nothing of the batch is durable.
      for (const item of batch) item.reject(error);
      return;
    }
    const created: Pending[] = [];
    batch.forEach((item, index) => {
      const outcome = outcomes[index]!;
      if (outcome.ok) {
        created.push(item);
        item.resolve(outcome.change);
      } else item.reject(outcome.error);
    });
    this._publish(created);
  }

  /** Wakes the streams of the accounts that have new events. */
  private _publish(created: readonly Pending[]): void {
    for (const accountId of new Set(created.map((item) => item.request.accountId))) {
      this._bus.publish(accountId);
    }
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
   * Writes the handoffs, in request order, one savepoint each, so only a
   * failing create fails (and a key taken fails only its own create).
   */
  private async _insert(tx: Tx, batch: Pending[]): Promise<Written[]> {
    const results: Written[] = [];
    for (const item of batch) {
      try {
        const insertion = await tx.savepoint((inner) => insertHandoff(this._database, inner, item.request));
        results.push({ ok: true, insertion });
      } catch (error) {
        results.push({ ok: false, error });
      }
    }
    return results;
  }
}
