/**
 * SSE event ids: `<epoch>.<seq>`, e.g. `1.42`. `seq` is the event's place in
 * its account's dense sequence; `epoch` names the numbering, which changes when
 * events are renumbered (a migration, a restore from backup), so an id from
 * before can never resume at the wrong place. Clients treat ids as opaque.
 */

/** An event's place in its account's stream. */
export interface EventPosition {
  epoch: number;
  seq: number;
}

/**
 * What a Last-Event-ID header names: a position, or `legacy` for the bare
 * integers servers sent before ids carried an epoch (always reset).
 */
export type LastEventId = EventPosition | 'legacy';

const CURRENT = /^(\d{1,9})\.(\d{1,15})$/;
const LEGACY = /^\d{1,15}$/;

/** The SSE id of the event at `seq` in `epoch`. */
export function formatEventId(epoch: number, seq: number): string {
  return `${epoch}.${seq}`;
}

/** Reads a Last-Event-ID header; undefined when it is neither form (the client gets a 400). */
export function parseLastEventId(header: string): LastEventId | undefined {
  const match = CURRENT.exec(header);
  if (match) return { epoch: Number(match[1]), seq: Number(match[2]) };
  return LEGACY.test(header) ? 'legacy' : undefined;
}
