import type { Writable } from 'node:stream';
import type { Logger } from 'pino';
import { normaliseAccountId } from '../account-id.js';
import type { Principal } from '../auth/permissions.js';
import type { Bus } from '../bus.js';
import type { Clock } from '../clock.js';
import type { Database } from '../db/database.js';
import type { CutReason, Metrics } from '../metrics/metrics.js';
import { AccountFeeds, PAGE } from './account-feeds.js';
import { StreamConnection, type StreamResponse } from './connection.js';
import type { LastEventId } from './event-id.js';
import { replay } from './replay.js';
import { RESET_REASONS } from './reset-reasons.js';
import { resumePoint, type ResumePoint } from './resume-point.js';
import {
  eventStreamHeaders,
  encodeComment,
  encodeControl,
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

/** Why the hub would not open a stream, and how long the client should wait before trying again. */
export interface StreamRefusal {
  message: string;
  retryAfterSeconds: number;
}

const SHUTTING_DOWN: StreamRefusal = {
  message: 'The server is shutting down; retry shortly',
  retryAfterSeconds: 2,
};

/**
 * Every open stream of this process: opening (quota, resume point, replay),
 * heartbeats, cutting slow clients, shutdown. Delivery of live events is
 * {@link AccountFeeds}'. A connection that finishes its catch-up gets one more
 * delivery, so a wake-up that came during the catch-up is not lost. Nothing
 * holds a database handle between wake-ups.
 */
export class StreamHub {
  private readonly _feeds: AccountFeeds;
  private readonly _quota: StreamQuota;
  private readonly _timers: NodeJS.Timeout[];
  private _opening = 0;
  private _closed = false;

  constructor(private readonly _options: StreamHubOptions) {
    this._quota = new StreamQuota(_options.maxPerUser);
    this._feeds = new AccountFeeds(_options);
    const heartbeat = setInterval(() => this._broadcast(encodeComment('heartbeat')), _options.heartbeatMs);
    const sweep = setInterval(() => this._cutStalled(), Math.min(1000, _options.slowClientMs / 2));
    heartbeat.unref();
    sweep.unref();
    this._timers = [heartbeat, sweep];
  }

  /** Open streams in this process, those still reading where they start included. */
  get size(): number {
    return [...this._feeds.connections()].length + this._opening;
  }

  /**
   * Takes over `response` as an event stream for the principal's account:
   * where it starts is read first, then headers and a comment, replay after
   * `lastEventId`, then the live tail. The comment comes after that read on
   * purpose: a client that has it is registered, so every event committed
   * after it reaches the client.
   *
   * @returns undefined once the stream is open; a refusal, with `response` left
   *   untouched, while shutting down or when the user already holds the most
   *   streams allowed.
   * @throws when the database cannot be read (`response` left untouched).
   */
  async open(
    response: StreamResponse,
    principal: Principal,
    lastEventId: LastEventId | null,
    headers: Record<string, string>,
  ): Promise<StreamRefusal | undefined> {
    if (this._closed) return SHUTTING_DOWN;
    if (!this._quota.allows(principal.rateKey)) {
      return { message: `At most ${this._quota.max} streams per user`, retryAfterSeconds: 5 };
    }
    const accountId = normaliseAccountId(principal.accountId);
    // Held while the start is read, so concurrent opens cannot pass the limit together.
    this._quota.add(principal.rateKey);
    this._opening += 1;
    let gone = false;
    const onGone = () => (gone = true);
    response.once('close', onGone);
    let start: ResumePoint;
    try {
      start = await resumePoint(this._options.database, accountId, lastEventId);
    } catch (error) {
      this._quota.remove(principal.rateKey);
      throw error;
    } finally {
      this._opening -= 1;
      response.off('close', onGone);
    }
    if (this._closed || gone) {
      this._quota.remove(principal.rateKey);
      return SHUTTING_DOWN;
    }
    const { epoch, cursor, lost } = start;
    response.writeHead(200, { ...headers, ...eventStreamHeaders(response.req.httpVersionMajor) });
    response.socket?.setNoDelay(true);
    (response as Writable).write(encodeComment('connected'));
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
    this._feeds.add(connection);
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
    void replay(this._options.database, connection, PAGE, this._options.metrics).then(
      () => {
        if (connection.live) this._feeds.schedule(accountId);
      },
      (error: unknown) => {
        // The database went away mid-replay: the client reconnects with its Last-Event-ID.
        this._options.logger.warn(
          { account: accountId, err: (error as Error).message },
          'stream replay failed',
        );
        connection.close(encodeRetry(2000));
      },
    );
    return undefined;
  }

  /** Sends `retry` and closes every stream (graceful shutdown); clients reconnect elsewhere or later. */
  close(retryMs = 1000): void {
    this._closed = true;
    for (const timer of this._timers) clearInterval(timer);
    for (const connection of this._feeds.connections()) {
      connection.close(encodeRetry(retryMs) + encodeComment('server restarting'));
    }
    this._feeds.clear();
    this._quota.clear();
  }

  private _remove(connection: StreamConnection): void {
    connection.closed = true;
    if (this._feeds.remove(connection)) this._quota.remove(connection.userKey);
  }

  private _broadcast(frame: string): void {
    const bytes = Buffer.from(frame);
    for (const connection of this._feeds.connections()) connection.write(bytes);
  }

  /** Cuts clients whose socket has not drained for longer than the limit. */
  private _cutStalled(): void {
    const now = Date.now();
    for (const connection of this._feeds.connections()) {
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
