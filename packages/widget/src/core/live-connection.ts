import type { HandoffEventData } from '@resolutionflow/types';
import type { ApiError } from './api-error.js';
import type { StreamMessage } from './event-stream.js';
import { StreamReader } from './stream-reader.js';
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

/** How a connection reads its stream, and who hears when it closes. */
export interface LiveConnectionOptions {
  /** The server's heartbeat interval (`SSE_HEARTBEAT_SECONDS`): after two silent ones the stream is reopened. Default 15 s. */
  heartbeatMs?: number;
  /** Called once the stream has closed for want of subscribers. */
  onIdle?: () => void;
}

interface Subscription {
  listener: LiveListener;
  tokens: TokenSource;
}

/** How long the stream stays open after its last subscriber left (an element moved in the DOM). */
const IDLE_CLOSE_MS = 3000;
/** How many of the latest event ids a connection remembers, to deliver each at most once. */
const SEEN_IDS = 256;

/**
 * One Server-Sent Events stream of one account, shared by every element on the
 * page (get it from {@link liveConnection}). Opens when the first subscriber
 * arrives, closes when the last one leaves, and while the page is frozen (a
 * background tab, the back-forward cache): a page nobody sees holds none of the
 * browser's six connections to the server. The token goes in a header;
 * `Last-Event-ID` resumes on every reconnect; retries back off exponentially
 * with jitter up to 30 s; a 401 is retried once with a refreshed token and a
 * 403 stops; a normal close and `stream.expired` reconnect; a watchdog
 * reconnects after two heartbeats without a byte (all of it in `StreamReader`).
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
  /** The latest ids delivered, oldest first. */
  private readonly _seen = new Set<string>();
  private readonly _reader: StreamReader;
  private readonly _onIdle: () => void;
  private _idleTimer: ReturnType<typeof setTimeout> | undefined;
  private _settled = false;
  private _settle!: () => void;
  private readonly _settledPromise = new Promise<void>((resolve) => (this._settle = resolve));
  private readonly _online = () => this.reconnect();
  private readonly _offline = () => this._setStatus('offline');
  private readonly _freeze = () => this._reader.stop();

  constructor(
    /** The stream's URL, `<apiBase>/v1/stream`. */
    readonly url: string,
    { heartbeatMs = 15_000, onIdle = () => {} }: LiveConnectionOptions = {},
  ) {
    this._onIdle = onIdle;
    // What the reader reads reaches the subscribers only through here.
    this._reader = new StreamReader(url, heartbeatMs, {
      tokens: () => this._subscriptions.values().next().value?.tokens,
      resumeFrom: () => this.lastEventId,
      opened: (resumed) => {
        // An open that cannot resume has missed whatever happened since the lists
        // were loaded, unless it is the first open and the lists waited for it.
        if (!resumed && this._settled) this._tell('onResync');
        this._setStatus('live');
      },
      failed: (status) => this._setStatus(status),
      refused: (error) => {
        this._setStatus('offline');
        this._tell('onError', error);
      },
      message: (message) => this._receive(message),
    });
  }

  /**
   * Adds a subscriber, opening the stream if it is the first. `tokens` authenticates
   * the stream while this subscriber is the oldest one. Returns the unsubscribe function.
   */
  subscribe(listener: LiveListener, tokens: TokenSource): () => void {
    const subscription = { listener, tokens };
    this._subscriptions.add(subscription);
    clearTimeout(this._idleTimer);
    if (this._subscriptions.size === 1 && !this._reader.running) {
      this._listen(addEventListener);
      this._reader.start();
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
    if (this._subscriptions.size > 0) this._reader.start();
  }

  private _stop(): void {
    this._reader.stop();
    this._listen(removeEventListener);
    this._onIdle();
  }

  /** The browser's word on the network and on the page's lifecycle: a frozen page resumes where it stopped. */
  private _listen(method: typeof addEventListener): void {
    method('online', this._online);
    method('offline', this._offline);
    method.call(document, 'freeze', this._freeze);
    method.call(document, 'resume', this._online);
  }

  private _markSettled(): void {
    this._settled = true;
    this._settle();
  }

  private _receive({ event, data, id }: StreamMessage): void {
    if (event === 'stream.reset') {
      // Ids may restart (a new database): forget ours so nothing new is taken for a duplicate.
      this.lastEventId = null;
      this._seen.clear();
      this._tell('onResync');
      return;
    }
    // Ids are opaque (`<epoch>.<seq>`, never compared as numbers): a duplicate is one seen lately.
    // An id-only message (a resume point) moves `lastEventId` too; a comment (the heartbeat) is empty.
    if (id) {
      if (this._seen.has(id)) return;
      this._seen.add(id);
      if (this._seen.size > SEEN_IDS) this._seen.delete(this._seen.values().next().value!);
      this.lastEventId = id;
    }
    if (!event.startsWith('handoff.')) return;
    let handoffEvent: HandoffEventData;
    try {
      handoffEvent = JSON.parse(data) as HandoffEventData;
    } catch {
      return;
    }
    this._tell('onEvent', handoffEvent, id);
  }

  /** A status from the stream, or from the browser going offline, settles the first attempt. */
  private _setStatus(status: ConnectionStatus): void {
    this._markSettled();
    if (status === this.status) return;
    this.status = status;
    this._tell('onStatus', status);
  }

  /** Calls every subscriber; one that throws does not stop the others or the stream. */
  private _tell<K extends keyof LiveListener>(name: K, ...args: Parameters<Required<LiveListener>[K]>): void {
    for (const { listener } of [...this._subscriptions]) {
      try {
        (listener[name] as ((...values: typeof args) => void) | undefined)?.(...args);
      } catch (error) {
        console.error(error);
      }
    }
  }
}
