import { invalidRequest } from '../errors.js';

/** Where the previous page ended: the last row's sort key. */
export interface QueueCursor {
  /** Priority rank (priority order only). */
  r?: number;
  /** createdAt in ms. */
  t: number;
  /** id, the tie-breaker. */
  i: string;
}

export function encodeCursor(cursor: QueueCursor): string {
  return Buffer.from(JSON.stringify(cursor)).toString('base64url');
}

/** The tie-breaker of a cursor: a handoff id (a UUID), nothing a database would refuse. */
const CURSOR_ID = /^[0-9A-Za-z-]{1,64}$/;

function isCursor(value: unknown): value is QueueCursor {
  if (!value || typeof value !== 'object') return false;
  const { r, t, i } = value as Record<string, unknown>;
  return (
    Number.isSafeInteger(t) &&
    (t as number) >= 0 &&
    typeof i === 'string' &&
    CURSOR_ID.test(i) &&
    (r === undefined || (Number.isSafeInteger(r) && (r as number) >= 0 && (r as number) <= 9))
  );
}

/**
 * Decodes a cursor from a query string; a tampered one is a 400, never a 500
 * (values are checked to be what a database column accepts: integers, a plain id).
 */
export function decodeCursor(value: string): QueueCursor {
  try {
    const parsed: unknown = JSON.parse(Buffer.from(value, 'base64url').toString('utf8'));
    if (isCursor(parsed))
      return { t: parsed.t, i: parsed.i, ...(parsed.r === undefined ? {} : { r: parsed.r }) };
  } catch {
    // fall through to the error below
  }
  throw invalidRequest('The cursor is not valid; start again without one', [
    { path: 'query.cursor', message: 'Invalid cursor' },
  ]);
}
