import { fetchEventSource, type EventSourceMessage } from '@microsoft/fetch-event-source';
import type { HandoffEventData } from '@resolutionflow/types';
import { ApiError } from './api-error.js';
import { backoffDelay } from './backoff.js';
import { getConfig } from './config.js';
import type { TokenSource } from './tokens.js';

/** `live`: events flow. `reconnecting`: trying to (re)open. `offline`: failing for a while or refused. */
export type ConnectionStatus = 'live' | 'reconnecting' | 'offline';

/** What a subscriber of the live connection is told. Every callback is optional. */
export interface LiveListener {
  /** A `handoff.*` event: in order, at most once, each with its sequence id. */
  onEvent?(data: HandoffEventData, id: string): void;
  /** The stream could not resume where it stopped: refetch whatever is shown. */
  onResync?(): void;
  /** The connection's status changed. */
  onStatus?(status: ConnectionStatus): void;
  /** The server refused the stream (401 after a token refresh, 403); it stays offline until `reconnect()`. */
  onError?(error: ApiError): void;
}

interface Subscription {
  listener: LiveListener;
  tokens: TokenSource;
}

/** A refused or failed open. `fatal` ones are not retried by the library. */
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

/** Failures in a row after which the status says `offline` rather than `reconnecting`. */
const OFFLINE_AFTER = 3;
/** Extra silence tolerated past two heartbeats before the watchdog reconnects. */
const WATCHDOG_GRACE_MS = 1000;
/** How long the stream stays open after its last subscriber left (an element moved in the DOM). */
const IDLE_CLOSE_MS = 3000;

/**
 * One Server-Sent Events stream of one account, shared by every element on the
 * page (get it from {@link liveConnection}). Opens when the first subscriber
 * arrives, closes when the last one leaves. Wraps `@microsoft/fetch-event-source`:
 * the token goes in a header; `Last-Event-ID` resumes on every reconnect; retries
 * back off exponentially with jitter up to 30 s; a 401 is retried once with a
 * refreshed token and a 403 stops; a normal close and `stream.expired` reconnect;
 * a watchdog reconnects after two heartbeats without a byte.
 *
 * @example
 * ```ts
 * const live = liveConnection(client.apiBase, me.account.id);
 * const unsubscribe = live.subscribe(
 *   { onEvent: (data) => render(data.handoff), onResync: refetch, onStatus: showStatus },
 *   client.tokens,
 * );
 * await live.settled(3000); // then load lists: nothing in between is missed
 * ```
 */
export class LiveConnection {
  /** Where the stream stands now. */
  status: ConnectionStatus = 'reconnecting';
  /** Id of the last event delivered; sent as `Last-Event-ID` on every reconnect. */
  lastEventId: string | null = null;

  private readonly _subscriptions = new Set<Subscription>();
  private _run = 0;
  private _abort: AbortController | null = null;
  private _timer: ReturnType<typeof setTimeout> | undefined;
  private _idleTimer: ReturnType<typeof setTimeout> | undefined;
  private _watchdog: ReturnType<typeof setTimeout> | undefined;
  private _failures = 0;
  private _serverRetryMs = 1000;
  private _expired = false;
  private _authRetried = false;
  private _requestResumed = false;
  private _settled = false;
  private _settle!: () => void;
  private readonly _settledPromise = new Promise<void>((resolve) => (this._settle = resolve));
  private readonly _online = () => this.reconnect();
  private readonly _offline = () => this._setStatus('offline');

  constructor(
    /** The stream's URL, `<apiBase>/v1/stream`. */
    readonly url: string,
    private readonly _onIdle: () => void = () => {},
  ) {}

  /**
   * Adds a subscriber, opening the stream if it is the first. `tokens` authenticates
   * the stream while this subscriber is the oldest one. Returns the unsubscribe function.
   */
  subscribe(listener: LiveListener, tokens: TokenSource): () => void {
    const subscription = { listener, tokens };
    this._subscriptions.add(subscription);
    clearTimeout(this._idleTimer);
    if (this._subscriptions.size === 1 && !this._abort) {
      addEventListener('online', this._online);
      addEventListener('offline', this._offline);
      this._schedule(0);
    }
    return () => {
      this._subscriptions.delete(subscription);
      if (this._subscriptions.size === 0) this._idleTimer = setTimeout(() => this._stop(), IDLE_CLOSE_MS);
    };
  }

  /**
   * Resolves once the first attempt has opened the stream or failed. A list
   * fetched after this misses no event: either the stream was already open (and
   * delivers what follows) or a later open without a resume point will ask for
   * a resync. After `timeoutMs` it resolves anyway, and the first open then
   * counts as a resync too.
   */
  settled(timeoutMs = Infinity): Promise<void> {
    if (timeoutMs === Infinity || this._settled) return this._settledPromise;
    const timer = setTimeout(() => this._markSettled(), timeoutMs);
    return this._settledPromise.finally(() => clearTimeout(timer));
  }

  /** Reconnects now, forgetting the backoff (the browser came online, the token changed). */
  reconnect(): void {
    if (this._subscriptions.size === 0) return;
    this._failures = 0;
    this._authRetried = false;
    this._schedule(0);
  }

  private _stop(): void {
    this._run++;
    this._abort?.abort();
    this._abort = null;
    clearTimeout(this._timer);
    clearTimeout(this._watchdog);
    removeEventListener('online', this._online);
    removeEventListener('offline', this._offline);
    this._onIdle();
  }

  /** Ends whatever attempt is running and starts a new one after `delayMs`. */
  private _schedule(delayMs: number): void {
    const run = ++this._run;
    this._abort?.abort();
    clearTimeout(this._timer);
    clearTimeout(this._watchdog);
    this._timer = setTimeout(() => void this._connect(run), delayMs);
  }

  private async _connect(run: number): Promise<void> {
    const subscription = this._oldest();
    if (!subscription) return;
    const abort = (this._abort = new AbortController());
    let token = '';
    try {
      token = await subscription.tokens.get();
      if (run !== this._run) return;
      this._expired = false;
      await fetchEventSource(this.url, {
        signal: abort.signal,
        // The library's default drops the stream whenever the tab is hidden.
        openWhenHidden: true,
        // Lower case: the library tracks the id under this exact key, and two
        // spellings would be sent as one comma-joined header.
        headers: {
          authorization: `Bearer ${token}`,
          ...(this.lastEventId ? { 'last-event-id': this.lastEventId } : {}),
        },
        fetch: (input, init) => this._fetch(run, input, init),
        onopen: (response) => this._opened(run, response),
        onmessage: (message) => this._message(run, message),
        onerror: (error: unknown) => {
          if (error instanceof OpenError && error.fatal) throw error;
          return this._retryDelay(run, error);
        },
      });
    } catch (error) {
      if (run === this._run) await this._refused(run, error, token);
      return;
    }
    if (run !== this._run) return;
    // The promise resolved: the server ended the stream (restart, token expiry) or the watchdog cut it.
    if (this._expired) {
      await this._oldest()
        ?.tokens.refresh(token)
        .catch(() => null);
      if (run === this._run) this._schedule(0);
      return;
    }
    this._failures++;
    this._setStatus(this._failures >= OFFLINE_AFTER ? 'offline' : 'reconnecting');
    this._schedule(backoffDelay(this._failures, this._serverRetryMs));
  }

  /** Wraps fetch to see every byte arrive (the watchdog) and whether this request resumes. */
  private async _fetch(run: number, input: RequestInfo | URL, init?: RequestInit): Promise<Response> {
    // Armed before the request too: a server that accepts but never answers is as silent as a dead one.
    this._armWatchdog(run);
    this._requestResumed = Boolean((init?.headers as Record<string, string> | undefined)?.['last-event-id']);
    const response = await fetch(input, { ...init, credentials: 'omit' });
    if (!response.ok || !response.body) return response;
    const touch = new TransformStream<Uint8Array, Uint8Array>({
      transform: (chunk, controller) => {
        if (run === this._run) this._armWatchdog(run);
        controller.enqueue(chunk);
      },
    });
    return new Response(response.body.pipeThrough(touch), response);
  }

  private async _opened(run: number, response: Response): Promise<void> {
    // A superseded attempt fails quietly: its run no longer matches anywhere.
    if (run !== this._run) throw new Error('superseded');
    if (!response.ok || !response.headers.get('content-type')?.startsWith('text/event-stream')) {
      // Not a stream (a proxy's page, a server without one) is retried like a 5xx.
      throw new OpenError(
        await ApiError.fromResponse(response),
        Number(response.headers.get('retry-after')) * 1000 || 0,
      );
    }
    this._failures = 0;
    this._authRetried = false;
    this._armWatchdog(run);
    this._setStatus('live');
    // An open that cannot resume has missed whatever happened since the lists
    // were loaded, unless it is the first open and the lists waited for it.
    if (!this._requestResumed && this._settled) this._each((listener) => listener.onResync?.());
    this._markSettled();
  }

  private _markSettled(): void {
    this._settled = true;
    this._settle();
  }

  private _message(run: number, message: EventSourceMessage): void {
    if (run !== this._run) return;
    if (message.retry) this._serverRetryMs = message.retry;
    // Comments (the heartbeat) reach here as empty messages; an id-only one moves the resume point.
    if (!message.event && !message.data) {
      if (message.id) this.lastEventId = message.id;
      return;
    }
    if (message.event === 'stream.expired') {
      this._expired = true;
      return;
    }
    if (message.event === 'stream.reset') {
      // Ids may restart (a new database): forget ours so nothing new is taken for a duplicate.
      this.lastEventId = null;
      this._each((listener) => listener.onResync?.());
      return;
    }
    if (message.id) {
      if (this.lastEventId !== null && Number(message.id) <= Number(this.lastEventId)) return;
      this.lastEventId = message.id;
    }
    if (!message.event.startsWith('handoff.')) return;
    let data: HandoffEventData;
    try {
      data = JSON.parse(message.data) as HandoffEventData;
    } catch {
      return;
    }
    this._each((listener) => listener.onEvent?.(data, message.id));
  }

  /** A retriable failure: the library retries after the delay returned here. */
  private _retryDelay(run: number, error: unknown): number {
    if (run !== this._run) throw error;
    clearTimeout(this._watchdog);
    this._failures++;
    this._setStatus(this._failures >= OFFLINE_AFTER || !navigator.onLine ? 'offline' : 'reconnecting');
    this._markSettled();
    const retryAfter = error instanceof OpenError ? error.retryAfterMs : 0;
    return Math.max(retryAfter, backoffDelay(this._failures, this._serverRetryMs));
  }

  /** A refusal (401/403) or a failure to get a token. */
  private async _refused(run: number, error: unknown, token: string): Promise<void> {
    if (error instanceof OpenError && error.status === 401 && !this._authRetried) {
      this._authRetried = true;
      const fresh = await this._oldest()
        ?.tokens.refresh(token)
        .catch(() => null);
      if (run !== this._run) return;
      if (fresh && fresh !== token) return this._schedule(0);
    }
    const apiError = ApiError.from(error, 'stream_failed');
    this._setStatus('offline');
    this._markSettled();
    this._each((listener) => listener.onError?.(apiError));
    // A missing token may be configured later; a refusal waits for reconnect().
    if (apiError.code === 'no_token') return;
    if (!(error instanceof OpenError)) {
      this._failures++;
      this._schedule(backoffDelay(this._failures, this._serverRetryMs));
    }
  }

  /** The subscriber whose token the stream uses: the oldest one still here. */
  private _oldest(): Subscription | undefined {
    return this._subscriptions.values().next().value;
  }

  private _armWatchdog(run: number): void {
    clearTimeout(this._watchdog);
    const heartbeatMs = (getConfig().heartbeatSeconds ?? 15) * 1000;
    this._watchdog = setTimeout(
      () => {
        if (run !== this._run) return;
        this._failures++;
        this._markSettled();
        this._setStatus(this._failures >= OFFLINE_AFTER ? 'offline' : 'reconnecting');
        this._schedule(backoffDelay(this._failures, this._serverRetryMs));
      },
      2 * heartbeatMs + WATCHDOG_GRACE_MS,
    );
  }

  private _setStatus(status: ConnectionStatus): void {
    if (status === this.status) return;
    this.status = status;
    this._each((listener) => listener.onStatus?.(status));
  }

  /** Calls every subscriber; one that throws does not stop the others or the stream. */
  private _each(call: (listener: LiveListener) => void): void {
    for (const { listener } of [...this._subscriptions]) {
      try {
        call(listener);
      } catch (error) {
        console.error(error);
      }
    }
  }
}
