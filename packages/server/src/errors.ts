import type { ErrorCode } from '@resolutionflow/types';
import type { ZodError } from 'zod';

/**
 * The statuses an {@link ApiError} can answer with: the client errors the API
 * documents, and 503 while the database cannot be reached (retry shortly).
 */
export type ApiErrorStatus = 400 | 401 | 403 | 404 | 409 | 413 | 415 | 422 | 429 | 503;

/** What an {@link ApiError} carries besides its status, code and message. */
export interface ApiErrorOptions {
  /** Machine-readable detail, sent as `error.details` (e.g. `{ fields }`, `{ claimedBy }`). */
  details?: unknown;
  /** Headers the answer needs, such as `Retry-After` or `WWW-Authenticate`. */
  headers?: Record<string, string>;
}

/**
 * An expected failure, reported to the client as `{ error: { code, message, details } }`.
 * Domain, auth and stream code throw it without knowing about HTTP; the app's one
 * `onError` (`http/error-handler.ts`) renders it.
 *
 * @example
 * throw new ApiError(429, 'rate_limited', 'Too many writes; retry in 2 s', {
 *   details: { retryAfter: 2 },
 *   headers: { 'Retry-After': '2' },
 * });
 */
export class ApiError extends Error {
  /** Sent as `error.details` when present. */
  readonly details: unknown;
  /** Set on the error response. */
  readonly headers: Readonly<Record<string, string>> | undefined;

  constructor(
    readonly status: ApiErrorStatus,
    readonly code: ErrorCode,
    message: string,
    options: ApiErrorOptions = {},
  ) {
    super(message);
    this.name = 'ApiError';
    this.details = options.details;
    this.headers = options.headers;
  }
}

/** 404: no such `what` in the caller's account (another account's id looks exactly the same). */
export const notFound = (what = 'Resource') => new ApiError(404, 'not_found', `${what} not found`);

/** 403 with the reason the caller may not do this. */
export const forbidden = (message: string) => new ApiError(403, 'forbidden', message);

/** Field-level detail of a validation failure: where and what. */
export interface FieldIssue {
  path: string;
  message: string;
}

/** 400 `invalid_request` naming the fields at fault, as `details.fields`. */
export const invalidRequest = (message: string, fields: FieldIssue[]) =>
  new ApiError(400, 'invalid_request', message, { details: { fields } });

/** Turns zod issues into a 400 naming each field (without echoing the input back). */
export function validationError(error: ZodError, where: string): ApiError {
  const fields: FieldIssue[] = error.issues.slice(0, 20).flatMap((issue) => {
    const path = [where, ...issue.path.map(String)];
    // Name each unknown field itself, not just the object that carried it.
    if (issue.code === 'unrecognized_keys') {
      return issue.keys.map((key) => ({ path: [...path, key].join('.'), message: 'Unknown field' }));
    }
    return [{ path: path.join('.'), message: issue.message }];
  });
  const named = [...new Set(fields.map((field) => field.path))].slice(0, 5).join(', ');
  return invalidRequest(`Invalid ${where}: ${named}`, fields);
}

/** 503 `unavailable`: the database cannot be reached for now; nothing was written, retry shortly. */
export const unavailable = (message = 'The database is unavailable for now; retry shortly') =>
  new ApiError(503, 'unavailable', message, { headers: { 'Retry-After': '1' } });
