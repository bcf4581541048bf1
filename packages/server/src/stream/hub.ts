import type { ServerResponse } from 'node:http';
import { eq, max } from 'drizzle-orm';
import type { Logger } from 'pino';
import type { Principal } from '../auth/permissions.js';
import { normaliseAccountId, type Bus } from '../bus.js';
import type { Clock } from '../clock.js';
import type { Database } from '../db/database.js';
import { accountSettings, events } from '../db/schema.js';
import { eventsAfter } from '../domain/events.js';
import { ApiError } from '../http/errors.js';
import { StreamConnection } from './connection.js';
import { encodeComment, encodeControl, encodeEvent, encodeResumePoint, encodeRetry } from './sse-encoding.js';

/** Limits and timings of the live stream. */
export interface StreamHubOptions {
  database: Database;
  bus: Bus;
  /** Decides token expiry; stalls are measured in real time. */
  clock: Clock;
  logger: Logger;
  heartbeatMs: number;
  slowClientMs: number;
  bufferBytes: number;
  maxPerUser: number;
}

const PAGE = 500;

interface AccountStreams {
  connections: Set<StreamConnection>;
  unsubscribe: () => void;
}

/**
 * Every open stream of this process. The events table is the truth: a wake-up
 * from the bus reads what is new for the account once, encodes each event once
 * and writes the same bytes to every live connection of that account. Nothing
 * holds a database handle between wake-ups.
 */
export class StreamHub {
  private readonly _accounts = new Map<string, AccountStreams>();
  private readonly _pending = new Set<string>();
  /** Open streams per user (rate key), for the per-user cap. */
  private readonly _perUser = new Map<string, number>();
  private readonly _timers: NodeJS.Timeout[];
  private _flushScheduled = false;
  private _closed = false;

  constructor(private readonly _options: StreamHubOptions) {
    const heartbeat = setInterval(() => this._broadcast(encodeComment('heartbeat')), _options.heartbeatMs);
    const sweep = setInterval(() => this._cutStalled(), Math.min(1000, _options.slowClientMs / 2));
    heartbeat.unref();
    sweep.unref();
    this._timers = [heartbeat, sweep];
  }

  /** Open streams in this process. */
  get size(): number {
    let total = 0;
    for (const account of this._accounts.values()) total += account.connections.size;
    return total;
  }

  /**
   * Takes over `response` as an event stream for the principal's account:
   * headers and a comment at once, replay after `lastEventId`, then the live tail.
   *
   * @throws ApiError 429 when the user already holds the maximum number of streams.
   */
  open(
    response: ServerResponse,
    principal: Principal,
    lastEventId: number | null,
    headers: Record<string, string>,
  ): void {
    if (this._closed)
      throw new ApiError(429, 'rate_limited', 'The server is shutting down; retry shortly', undefined, {
        'Retry-After': '2',
      });
    const accountId = normaliseAccountId(principal.accountId);
    if ((this._perUser.get(principal.rateKey) ?? 0) >= this._options.maxPerUser) {
      throw new ApiError(
        429,
        'rate_limited',
        `At most ${this._options.maxPerUser} streams per user`,
        undefined,
        {
          'Retry-After': '5',
        },
      );
    }

    response.writeHead(200, {
      ...headers,
      'Content-Type': 'text/event-stream; charset=utf-8',
      'Cache-Control': 'no-cache, no-transform',
      Connection: 'keep-alive',
      'X-Accel-Buffering': 'no',
    });
    response.socket?.setNoDelay(true);
    response.write(encodeComment('connected'));

    const { cursor, reset } = this._startingPoint(accountId, lastEventId);
    const connection = new StreamConnection(
      accountId,
      principal.rateKey,
      response,
      cursor,
      this._options.bufferBytes,
      (bufferedBytes) =>
        this._options.logger.warn(
          { account: accountId, reason: 'buffer', bufferedBytes },
          'cut a slow stream client',
        ),
    );
    if (reset) connection.write(encodeControl('stream.reset', reset));
    // A fresh connection learns where it starts, so it can resume even if it drops before any event.
    if (lastEventId === null || reset) connection.write(encodeResumePoint(cursor));
    this._add(connection);
    response.on('close', () => this._remove(connection));
    if (principal.expiresAt !== null) {
      connection.expireAfter(principal.expiresAt - this._options.clock.now(), () => {
        connection.close(
          encodeControl(
            'stream.expired',
            'The token expired; reconnect with a fresh token and Last-Event-ID',
          ),
        );
      });
    }
    void this._catchUp(connection);
  }

  /** Sends `retry` and closes every stream (graceful shutdown); clients reconnect elsewhere or later. */
  close(retryMs = 1000): void {
    this._closed = true;
    for (const timer of this._timers) clearInterval(timer);
    for (const account of this._accounts.values()) {
      for (const connection of account.connections)
        connection.close(encodeRetry(retryMs) + encodeComment('server restarting'));
      account.unsubscribe();
    }
    this._accounts.clear();
    this._perUser.clear();
  }

  /** Where a new connection starts, and why it must refetch instead when it cannot resume. */
  private _startingPoint(accountId: string, lastEventId: number | null): { cursor: number; reset?: string } {
    const { db } = this._options.database;
    const tail =
      db
        .select({ seq: max(events.seq) })
        .from(events)
        .where(eq(events.accountId, accountId))
        .get()?.seq ?? 0;
    if (lastEventId === null) return { cursor: tail };
    const newest =
      db
        .select({ seq: max(events.seq) })
        .from(events)
        .get()?.seq ?? 0;
    const pruned =
      db
        .select({ through: accountSettings.eventsPrunedThrough })
        .from(accountSettings)
        .where(eq(accountSettings.accountId, accountId))
        .get()?.through ?? 0;
    if (lastEventId < pruned)
      return { cursor: tail, reset: 'Events after your Last-Event-ID are no longer retained' };
    if (lastEventId > newest) return { cursor: tail, reset: 'Your Last-Event-ID is unknown to this server' };
    return { cursor: lastEventId };
  }

  /** Replays history a page per write, waiting for the client to drain between pages. */
  private async _catchUp(connection: StreamConnection): Promise<void> {
    for (;;) {
      const rows = eventsAfter(this._options.database, connection.accountId, connection.cursor, PAGE);
      const last = rows.at(-1);
      if (last) {
        if (!connection.write(rows.map(encodeEvent).join(''))) return;
        connection.cursor = last.seq;
      }
      if (rows.length < PAGE) {
        // Same tick as the last read: no event can slip between replay and live.
        connection.live = true;
        return;
      }
      if (connection.stalledSince !== null) {
        await new Promise<void>((resolve) => {
          connection.response.once('drain', resolve);
          connection.response.once('close', resolve);
        });
        if (connection.closed) return;
      }
    }
  }

  private _add(connection: StreamConnection): void {
    let account = this._accounts.get(connection.accountId);
    if (!account) {
      const accountId = connection.accountId;
      account = {
        connections: new Set(),
        unsubscribe: this._options.bus.subscribe(accountId, () => this._schedule(accountId)),
      };
      this._accounts.set(accountId, account);
    }
    account.connections.add(connection);
    this._perUser.set(connection.userKey, (this._perUser.get(connection.userKey) ?? 0) + 1);
  }

  private _remove(connection: StreamConnection): void {
    connection.closed = true;
    const account = this._accounts.get(connection.accountId);
    if (!account || !account.connections.delete(connection)) return;
    const remaining = (this._perUser.get(connection.userKey) ?? 1) - 1;
    if (remaining > 0) this._perUser.set(connection.userKey, remaining);
    else this._perUser.delete(connection.userKey);
    if (account.connections.size === 0) {
      account.unsubscribe();
      this._accounts.delete(connection.accountId);
    }
  }

  /** Coalesces wake-ups: a burst of creates costs one read per account. */
  private _schedule(accountId: string): void {
    this._pending.add(accountId);
    if (this._flushScheduled) return;
    this._flushScheduled = true;
    setImmediate(() => {
      this._flushScheduled = false;
      const accounts = [...this._pending];
      this._pending.clear();
      for (const id of accounts) this._deliver(id);
    });
  }

  /** Reads what is new for the account once and writes it to each live connection. */
  private _deliver(accountId: string): void {
    const account = this._accounts.get(accountId);
    if (!account) return;
    const live: StreamConnection[] = [];
    let from = Infinity;
    for (const connection of account.connections) {
      if (!connection.live || connection.closed) continue;
      live.push(connection);
      if (connection.cursor < from) from = connection.cursor;
    }
    if (live.length === 0) return;
    const rows = [];
    for (let page = eventsAfter(this._options.database, accountId, from, PAGE); ;) {
      rows.push(...page);
      const last = page.at(-1);
      if (page.length < PAGE || !last) break;
      page = eventsAfter(this._options.database, accountId, last.seq, PAGE);
    }
    if (rows.length === 0) return;
    const frames = rows.map((row) => ({ seq: row.seq, frame: encodeEvent(row) }));
    const lastSeq = frames[frames.length - 1]!.seq;
    const byCursor = new Map<number, string>();
    for (const connection of live) {
      let payload = byCursor.get(connection.cursor);
      if (payload === undefined) {
        payload = frames
          .filter((f) => f.seq > connection.cursor)
          .map((f) => f.frame)
          .join('');
        byCursor.set(connection.cursor, payload);
      }
      if (payload) connection.write(payload);
      connection.cursor = lastSeq;
    }
  }

  private _broadcast(frame: string): void {
    for (const account of this._accounts.values()) {
      for (const connection of account.connections) connection.write(frame);
    }
  }

  /** Cuts clients whose socket has not drained for longer than the limit. */
  private _cutStalled(): void {
    const now = Date.now();
    for (const account of this._accounts.values()) {
      for (const connection of account.connections) {
        if (connection.stalledSince !== null && now - connection.stalledSince > this._options.slowClientMs) {
          this._options.logger.warn(
            { account: connection.accountId, reason: 'stalled', bufferedBytes: connection.buffered },
            'cut a slow stream client',
          );
          connection.close();
        }
      }
    }
  }
}
