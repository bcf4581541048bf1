import { z } from '@hono/zod-openapi';
import type { Handoff } from '@resolutionflow/types';
import type { Context, TypedResponse } from 'hono';
import type { AppEnv } from '../app-env.js';
import type { IdempotentRequest, StoredAnswer } from '../domain/idempotency.js';
import { ApiError } from '../errors.js';

/**
 * The `Idempotency-Key` request header (IETF httpapi draft): 1–255 printable
 * ASCII characters. Anything else is a 400 naming the header, before any write.
 */
export const IdempotencyKeyHeaderSchema = z.object({
  'idempotency-key': z
    .string()
    .min(1, 'Must not be empty')
    .max(255, 'At most 255 characters')
    .regex(/^[\x20-\x7e]*$/, 'Printable ASCII only: no control characters')
    .optional()
    .openapi({
      description:
        'Makes a retry safe: the same key within 24 h answers the first result (same status, body and handoff id) without creating anything. 1–255 printable ASCII characters, unique per request (a UUID is a good choice); per account. Reused with a different body: 422 `idempotency_key_reused`.',
      example: '5f2b4a1e-8d9c-4e57-9a43-7c1d0b6e2f10',
    }),
});

/**
 * Answers a retry with the answer stored under its key, marked
 * `Idempotent-Replayed: true`; a different body under the same key is a 422.
 */
export function replayAnswer(
  c: Context<AppEnv>,
  answer: StoredAnswer,
  request: IdempotentRequest,
): TypedResponse<Handoff, 201, 'json'> {
  if (answer.fingerprint !== request.fingerprint) {
    throw new ApiError(
      422,
      'idempotency_key_reused',
      'This Idempotency-Key was used with a different request body in the last 24 hours',
      {
        details: { fields: [{ path: 'header.idempotency-key', message: 'Already used with another body' }] },
      },
    );
  }
  // Only a 201 is ever stored: the body is the handoff as first answered.
  return c.body(answer.body, answer.status as 201, {
    'Content-Type': 'application/json',
    'Idempotent-Replayed': 'true',
  }) as unknown as TypedResponse<Handoff, 201, 'json'>;
}
