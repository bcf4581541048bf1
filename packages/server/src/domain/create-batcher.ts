import type { Bus } from '../bus.js';
import type { Database, Tx } from '../db/database.js';
import { appendEvents } from './events.js';
import { insertHandoff, type Change, type CreateRequest, type Insertion } from './handoffs.js';

interface Pending {
  request: CreateRequest;
  resolve(change: Change): void;
  reject(error: unknown): void;
}

type Outcome = { ok: true; change: Change } | { ok: false; error: unknown };

/**
 * Group commit for creates. Creates that arrive in the same turn of the event
 * loop share one `BEGIN IMMEDIATE` transaction and so one fsync; each request
 * is answered only after that commit, so a 201 still means durable. Each create
 * runs in its own savepoint: one failing create rolls back alone.
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
   * The batch's writes, inside its transaction: every handoff in its savepoint,
   * then the events of those that succeeded, numbered last: one head row update
   * per account, accounts in sorted order (the one lock order, so two writers
   * taking several heads cannot deadlock once writers are concurrent).
   */
  private async _write(tx: Tx, batch: Pending[]): Promise<Outcome[]> {
    const outcomes: Outcome[] = [];
    const written = new Map<string, { index: number; insertion: Insertion }[]>();
    for (const [index, item] of batch.entries()) {
      try {
        const insertion = await tx.savepoint((inner) => insertHandoff(this._database, inner, item.request));
        const accountId = item.request.accountId;
        let creates = written.get(accountId);
        if (!creates) written.set(accountId, (creates = []));
        creates.push({ index, insertion });
        outcomes[index] = { ok: true, change: { handoff: insertion.handoff, eventSeq: null } };
      } catch (error) {
        outcomes[index] = { ok: false, error };
      }
    }
    for (const accountId of [...written.keys()].sort()) {
      const creates = written.get(accountId)!;
      const seqs = await appendEvents(
        tx.hot,
        accountId,
        creates.map(({ insertion }) => insertion.event),
      );
      creates.forEach(({ index, insertion }, n) => {
        outcomes[index] = { ok: true, change: { handoff: insertion.handoff, eventSeq: seqs[n]! } };
      });
    }
    return outcomes;
  }
}
