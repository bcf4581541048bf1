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

/** Decodes a cursor from a query string; a tampered one is a 400, never a 500. */
export function decodeCursor(value: string): QueueCursor {
  try {
    const parsed: unknown = JSON.parse(Buffer.from(value, 'base64url').toString('utf8'));
    if (
      parsed &&
      typeof parsed === 'object' &&
      typeof (parsed as QueueCursor).t === 'number' &&
      typeof (parsed as QueueCursor).i === 'string' &&
      ['number', 'undefined'].includes(typeof (parsed as QueueCursor).r)
    ) {
      return parsed as QueueCursor;
    }
  } catch {
    // fall through to the error below
  }
  throw invalidRequest('The cursor is not valid; start again without one', [
    { path: 'query.cursor', message: 'Invalid cursor' },
  ]);
}
