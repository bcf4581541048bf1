import { ApiError } from './api-error.js';
import { readEventStream, type StreamMessage } from './event-stream.js';
import { ReconnectPolicy } from './reconnect-policy.js';
import type { TokenSource } from './tokens.js';
import { Watchdog } from './watchdog.js';

/** What a reader asks of the connection it reads for, and tells it. */
export interface StreamReport {
  /** The token source to open with (the oldest subscriber's); none once everyone left. */
  tokens(): TokenSource | undefined;
  /** The id to resume from, sent as `Last-Event-ID`. */
  resumeFrom(): string | null;
  /** The stream opened; `resumed` when it picked up from `Last-Event-ID`. */
  opened(resumed: boolean): void;
  /** An attempt failed, or the stream closed or went silent: the status until the next attempt. */
  failed(status: 'reconnecting' | 'offline'): void;
  /** The server refused the stream (401 after a token refresh, 403), or there was no token to be had. */
  refused(error: ApiError): void;
  /** Every message but those the reader acts on itself (`retry:`, `stream.expired`). */
  message(message: StreamMessage): void;
}

/** A refused or failed open. `fatal` ones are not retried. */
class OpenError extends ApiError {
  constructor(
    error: ApiError,
    readonly retryAfterMs = 0,
  ) {
    super(error.status, error.code, error.message, error.details);
  }
  get fatal(): boolean {
    return this.status === 401 || this.status === 403;
  }
}

/**
 * Reads one Server-Sent Events stream, from `start()` to `stop()`, for the
 * connection that fans it out. With `fetch`, so the token goes in a header
 * (`EventSource` cannot send one), resuming with `Last-Event-ID`. After a
 * failure, a close or two silent heartbeats it opens again, backing off as
 * {@link ReconnectPolicy} says; a 401 is retried once with a refreshed token, a
 * 403 stops until `start()`; `stream.expired` reopens with a fresh token.
 *
 * @example
 * ```ts
 * const reader = new StreamReader(`${apiBase}/v1/stream`, 15_000, report);
 * reader.start(); // and again to retry now, forgetting the backoff
 * reader.stop();
 * ```
 */
export class StreamReader {
  private readonly _policy = new ReconnectPolicy();
  private readonly _watchdog: Watchdog;
  /** Numbers the attempts: callbacks of a superseded one see a stale number and do nothing. */
  private _run = 0;
  private _abort: AbortController | null = null;
  private _timer: ReturnType<typeof setTimeout> | undefined;
  /** The server announced the token's expiry: the close that follows is not a failure. */
  private _expired = false;

  constructor(
    /** The stream's URL. */
    readonly url: string,
    heartbeatMs: number,
    private readonly _report: StreamReport,
  ) {
    this._watchdog = new Watchdog(heartbeatMs, () => this._schedule(this._fail()));
  }

  /** Whether it is reading, or about to: started and not stopped since. */
  get running(): boolean {
    return this._abort !== null;
  }

  /** Opens the stream now, ending any attempt under way and forgetting the backoff. */
  start(): void {
    this._policy.reset();
    this._schedule(0);
  }

  /** Closes the stream and tries no more. */
  stop(): void {
    this._run++;
    this._abort?.abort();
    this._abort = null;
    clearTimeout(this._timer);
    this._watchdog.stop();
  }

  /** Ends whatever attempt is under way and starts a new one after `delayMs`. */
  private _schedule(delayMs: number): void {
    const run = ++this._run;
    this._abort?.abort();
    this._abort = new AbortController();
    clearTimeout(this._timer);
    this._watchdog.stop();
    this._timer = setTimeout(() => void this._attempt(run), delayMs);
  }

  private async _attempt(run: number): Promise<void> {
    const tokens = this._report.tokens();
    if (!tokens) return;
    let token: string;
    try {
      token = await tokens.get();
    } catch (error) {
      if (run === this._run) this._refuse(ApiError.from(error, 'stream_failed'));
      return;
    }
    try {
      if (run === this._run) await this._read(run, token);
    } catch (error) {
      if (run === this._run) await this._failed(run, error, token);
      return;
    }
    if (run !== this._run) return;
    // The body ended: the server closed the stream (a restart, the token's expiry).
    if (this._expired) {
      await this._refresh(token);
      if (run === this._run) this._schedule(0);
      return;
    }
    this._schedule(this._fail());
  }

  /** Opens the stream and reads it to its end. */
  private async _read(run: number, token: string): Promise<void> {
    const resumeFrom = this._report.resumeFrom();
    this._expired = false;
    // Armed before the request too: a server that accepts but never answers is as silent as a dead one.
    this._watchdog.arm();
    const response = await fetch(this.url, {
      headers: {
        accept: 'text/event-stream',
        authorization: `Bearer ${token}`,
        ...(resumeFrom ? { 'last-event-id': resumeFrom } : {}),
      },
      signal: this._abort!.signal,
      credentials: 'omit',
    });
    if (!response.ok || !response.headers.get('content-type')?.startsWith('text/event-stream')) {
      // Not a stream (a proxy's page, a server without one) is retried like a 5xx.
      throw new OpenError(
        await ApiError.fromResponse(response),
        Number(response.headers.get('retry-after')) * 1000 || 0,
      );
    }
    if (run !== this._run) return;
    this._policy.reset();
    this._watchdog.arm();
    this._report.opened(Boolean(resumeFrom));
    await readEventStream(
      response.body!,
      (message) => {
        if (run !== this._run) return;
        if (message.retry) this._policy.retryMs = message.retry;
        if (message.event === 'stream.expired') this._expired = true;
        else this._report.message(message);
      },
      () => this._watchdog.arm(),
    );
  }

  /** A failed attempt: a refusal stops (a 401 after one token refresh); anything else is retried. */
  private async _failed(run: number, error: unknown, token: string): Promise<void> {
    if (!(error instanceof OpenError && error.fatal)) {
      this._schedule(this._fail(error instanceof OpenError ? error.retryAfterMs : 0));
      return;
    }
    if (error.status === 401 && this._policy.mayRefresh()) {
      const fresh = await this._refresh(token);
      if (run !== this._run) return;
      if (fresh && fresh !== token) return this._schedule(0);
    }
    this._refuse(error);
  }

  /** Counts a failed or silent attempt and says so; returns how long to wait before the next one. */
  private _fail(retryAfterMs?: number): number {
    const { status, delayMs } = this._policy.fail(retryAfterMs);
    this._report.failed(status);
    return delayMs;
  }

  /** A fresh token from the source the stream uses now, or null when there is none. */
  private _refresh(token: string): Promise<string | null> | undefined {
    return this._report
      .tokens()
      ?.refresh(token)
      .catch(() => null);
  }

  private _refuse(error: ApiError): void {
    this._report.refused(error);
    // A refusal waits for start(); so does a missing token, which may be configured later.
    if (!(error instanceof OpenError) && error.code !== 'no_token') {
      this._schedule(this._policy.fail().delayMs);
    }
  }
}
