import type {
  AnalyticsPeriod,
  CreateHandoffRequest,
  EscalationAnalytics,
  Handoff,
  HandoffPage,
  ListHandoffsQuery,
  MeResponse,
  QueueCounts,
  TransitionName,
} from '@resolutionflow/types';
import { ApiError } from './api-error.js';
import type { TokenSource } from './tokens.js';

/** Query of the queue listing: the contract's `ListHandoffsQuery`. */
export type ListQuery = ListHandoffsQuery;

/** Where the client talks to and with which token. */
export interface ApiClientOptions {
  /** Server base URL without `/v1`; `''` for the page's own origin. */
  apiBase: string;
  tokens: TokenSource;
}

/**
 * The typed REST client. Sends the token as `Authorization: Bearer`, and on a
 * 401 asks the token source for a fresh token once and retries. Failures throw
 * {@link ApiError}.
 *
 * @example
 * ```ts
 * const client = new ApiClient({ apiBase: 'https://rf.example.com', tokens });
 * const { items } = await client.listHandoffs({ status: 'open' });
 * ```
 */
export class ApiClient {
  readonly apiBase: string;
  readonly tokens: TokenSource;

  constructor(options: ApiClientOptions) {
    this.apiBase = options.apiBase.replace(/\/+$/, '');
    this.tokens = options.tokens;
  }

  /** `GET /v1/me`: the user, account and permissions. */
  me(signal?: AbortSignal): Promise<MeResponse> {
    return this._get('/me', signal);
  }

  /** `GET /v1/handoffs`: one page of the queue. */
  listHandoffs(query: ListQuery = {}, signal?: AbortSignal): Promise<HandoffPage> {
    const params = new URLSearchParams();
    for (const [key, value] of Object.entries(query)) if (value !== undefined) params.set(key, String(value));
    return this._get(`/handoffs?${params}`, signal);
  }

  /** `GET /v1/handoffs/counts`: how many handoffs each view of the queue holds. */
  counts(): Promise<QueueCounts> {
    return this._get('/handoffs/counts');
  }

  /** `GET /v1/handoffs/:id`: one handoff with all four sections. */
  getHandoff(id: string, signal?: AbortSignal): Promise<Handoff> {
    return this._get(`/handoffs/${encodeURIComponent(id)}`, signal);
  }

  /** `POST /v1/handoffs`: escalate. */
  createHandoff(body: CreateHandoffRequest): Promise<Handoff> {
    return this.request('POST', '/handoffs', body);
  }

  /** `POST /v1/handoffs/:id/<name>`: claim, release, start, resolve or cancel. */
  transition(id: string, name: TransitionName): Promise<Handoff> {
    return this.request('POST', `/handoffs/${encodeURIComponent(id)}/${name}`, {});
  }

  /** `GET /v1/analytics/escalations`: the owner's figures for a period. */
  analytics(period: AnalyticsPeriod, signal?: AbortSignal): Promise<EscalationAnalytics> {
    return this._get(`/analytics/escalations?period=${period}`, signal);
  }

  /**
   * Any API call under `/v1`: JSON in and out, one token refresh on a 401.
   *
   * @throws ApiError with the server's code, `network`, or `no_token`.
   */
  async request<T>(method: string, path: string, body?: unknown, signal?: AbortSignal): Promise<T> {
    let token = await this.tokens.get();
    let response = await this._send(method, path, token, body, signal);
    if (response.status === 401) {
      const fresh = await this.tokens.refresh(token);
      if (fresh && fresh !== token) {
        token = fresh;
        response = await this._send(method, path, token, body, signal);
      }
    }
    if (!response.ok) throw await ApiError.fromResponse(response);
    return (await response.json()) as T;
  }

  private _get<T>(path: string, signal?: AbortSignal): Promise<T> {
    return this.request('GET', path, undefined, signal);
  }

  private async _send(method: string, path: string, token: string, body: unknown, signal?: AbortSignal) {
    const headers: Record<string, string> = { Authorization: `Bearer ${token}`, Accept: 'application/json' };
    if (body !== undefined) headers['Content-Type'] = 'application/json';
    try {
      return await fetch(`${this.apiBase}/v1${path}`, {
        method,
        headers,
        body: body === undefined ? null : JSON.stringify(body),
        signal: signal ?? null,
        credentials: 'omit',
      });
    } catch (error) {
      if (signal?.aborted) throw error;
      throw new ApiError(0, 'network', `Cannot reach the server: ${(error as Error).message}`);
    }
  }
}
