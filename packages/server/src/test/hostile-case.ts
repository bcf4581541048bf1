import type { Verdict } from './hostile-payloads.js';

/** One hostile request against a write route (or a header every route reads). */
export interface HostileCase {
  category: string;
  name: string;
  method: 'GET' | 'POST' | 'PUT' | 'PATCH' | 'DELETE';
  /** `{user}` becomes a fresh roster id. */
  path: string;
  as: 'technician' | 'admin' | 'apiKey';
  /** Sent byte for byte. */
  body?: string | Uint8Array;
  /** Defaults to application/json when there is a body; null sends none. */
  contentType?: string | null;
  headers?: Record<string, string>;
  verdict: Verdict;
  /** The statuses a refusal must have (any 4xx when absent). */
  statuses?: number[];
  /** Where an accepted request's value is read back, and what it must be. */
  stored?: { read: 'handoff' | 'user' | 'settings'; path: (string | number)[]; value: unknown };
}

/** A valid escalation with every optional text field present. */
export const baseEscalation = () => ({
  title: 'Printer offline',
  problemSummary: 'The spooler stops after a minute.',
  priority: 'normal',
  tried: [
    { action: 'Restarted the spooler', outcome: 'failed', note: 'No change.', at: '2026-11-20T14:05:00Z' },
  ],
  context: { client: 'Northwind', device: 'NW-PR-7', fields: { note: 'Floor 2' } },
});
export const baseUser = () => ({ name: 'Sam Roster', role: 'engineer', email: 'sam@msp.example' });

/** Sets the value at `path` inside `target` (which it returns). */
export function setIn(
  target: Record<string, unknown>,
  path: (string | number)[],
  value: unknown,
): Record<string, unknown> {
  let node = target as Record<string | number, unknown>;
  for (const key of path.slice(0, -1)) node = node[key] as Record<string | number, unknown>;
  node[path.at(-1)!] = value;
  return target;
}

/** A hostile create (POST /v1/handoffs) as a technician. */
export const create = (
  category: string,
  name: string,
  body: string | Uint8Array,
  verdict: Verdict,
  extra: Partial<HostileCase> = {},
): HostileCase => ({
  category,
  name,
  method: 'POST',
  path: '/v1/handoffs',
  as: 'technician',
  body,
  verdict,
  ...extra,
});
/** A valid escalation, serialised. */
export const valid = JSON.stringify(baseEscalation());
/** Inserts raw JSON text right after `at` (keys JSON.stringify cannot write, such as `__proto__`). */
export const withRaw = (json: string, at: string, raw: string) => json.replace(at, `${at}${raw},`);
/** Objects nested `depth` deep, as JSON text. */
export const deep = (depth: number, leaf = '1') => `${'{"a":'.repeat(depth)}${leaf}${'}'.repeat(depth)}`;
/** Arrays nested `depth` deep, as JSON text. */
export const deepArray = (depth: number) => `${'['.repeat(depth)}${']'.repeat(depth)}`;
/** A body from text and raw byte values (invalid UTF-8 where a client would never send it). */
export const bytes = (...parts: (string | number[])[]) =>
  new Uint8Array(
    parts.flatMap((part) => (typeof part === 'string' ? [...new TextEncoder().encode(part)] : part)),
  );

/** A valid escalation with one value replaced, serialised. */
export const escalationWith = (path: (string | number)[], value: unknown) =>
  JSON.stringify(setIn(baseEscalation(), path, value));
/** What an accepted case must have stored. */
export const stored = (
  path: (string | number)[],
  value: unknown,
  read: 'handoff' | 'user' | 'settings' = 'handoff',
) => ({ stored: { read, path, value } });
/** A hostile roster sync (PUT /v1/users/:id) with the API key. */
export const user = (
  category: string,
  name: string,
  body: unknown,
  verdict: Verdict,
  path = '/v1/users/{user}',
  extra: Partial<HostileCase> = {},
): HostileCase => ({
  category,
  name,
  method: 'PUT',
  path,
  as: 'apiKey',
  body: typeof body === 'string' ? body : JSON.stringify(body),
  verdict,
  ...extra,
});
/** A hostile settings change (PUT /v1/account/settings) as an admin. */
export const settings = (
  category: string,
  name: string,
  body: string,
  verdict: Verdict,
  extra: Partial<HostileCase> = {},
): HostileCase => ({
  category,
  name,
  method: 'PUT',
  path: '/v1/account/settings',
  as: 'admin',
  body,
  verdict,
  ...extra,
});
