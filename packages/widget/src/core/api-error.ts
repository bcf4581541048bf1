import type { ErrorResponse } from '@resolutionflow/types';

/**
 * An error from the API (its `{ error: { code, message, details } }`) or from
 * getting there. Client-side codes: `network` (no response), `no_token`,
 * `unexpected` (anything else that was thrown).
 *
 * @example
 * ```ts
 * try { await client.transition(id, 'claim'); } catch (e) {
 *   if (e instanceof ApiError && e.code === 'already_claimed') console.log(e.message);
 * }
 * ```
 */
export class ApiError extends Error {
  constructor(
    /** HTTP status; 0 when no response arrived. */
    readonly status: number,
    /** Machine-readable code, e.g. `already_claimed`, `token_expired`, `forbidden`. */
    readonly code: string,
    message: string,
    /** Extra detail the server sent, e.g. `{ claimedBy, claimedAt }` on a 409. */
    readonly details?: unknown,
  ) {
    super(message);
    this.name = 'ApiError';
  }

  /**
   * Whatever was thrown, as an ApiError: itself when it is one, else one with
   * `code` and the thrown value's text. Elements report every failure this way.
   *
   * @example
   * ```ts
   * try { await load(); } catch (caught) { show(ApiError.from(caught).message); }
   * ```
   */
  static from(error: unknown, code = 'unexpected'): ApiError {
    return error instanceof ApiError ? error : new ApiError(0, code, String(error));
  }

  /** Reads the API's error body from a failed response (never throws). */
  static async fromResponse(response: Response): Promise<ApiError> {
    try {
      const { error } = (await response.json()) as ErrorResponse;
      if (error?.code) return new ApiError(response.status, error.code, error.message, error.details);
    } catch {
      // Not our JSON (a proxy's HTML page, an empty body): fall through to the status.
    }
    return new ApiError(
      response.status,
      `http_${response.status}`,
      response.statusText || `HTTP ${response.status}`,
    );
  }
}
