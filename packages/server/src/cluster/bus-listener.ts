import type { Logger } from 'pino';
import type postgres from 'postgres';
import { connectPostgres, type PostgresTarget } from '../db/postgres/postgres-database.js';
import { CHANNEL, heartbeatPayload, parseNotice, type Notice } from './notify-payload.js';

/** How the listener keeps itself honest. */
export interface ListenerTiming {
  /** How often a heartbeat is sent to ourselves through the pool. */
  heartbeatMs: number;
  /** How long a heartbeat may take to come back before the connection is recycled. */
  heartbeatTimeoutMs: number;
}

/** What the listener tells its owner. */
export interface ListenerEvents {
  /** Another instance says these accounts have new events. */
  onEvents(accounts: string[]): void;
  /** Listening again after a (re)connect: anything sent meanwhile is lost, so catch up everything. */
  onListening(reconnect: boolean): void;
  /** The connection stopped answering: wake-ups now come only from the poll until `onListening`. */
  onLost(): void;
}

/**
 * One dedicated connection per instance that LISTENs on the bus channel
 * (never through a transaction-mode pooler: LISTEN needs a session). postgres.js
 * re-listens by itself when the connection drops, but gives up silently if the
 * database is still down at that moment; so a heartbeat sent to ourselves
 * through the pool must come back within `heartbeatTimeoutMs`, or the
 * connection is thrown away and a new one made. The connection is named
 * `rf-listener-<instance>` (visible in pg_stat_activity) and uses TCP keepalive.
 */
export class BusListener {
  private _sql: postgres.Sql | undefined;
  private _timer: NodeJS.Timeout | undefined;
  private _beat = 0;
  private _heard = 0;
  /** Resolves the wait of the heartbeat in flight when it comes back. */
  private _cameBack: ((beat: number) => void) | undefined;
  private _listenedOnce = false;
  private _up = false;
  private _closed = false;

  constructor(
    private readonly _options: {
      target: PostgresTarget;
      instance: string;
      /** The pool the heartbeat goes out through (so it proves the server relays to us). */
      pool: postgres.Sql;
      timing: ListenerTiming;
      logger: Logger;
      events: ListenerEvents;
    },
  ) {}

  /** Connects and starts the heartbeat; a failure to connect is retried at each heartbeat. */
  async start(): Promise<void> {
    await this._connect().catch((error: unknown) => this._lost(error));
    this._schedule();
  }

  /** Stops listening and closes the connection. */
  async close(): Promise<void> {
    this._closed = true;
    clearTimeout(this._timer);
    await this._sql?.end({ timeout: 0 });
    this._sql = undefined;
  }

  private async _connect(): Promise<void> {
    const { target, instance } = this._options;
    const sql = connectPostgres(target, 1, `rf-listener-${instance}`.slice(0, 63), {
      connect_timeout: 5,
      keep_alive: 15,
    });
    this._sql = sql;
    try {
      await this._listen(sql);
    } catch (error) {
      this._sql = undefined;
      await sql.end({ timeout: 0 });
      throw error;
    }
  }

  private async _listen(sql: postgres.Sql): Promise<void> {
    await sql.listen(
      CHANNEL,
      (payload) => this._received(parseNotice(payload)),
      () => {
        // Called after every LISTEN, including postgres.js's own re-listen after a drop.
        if (this._sql !== sql || this._closed) return;
        const reconnect = this._listenedOnce;
        this._listenedOnce = true;
        this._up = true;
        this._options.events.onListening(reconnect);
      },
    );
  }

  private _received(notice: Notice | undefined): void {
    if (!notice) return;
    if (notice.kind === 'heartbeat') {
      if (notice.instance !== this._options.instance) return;
      this._heard = Math.max(this._heard, notice.beat);
      this._cameBack?.(this._heard);
      return;
    }
    if (notice.instance !== this._options.instance) this._options.events.onEvents(notice.accounts);
  }

  private _schedule(): void {
    if (this._closed) return;
    this._timer = setTimeout(() => void this._check(), this._options.timing.heartbeatMs);
    this._timer.unref();
  }

  /** Sends a heartbeat and recycles the connection when it does not come back in time. */
  private async _check(): Promise<void> {
    const { pool, instance, timing } = this._options;
    if (!this._sql) {
      await this._recycle();
      return this._schedule();
    }
    const beat = ++this._beat;
    let timer: NodeJS.Timeout | undefined;
    const cameBack = new Promise<void>((resolve) => {
      this._cameBack = (heard) => heard >= beat && resolve();
      timer = setTimeout(resolve, timing.heartbeatTimeoutMs);
    });
    try {
      await pool`SELECT pg_notify(${CHANNEL}, ${heartbeatPayload(instance, beat)})`;
      await cameBack;
    } catch {
      // The pool cannot reach the database either; the listener is as good as lost.
    } finally {
      clearTimeout(timer);
      this._cameBack = undefined;
    }
    if (this._heard < beat) await this._recycle();
    this._schedule();
  }

  /** Only ever from `_check`, which never overlaps itself (each is scheduled after the last). */
  private async _recycle(): Promise<void> {
    if (this._closed) return;
    this._lost(new Error('heartbeat did not come back'));
    const old = this._sql;
    this._sql = undefined;
    try {
      await old?.end({ timeout: 0 });
      await this._connect();
    } catch (error) {
      this._options.logger.warn({ err: (error as Error).message }, 'bus listener could not reconnect');
    }
  }

  private _lost(error: unknown): void {
    if (this._up) this._options.logger.warn({ err: (error as Error).message }, 'bus listener lost');
    this._up = false;
    this._options.events.onLost();
  }
}
