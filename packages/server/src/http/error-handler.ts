import type { ErrorCode, ErrorResponse } from '@resolutionflow/types';
import type { Context } from 'hono';
import { HTTPException } from 'hono/http-exception';
import type { ContentfulStatusCode } from 'hono/utils/http-status';
import type { Logger } from 'pino';
import { ZodError } from 'zod';
import { isConnectionLost } from '../db/connection-lost.js';
import { ApiError, unavailable, validationError } from '../errors.js';

/** An error as the client will see it. */
interface Rendered {
  status: ContentfulStatusCode;
  error: ErrorResponse['error'];
  headers?: Readonly<Record<string, string>> | undefined;
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

function fromApiError(error: ApiError): Rendered {
  const rendered: Rendered = {
    status: error.status,
    error: { code: error.code, message: error.message },
    headers: error.headers,
  };
  if (error.details !== undefined) rendered.error.details = error.details;
  return rendered;
}

/** What an expected error looks like to the client; undefined for anything unexpected. */
function render(error: unknown): Rendered | undefined {
  if (error instanceof ApiError) return fromApiError(error);
  if (error instanceof ZodError) return fromApiError(validationError(error, 'request'));
  if (error instanceof HTTPException && error.status < 500) {
    // Hono's own validator throws this for unreadable JSON bodies.
    if (/json/i.test(error.message)) {
      return fromApiError(new ApiError(400, 'invalid_json', 'The request body is not valid JSON'));
    }
    const code = STATUS_CODES[error.status] ?? 'invalid_request';
    return { status: error.status, error: { code, message: error.message || code.replaceAll('_', ' ') } };
  }
  return undefined;
}

/** The single `onError`: expected errors become their JSON; anything else is a logged 500. */
export function errorHandler(logger: Logger) {
  return function handleError(error: unknown, c: Context): Response {
    if (isConnectionLost(error)) {
      // A restart or failover of the database: nothing was written; the client retries.
      logger.warn({ err: (error as Error).message, requestId: c.get('requestId') }, 'database unavailable');
      error = unavailable();
    }
    const rendered = render(error);
    if (rendered) {
      const body: ErrorResponse = { error: rendered.error };
      return c.json(body, rendered.status, rendered.headers);
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
