/**
 * What instances tell each other on the `rf_events` channel: "these accounts
 * have new events" (`e;<instance>;<account>,<account>…`) and each instance's
 * heartbeat to its own listener (`h;<instance>;<n>`). Payloads carry ids only,
 * never an event: the events table is the truth.
 */

/** The channel every instance listens on. */
export const CHANNEL = 'rf_events';

/** PostgreSQL refuses payloads of 8,000 bytes or more; stay well under. */
export const MAX_PAYLOAD_BYTES = 7_500;

/** A message read from the channel. */
export type Notice =
  | { kind: 'events'; instance: string; accounts: string[] }
  | { kind: 'heartbeat'; instance: string; beat: number };

/**
 * The payloads announcing `accounts` from `instance`: as few as fit under
 * {@link MAX_PAYLOAD_BYTES} each (account ids are ASCII, so characters are bytes).
 */
export function eventsPayloads(instance: string, accounts: Iterable<string>): string[] {
  const head = `e;${instance};`;
  const payloads: string[] = [];
  let current = '';
  for (const account of accounts) {
    if (current && head.length + current.length + 1 + account.length > MAX_PAYLOAD_BYTES) {
      payloads.push(head + current);
      current = '';
    }
    current = current ? `${current},${account}` : account;
  }
  if (current) payloads.push(head + current);
  return payloads;
}

/** The payload of `instance`'s heartbeat number `beat`. */
export const heartbeatPayload = (instance: string, beat: number) => `h;${instance};${beat}`;

/** Reads a payload; undefined for anything this version does not know (ignored, not fatal). */
export function parseNotice(payload: string): Notice | undefined {
  const [kind, instance, rest] = payload.split(';', 3);
  if (!instance || rest === undefined) return undefined;
  if (kind === 'e') return { kind: 'events', instance, accounts: rest.split(',').filter(Boolean) };
  if (kind === 'h' && /^\d+$/.test(rest)) return { kind: 'heartbeat', instance, beat: Number(rest) };
  return undefined;
}
