import type { Writable } from 'node:stream';
import type { Logger } from 'pino';
import { normaliseAccountId } from '../account-id.js';
import type { Principal } from '../auth/permissions.js';
import type { Bus } from '../bus.js';
import type { Clock } from '../clock.js';
import type { Database } from '../db/database.js';
import { allEventsAfter } from '../domain/events.js';
import type { CutReason, Metrics } from '../metrics/metrics.js';
import { StreamConnection, type StreamResponse } from './connection.js';
import { formatEventId, type LastEventId } from './event-id.js';
import { replay } from './replay.js';
import { RESET_REASONS } from './reset-reasons.js';
import { resumePoint } from './resume-point.js';
import {
  eventStreamHeaders,
  encodeComment,
  encodeControl,
  encodeEvent,
  encodeResumePoint,
  encodeRetry,
} from './sse-encoding.js';
import { StreamQuota } from './stream-quota.js';

/** Limits and timings of the live stream. */
export interface StreamHubOptions {
  database: Database;
  bus: Bus;
  /** Decides token expiry; stalls are measured in real time. */
  clock: Clock;
  logger: Logger;
  /** How often every stream gets a comment, so proxies and the client's watchdog see it alive. */
  heartbeatMs: number;
  /** How long a socket may refuse to drain before its client is cut. */
  slowClientMs: number;
  /** Bytes that may pile up behind a client that is not reading before it is cut. */
  bufferBytes: number;
  /** Streams one user may hold open at once. */
  maxPerUser: number;
  /** Told of cuts, replays and each fan-out. */
  metrics: Metrics;
}

const PAGE = 500;

/** Why the hub would not open a stream, and how long the client should wait before trying again. */
export interface StreamRefusal {
  message: string;
  retryAfterSeconds: number;
}

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
  private readonly _quota: StreamQuota;
  private readonly _timers: NodeJS.Timeout[];
  private _flushScheduled = false;
  private _wokenAt = 0; // performance.now() of the flush's first wake-up: right after its commit
  private _closed = false;

  constructor(private readonly _options: StreamHubOptions) {
    this._quota = new StreamQuota(_options.maxPerUser);
    const heartbeat = setInterval(() => this._broadcast(encodeComment('heartbeat')), _options.heartbeatMs);
    const sweep = setInterval(() => this._cutStalled(), Math.min(1000, _options.slowClientMs / 2));
    heartbeat.unref();
    sweep.unref();
    this._timers = [heartbeat, sweep];
  }

  /** Open streams in this process. */
  get size(): number {
    return [...this._connections()].length;
  }

  /**
   * Takes over `response` as an event stream for the principal's account:
   * headers and a comment at once, replay after `lastEventId`, then the live tail.
   *
   * @returns undefined once the stream is open; a refusal, with `response` left
   *   untouched, while shutting down or when the user already holds the most
   *   streams allowed.
   */
  open(
    response: StreamResponse,
    principal: Principal,
    lastEventId: LastEventId | null,
    headers: Record<string, string>,
  ): StreamRefusal | undefined {
    if (this._closed) return { message: 'The server is shutting down; retry shortly', retryAfterSeconds: 2 };
    if (!this._quota.allows(principal.rateKey)) {
      return { message: `At most ${this._quota.max} streams per user`, retryAfterSeconds: 5 };
    }
    const accountId = normaliseAccountId(principal.accountId);

    response.writeHead(200, { ...headers, ...eventStreamHeaders(response.req.httpVersionMajor) });
    response.socket?.setNoDelay(true);
    (response as Writable).write(encodeComment('connected'));

    const { epoch, cursor, lost } = resumePoint(this._options.database, accountId, lastEventId);
    const connection = new StreamConnection(
      accountId,
      principal.rateKey,
      response,
      epoch,
      cursor,
      this._options.bufferBytes,
      (bufferedBytes) => this._reportCut(accountId, 'buffer', bufferedBytes),
    );
    if (lost) connection.write(encodeControl('stream.reset', RESET_REASONS[lost]));
    // A fresh connection learns where it starts, so it can resume even if it drops before any event.
    if (lastEventId === null || lost) connection.write(encodeResumePoint(epoch, cursor));
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
    void replay(this._options.database, connection, PAGE, this._options.metrics);
    return undefined;
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
    this._quota.clear();
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
    this._quota.add(connection.userKey);
  }

  private _remove(connection: StreamConnection): void {
    connection.closed = true;
    const account = this._accounts.get(connection.accountId);
    if (!account || !account.connections.delete(connection)) return;
    this._quota.remove(connection.userKey);
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
    this._wokenAt = performance.now();
    setImmediate(() => {
      this._flushScheduled = false;
      const accounts = [...this._pending];
      this._pending.clear();
      for (const id of accounts) this._deliver(id, this._wokenAt);
    });
  }

  /** Reads what is new for the account once and writes it to each live connection. */
  private _deliver(accountId: string, wokenAt: number): void {
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
    const rows = allEventsAfter(this._options.database, accountId, from, PAGE);
    if (rows.length === 0) return;
    const lastSeq = rows[rows.length - 1]!.seq;
    // Live connections of an account share one cursor almost always, so this encodes each event once.
    const payloads = new Map<string, string>();
    let deliveries = 0;
    for (const connection of live) {
      const key = formatEventId(connection.epoch, connection.cursor);
      let payload = payloads.get(key);
      if (payload === undefined) {
        payload = rows
          .filter((row) => row.seq > connection.cursor)
          .map((row) => encodeEvent(row, connection.epoch))
          .join('');
        payloads.set(key, payload);
      }
      if (payload && connection.write(payload)) deliveries += lastSeq - connection.cursor; // seqs are dense
      connection.cursor = lastSeq;
    }
    this._options.metrics.fannedOut(deliveries, wokenAt);
  }

  private *_connections(): Generator<StreamConnection> {
    for (const account of this._accounts.values()) yield* account.connections;
  }

  private _broadcast(frame: string): void {
    for (const connection of this._connections()) connection.write(frame);
  }

  /** Cuts clients whose socket has not drained for longer than the limit. */
  private _cutStalled(): void {
    const now = Date.now();
    for (const connection of this._connections()) {
      if (connection.stalledSince !== null && now - connection.stalledSince > this._options.slowClientMs) {
        this._reportCut(connection.accountId, 'stalled', connection.buffered);
        connection.close();
      }
    }
  }

  private _reportCut(accountId: string, reason: CutReason, bufferedBytes: number): void {
    this._options.metrics.streamCut(reason);
    this._options.logger.warn({ account: accountId, reason, bufferedBytes }, 'cut a slow stream client');
  }
}
