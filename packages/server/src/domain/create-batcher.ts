import type { Bus } from '../bus.js';
import type { Database } from '../db/database.js';
import { insertHandoff, type Change, type CreateRequest } from './handoffs.js';

interface Pending {
  request: CreateRequest;
  resolve(change: Change): void;
  reject(error: unknown): void;
}

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
      if (this._queue.length >= this._maxBatch) this._flush();
      else if (!this._scheduled) {
        this._scheduled = true;
        setImmediate(() => this._flush());
      }
    });
  }

  private _flush(): void {
    this._scheduled = false;
    const batch = this._queue;
    this._queue = [];
    if (batch.length === 0) return;
    const outcomes: ({ ok: true; change: Change } | { ok: false; error: unknown })[] = [];
    const savepoint = this._database.sqlite.transaction((request: CreateRequest) =>
      insertHandoff(this._database, request),
    );
    try {
      this._database.write(() => {
        for (const item of batch) {
          try {
            outcomes.push({ ok: true, change: savepoint(item.request) });
          } catch (error) {
            outcomes.push({ ok: false, error });
          }
        }
      });
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
}
