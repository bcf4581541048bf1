import type { ErrorCode, ErrorResponse } from '@resolutionflow/types';
import type { Context } from 'hono';
import { HTTPException } from 'hono/http-exception';
import type { ContentfulStatusCode } from 'hono/utils/http-status';
import type { Logger } from 'pino';
import { ZodError } from 'zod';

/** An error the API reports to the client as `{ error: { code, message, details } }`. */
export class ApiError extends HTTPException {
  constructor(
    status: ContentfulStatusCode,
    readonly code: ErrorCode,
    message: string,
    readonly details?: unknown,
    readonly headers?: Record<string, string>,
  ) {
    super(status, { message });
    this.name = 'ApiError';
  }
}

export const notFound = (what = 'Resource') => new ApiError(404, 'not_found', `${what} not found`);

export const forbidden = (message: string) => new ApiError(403, 'forbidden', message);

/** Field-level detail of a validation failure: where and what. */
export interface FieldIssue {
  path: string;
  message: string;
}

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
  return new ApiError(400, 'invalid_request', `Invalid ${where}: ${named}`, { fields });
}

const STATUS_CODES: Partial<Record<number, ErrorCode>> = {
  400: 'invalid_request',
  401: 'unauthorized',
  403: 'forbidden',
  404: 'not_found',
  413: 'payload_too_large',
  415: 'unsupported_media_type',
  429: 'rate_limited',
};

function toApiError(error: unknown): ApiError | undefined {
  if (error instanceof ApiError) return error;
  if (error instanceof ZodError) return validationError(error, 'request');
  if (error instanceof HTTPException && error.status < 500) {
    // Hono's own validator throws this for unreadable JSON bodies.
    if (/json/i.test(error.message)) {
      return new ApiError(400, 'invalid_json', 'The request body is not valid JSON');
    }
    const code = STATUS_CODES[error.status] ?? 'invalid_request';
    return new ApiError(error.status, code, error.message || code.replaceAll('_', ' '));
  }
  return undefined;
}

/** The single `onError`: expected errors become their JSON; anything else is a logged 500. */
export function errorHandler(logger: Logger) {
  return function handleError(error: unknown, c: Context): Response {
    const apiError = toApiError(error);
    if (apiError) {
      const body: ErrorResponse = {
        error: { code: apiError.code, message: apiError.message },
      };
      if (apiError.details !== undefined) body.error.details = apiError.details;
      return c.json(body, apiError.status, apiError.headers);
    }
    logger.error({ err: error, requestId: c.get('requestId') }, 'unhandled error');
    const body: ErrorResponse = {
      error: { code: 'internal', message: 'Something went wrong on our side' },
    };
    return c.json(body, 500);
  };
}

/** The single `notFound`. */
export function notFoundHandler(c: Context): Response {
  const body: ErrorResponse = { error: { code: 'not_found', message: 'No such route' } };
  return c.json(body, 404);
}
