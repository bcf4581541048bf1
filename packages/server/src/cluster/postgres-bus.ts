import type { Logger } from 'pino';
import type postgres from 'postgres';
import { normaliseAccountId } from '../account-id.js';
import { InProcessBus, type Bus } from '../bus.js';
import type { PostgresTarget } from '../db/postgres/postgres-database.js';
import type { Metrics } from '../metrics/metrics.js';
import { BusListener, type ListenerTiming } from './bus-listener.js';
import { HeadPoller } from './head-poller.js';
import { CHANNEL, eventsPayloads } from './notify-payload.js';

/** How the bus behaves; the defaults are DESIGN §10's. */
export interface PostgresBusOptions extends ListenerTiming {
  /** Names this instance in payloads and in the listener's application_name. */
  instance: string;
  /** How often the account heads are polled, the fallback for lost notifications. */
  pollMs: number;
  /** False: no LISTEN/NOTIFY at all, wake-ups from other instances come from the poll only. */
  listen: boolean;
}

/**
 * The bus of N instances on one PostgreSQL. Local subscribers are woken at
 * once, in-process. Other instances learn of new events in three ways, each
 * enough on its own to deliver eventually, so a lost notification only delays:
 * - one coalesced `NOTIFY` per event-loop tick, sent after the commit through the
 *   pool (never inside the write transaction, which would serialise every
 *   commit on PostgreSQL's notify lock);
 * - on every (re)connect of the listener, a wake-up of every account with local
 *   subscribers (anything notified while it was away is gone);
 * - a poll of the heads of those accounts every `pollMs`.
 */
export class PostgresBus implements Bus {
  private readonly _local = new InProcessBus();
  private readonly _pending = new Set<string>();
  private _flushScheduled = false;
  /** The notifications being sent, awaited by `close()`. */
  private _flushing: Promise<void> = Promise.resolve();
  private _closed = false;
  private readonly _listener: BusListener | undefined;
  private readonly _poller: HeadPoller;

  constructor(
    private readonly _options: PostgresBusOptions & {
      target: PostgresTarget;
      pool: postgres.Sql;
      logger: Logger;
      metrics: Metrics;
    },
  ) {
    const { pool, logger, metrics } = _options;
    this._poller = new HeadPoller({
      pool,
      intervalMs: _options.pollMs,
      accounts: () => this._local.accounts(),
      changed: (accountId) => this._local.publish(accountId),
      logger,
    });
    if (_options.listen) {
      this._listener = new BusListener({
        target: _options.target,
        instance: _options.instance,
        pool,
        timing: _options,
        logger,
        events: {
          onEvents: (accounts) => {
            for (const accountId of accounts) this._local.publish(accountId);
          },
          onListening: (reconnect) => {
            metrics.listenerUp(true);
            if (reconnect) {
              metrics.listenerReconnected();
              logger.info({ accounts: this._local.accountCount }, 'bus listener reconnected: catching up');
            }
            for (const accountId of this._local.accounts()) this._local.publish(accountId);
          },
          onLost: () => metrics.listenerUp(false),
        },
      });
    }
  }

  /** Starts listening and polling. */
  async start(): Promise<void> {
    await this._listener?.start();
    this._poller.start();
  }

  publish(accountId: string): void {
    this._local.publish(accountId);
    // After close (a request that committed as the server stopped), the others' poll covers it.
    if (!this._listener || this._closed) return;
    this._pending.add(normaliseAccountId(accountId));
    if (this._flushScheduled) return;
    this._flushScheduled = true;
    setImmediate(() => (this._flushing = this._flushing.then(() => this._flush())));
  }

  subscribe(accountId: string, listener: () => void): () => void {
    return this._local.subscribe(accountId, listener);
  }

  /** Sends what is queued, then stops listening and polling. */
  async close(): Promise<void> {
    this._closed = true;
    if (this._flushScheduled) await this._flush();
    await this._flushing;
    this._poller.stop();
    await this._listener?.close();
  }

  /** Sends this tick's accounts in as few notifications as fit. */
  private async _flush(): Promise<void> {
    this._flushScheduled = false;
    const accounts = [...this._pending];
    this._pending.clear();
    for (const payload of eventsPayloads(this._options.instance, accounts)) {
      try {
        await this._options.pool`SELECT pg_notify(${CHANNEL}, ${payload})`;
      } catch (error) {
        // The others' poll picks these accounts up within pollMs.
        this._options.logger.warn({ err: (error as Error).message }, 'bus notify failed');
      }
    }
  }
}
