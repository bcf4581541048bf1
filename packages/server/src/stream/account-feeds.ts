import type { Logger } from 'pino';
import type { Bus } from '../bus.js';
import type { Database } from '../db/database.js';
import { allEventsAfter } from '../domain/events.js';
import type { Metrics } from '../metrics/metrics.js';
import type { StreamConnection } from './connection.js';
import { deliver } from './delivery.js';

/** Events read per page when delivering. */
export const PAGE = 500;

/** How soon a read that met a hole in the numbers is repeated (its writer is about to commit). */
const HOLE_RETRY_MS = 5;
/** How soon a read that failed is repeated: the database is away (a restart, a failover). */
const FAILED_RETRY_MS = 250;

interface AccountFeed {
  connections: Set<StreamConnection>;
  unsubscribe: () => void;
  /** A delivery read is in flight: one at a time per account, so none writes an event twice. */
  delivering: boolean;
  /** A wake-up came during that read: read again when it is done. */
  again: boolean;
}

/**
 * The live connections of each account and the delivery of what is new to
 * them. The events table is the truth: a wake-up from the bus reads what is new
 * for the account once, encodes each event once and writes the same bytes to
 * every live connection of that account. Reads are async, so deliveries are
 * single-flight per account; wake-ups in one turn of the event loop are
 * coalesced into one read per account.
 */
export class AccountFeeds {
  private readonly _accounts = new Map<string, AccountFeed>();
  private readonly _pending = new Set<string>();
  private _flushScheduled = false;
  /** performance.now() of a flush's first wake-up: right after its commit. */
  private _wokenAt = 0;

  constructor(
    private readonly _options: { database: Database; bus: Bus; logger: Logger; metrics: Metrics },
  ) {}

  /** Registers a connection (subscribing to its account's wake-ups with the first one). */
  add(connection: StreamConnection): void {
    const accountId = connection.accountId;
    let account = this._accounts.get(accountId);
    if (!account) {
      account = {
        connections: new Set(),
        unsubscribe: this._options.bus.subscribe(accountId, () => this.schedule(accountId)),
        delivering: false,
        again: false,
      };
      this._accounts.set(accountId, account);
    }
    account.connections.add(connection);
  }

  /** Unregisters a connection; false when it was not registered. */
  remove(connection: StreamConnection): boolean {
    const account = this._accounts.get(connection.accountId);
    if (!account || !account.connections.delete(connection)) return false;
    if (account.connections.size === 0) {
      account.unsubscribe();
      this._accounts.delete(connection.accountId);
    }
    return true;
  }

  /** Every registered connection. */
  *connections(): Generator<StreamConnection> {
    for (const account of this._accounts.values()) yield* account.connections;
  }

  /** Forgets every connection and wake-up subscription (shutdown). */
  clear(): void {
    for (const account of this._accounts.values()) account.unsubscribe();
    this._accounts.clear();
  }

  /** Asks for a delivery to the account's live connections, coalesced with others this tick. */
  schedule(accountId: string): void {
    this._pending.add(accountId);
    if (this._flushScheduled) return;
    this._flushScheduled = true;
    this._wokenAt = performance.now();
    setImmediate(() => {
      this._flushScheduled = false;
      const accounts = [...this._pending];
      this._pending.clear();
      for (const id of accounts) void this._deliver(id, this._wokenAt);
    });
  }

  /** Reads what is new for the account once and writes it to each live connection. */
  private async _deliver(accountId: string, wokenAt: number): Promise<void> {
    const account = this._accounts.get(accountId);
    if (!account) return;
    if (account.delivering) {
      account.again = true;
      return;
    }
    const live = [...account.connections].filter((connection) => connection.live && !connection.closed);
    if (live.length === 0) return;
    const from = Math.min(...live.map((connection) => connection.cursor));
    account.delivering = true;
    let retryMs = 0;
    try {
      const rows = await allEventsAfter(this._options.database, accountId, from, PAGE);
      const { deliveries, hole } = deliver(live, rows, from);
      // A read that found nothing new (the extra one after a catch-up, say) is no fan-out.
      if (deliveries > 0) this._options.metrics.fannedOut(deliveries, wokenAt);
      if (hole) retryMs = HOLE_RETRY_MS;
    } catch (error) {
      // The database is unreachable for now: read again shortly (and at the next wake-up).
      this._options.logger.warn({ account: accountId, err: (error as Error).message }, 'stream read failed');
      retryMs = FAILED_RETRY_MS;
    } finally {
      account.delivering = false;
    }
    if (account.again) {
      account.again = false;
      this.schedule(accountId);
    } else if (retryMs > 0) {
      setTimeout(() => this.schedule(accountId), retryMs).unref();
    }
  }
}
