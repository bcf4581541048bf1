import { ApiError } from './api-error.js';

/** The error when neither a token nor `getToken` is configured anywhere. */
export const noToken = () =>
  new ApiError(401, 'no_token', 'No embed token: set the token attribute or getToken');

/** Returns an embed token (a string), or nothing when none can be had. May be async. */
export type TokenProvider = () => string | null | undefined | Promise<string | null | undefined>;

/** Where a token source reads its settings from, each time it needs them. */
export interface TokenSettings {
  token?: string | null | undefined;
  getToken?: TokenProvider | null | undefined;
}

/**
 * The current embed token and how to get a fresh one. Settings are read lazily,
 * so a host that changes the `token` attribute is seen on the next request.
 * Concurrent refreshes share one `getToken()` call.
 *
 * @example
 * ```ts
 * const tokens = new TokenSource(() => ({ getToken: () => fetch('/rf-token').then((r) => r.text()) }));
 * const token = await tokens.get();
 * const fresh = await tokens.refresh(token); // after a 401
 * ```
 */
export class TokenSource {
  private _current: string | null = null;
  private _seenSetting: string | null = null;
  private _refreshing: Promise<string | null> | null = null;

  constructor(private readonly _settings: () => TokenSettings) {}

  /** True when a token or a provider is configured at all. */
  get configured(): boolean {
    const { token, getToken } = this._settings();
    return Boolean(token || getToken || this._current);
  }

  /**
   * The token to send now.
   *
   * @throws ApiError `no_token` when neither a token nor `getToken` is configured.
   */
  async get(): Promise<string> {
    const { token } = this._settings();
    // A token set by the host is taken as soon as it changes, even over a refreshed one.
    if (token && token !== this._seenSetting) {
      this._seenSetting = token;
      this._current = token;
    }
    const current = this._current ?? (await this.refresh(null));
    if (!current) throw noToken();
    return current;
  }

  /**
   * Asks `getToken()` for a fresh token because `stale` was refused. When another
   * caller already replaced `stale`, that newer token is returned without a call.
   * Resolves to null when there is no provider or it returns nothing.
   */
  refresh(stale: string | null): Promise<string | null> {
    if (this._current && this._current !== stale) return Promise.resolve(this._current);
    this._refreshing ??= (async () => {
      try {
        const provider = this._settings().getToken;
        const fresh = provider ? await provider() : null;
        if (fresh) this._current = fresh;
        return fresh || null;
      } finally {
        this._refreshing = null;
      }
    })();
    return this._refreshing;
  }
}
