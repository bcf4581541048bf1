import type { MeResponse } from '@resolutionflow/types';
import type { ReactiveController } from 'lit';
import { ApiClient } from '../core/api-client.js';
import { getConfig, onConfigChange } from '../core/config.js';
import type { ConnectionStatus, LiveListener } from '../core/live-connection.js';
import { liveConnection } from '../core/live-registry.js';
import { noToken, TokenSource } from '../core/tokens.js';
import { rfEvent } from './events.js';
import type { RfElement } from './rf-element.js';

/** Elements without their own token share one source, so `getToken()` is called once per page. */
const pageTokens = new TokenSource(() => getConfig());

/** How long a first load waits for the live stream to open before going ahead without it. */
const SETTLE_TIMEOUT_MS = 3000;

/**
 * An element's way into the core: builds the API client from the element's
 * settings (falling back to `configure()`), knows the caller (`/v1/me`), and,
 * when given a listener, keeps the element subscribed to the page's shared live
 * connection while it is in the document.
 */
export class SessionController implements ReactiveController {
  /** The API client, or null while no token and no `getToken` is configured anywhere. */
  client: ApiClient | null = null;
  /** The live connection's status while subscribed, else null. */
  status: ConnectionStatus | null = null;
  /** The caller (`/v1/me`) as `ready()` last resolved it; null until then. */
  me: MeResponse | null = null;

  private _key: unknown[] = [];
  private _me: Promise<MeResponse> | null = null;
  private _unsubscribe: (() => void) | null = null;
  private _wasSubscribed = false;
  private _offConfig: (() => void) | null = null;
  private readonly _relay: LiveListener | undefined;

  /**
   * @param listener Live events for the host; without one the host is not subscribed.
   * @param _reportStatus Whether the host dispatches `rf-connection-change` (the queue does; one
   *   element per page reporting it is enough).
   */
  constructor(
    private readonly _host: RfElement,
    listener?: LiveListener,
    private readonly _reportStatus = false,
  ) {
    _host.addController(this);
    this._relay = listener && {
      ...listener,
      onStatus: (status) => this._setStatus(status),
      onError: (error) => this._host.dispatchEvent(rfEvent('rf-error', { error, operation: 'stream' })),
    };
  }

  hostConnected(): void {
    this._offConfig = onConfigChange(() => this._host.requestUpdate());
    this._sync();
    // Back in the document after a while away: whatever is shown may have missed events.
    if (this._wasSubscribed) this._relay?.onResync?.();
  }

  hostDisconnected(): void {
    this._offConfig?.();
    this._drop();
  }

  hostUpdate(): void {
    this._sync();
  }

  /**
   * Resolves the caller (then `me`) and, for live elements, subscribes and waits
   * (briefly) for the stream to open, so that a list loaded next misses no event.
   */
  async ready(): Promise<void> {
    const client = this.client;
    if (!client) throw noToken();
    const pending = (this._me ??= client.me());
    let me: MeResponse;
    try {
      me = await pending;
    } catch (error) {
      if (this._me === pending) this._me = null;
      throw error;
    }
    if (this._me === pending) this.me = me;
    if (this._relay && client === this.client && !this._unsubscribe && this._host.isConnected) {
      const connection = liveConnection(client.apiBase, me.account.id);
      this._unsubscribe = connection.subscribe(this._relay, client.tokens);
      this._wasSubscribed = true;
      this._setStatus(connection.status);
      await connection.settled(SETTLE_TIMEOUT_MS);
    }
  }

  /** Rebuilds the client when the settings that identify it change. */
  private _sync(): void {
    const host = this._host;
    const config = getConfig();
    const apiBase = host.apiBase ?? config.apiBase ?? '';
    const own = Boolean(host.token || host.getToken);
    const token = host.token || config.token;
    const getToken = host.getToken ?? config.getToken;
    const key = [apiBase, own, token, getToken];
    if (key.every((part, index) => part === this._key[index])) return;
    this._key = key;
    this._me = null;
    this._drop();
    const tokens = own
      ? new TokenSource(() => ({
          token: host.token || getConfig().token,
          getToken: host.getToken ?? getConfig().getToken,
        }))
      : pageTokens;
    this.client = token || getToken ? new ApiClient({ apiBase, tokens }) : null;
  }

  private _drop(): void {
    this._unsubscribe?.();
    this._unsubscribe = null;
  }

  private _setStatus(status: ConnectionStatus): void {
    if (status === this.status) return;
    this.status = status;
    this._host.requestUpdate();
    if (!this._reportStatus) return;
    this._host.dispatchEvent(rfEvent('rf-connection-change', { status }));
  }
}
