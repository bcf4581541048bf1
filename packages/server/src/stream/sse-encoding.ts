import type { StreamEventType } from '@resolutionflow/types';
import type { EventRow } from '../db/schema.js';
import { formatEventId } from './event-id.js';

/**
 * Server-Sent Events framing. Event types come from our own enum and `data` is
 * JSON (which never contains a raw CR or LF), so nothing a user typed can break
 * a frame or inject a field.
 */

/** The response head of an event stream: never cached, transformed or buffered by a proxy. */
const EVENT_STREAM_HEADERS = {
  'Content-Type': 'text/event-stream; charset=utf-8',
  'Cache-Control': 'no-cache, no-transform',
  'X-Accel-Buffering': 'no',
} as const;

/**
 * Headers of an event stream for a request of this HTTP major version: HTTP/2 forbids
 * connection-specific headers (Node drops `Connection` with a warning), HTTP/1.1 keeps it.
 */
export function eventStreamHeaders(httpVersionMajor: number): Record<string, string> {
  return httpVersionMajor >= 2 ? EVENT_STREAM_HEADERS : { ...EVENT_STREAM_HEADERS, Connection: 'keep-alive' };
}

/** A stored event of `epoch` as one SSE frame, encoded once and written to every subscriber. */
export function encodeEvent(row: Pick<EventRow, 'seq' | 'type' | 'data'>, epoch: number): string {
  return `id: ${formatEventId(epoch, row.seq)}\nevent: ${row.type}\ndata: ${row.data}\n\n`;
}

/** A control event (no id: it is not part of the replayable sequence). */
export function encodeControl(type: StreamEventType, reason: string): string {
  return `event: ${type}\ndata: ${JSON.stringify({ type, reason })}\n\n`;
}

/** A comment line: ignored by clients, keeps proxies and watchdogs satisfied. */
export function encodeComment(text: string): string {
  return `: ${text.replace(/[\r\n]/g, ' ')}\n\n`;
}

/** Tells clients how long to wait before reconnecting. */
export function encodeRetry(ms: number): string {
  return `retry: ${Math.round(ms)}\n\n`;
}

/** An id-only message: sets the client's Last-Event-ID without dispatching an event. */
export function encodeResumePoint(epoch: number, seq: number): string {
  return `id: ${formatEventId(epoch, seq)}\n\n`;
}
