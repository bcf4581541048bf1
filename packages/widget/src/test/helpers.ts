/**
 * Browser-side helpers for the widget tests: the real server's address, tokens
 * for its demo personas, API calls made "elsewhere" (as another user), and
 * shadow-DOM queries by part.
 */
import type { CreateHandoffRequest, Handoff } from '@resolutionflow/types';
import { waitUntil } from '@open-wc/testing';
import { executeServerCommand } from '@web/test-runner-commands';

/** Demo personas: alex is a technician, sam and jordan engineers, priya an admin. */
export type Persona = 'alex' | 'sam' | 'jordan' | 'priya';

export interface TokenOptions {
  persona?: Persona;
  /**
   * `empty`: never written to. `scratch`: only what a test puts there. `foreign`: refuses this
   * page's origin. `views`, `paging`, `owner`: one test file's each. `policy`: its escalation
   * policy is the test's. Default `demo`.
   */
  account?: 'demo' | 'empty' | 'scratch' | 'foreign' | 'views' | 'paging' | 'owner' | 'policy';
  name?: string;
  role?: 'viewer' | 'technician' | 'engineer' | 'admin';
  ttl?: number;
  /** Issue time in seconds since the epoch (to mint an already expired token). */
  iat?: number;
}

let apiBase: string | undefined;

/** The test server's base URL. */
export async function server(): Promise<string> {
  apiBase ??= ((await executeServerCommand('rf-server')) as { apiBase: string }).apiBase;
  return apiBase;
}

/** A fresh embed token minted by the test (as a host backend would). */
export async function token(options: TokenOptions = {}): Promise<string> {
  return (await executeServerCommand('rf-token', options)) as string;
}

/** Drives the server process: kill it, start it, restart it, freeze and thaw it. */
export async function serverControl(
  command: 'restart' | 'kill' | 'start' | 'pause' | 'resume',
): Promise<void> {
  await executeServerCommand(`rf-${command}`);
}

/** Lets the assessment held by the AI stub (`[ai:hold]` in the title) of `title` complete as ready. */
export async function releaseAssessment(title: string): Promise<void> {
  await executeServerCommand('rf-ai-release', { title });
}

/** Calls the API directly, as someone else somewhere else would. */
export async function api<T>(bearer: string, method: string, path: string, body?: unknown): Promise<T> {
  const response = await fetch(`${await server()}/v1${path}`, {
    method,
    headers: { Authorization: `Bearer ${bearer}`, 'Content-Type': 'application/json' },
    body: body === undefined ? null : JSON.stringify(body),
  });
  if (!response.ok) throw new Error(`${method} ${path}: ${response.status} ${await response.text()}`);
  return (await response.json()) as T;
}

/** An event id's place in its account's dense sequence (`<epoch>.<seq>`, or a bare number before epochs). */
export const seqOf = (id: string): number => Number(id.slice(id.lastIndexOf('.') + 1));

let counter = 0;

/** A unique title, so a test finds its own card among the others on the shared server. */
export function uniqueTitle(label: string): string {
  return `${label} #${Date.now().toString(36)}-${++counter}`;
}

/** Escalates (as alex, the technician, unless `as` says otherwise) and returns the created handoff. */
export async function escalate(
  overrides: Partial<CreateHandoffRequest> = {},
  as: TokenOptions = {},
): Promise<Handoff> {
  return api<Handoff>(await token({ persona: 'alex', ...as }), 'POST', '/handoffs', {
    title: uniqueTitle('Escalation'),
    problemSummary: 'A problem summary written by a junior technician.',
    priority: 'normal',
    ...overrides,
  });
}

/** The first node in `element`'s shadow root with `name` among its parts. */
export function part<E extends Element = HTMLElement>(
  element: Element,
  name: string,
  within: ParentNode = element.shadowRoot!,
): E | null {
  return within.querySelector<E>(`[part~="${name}"]`);
}

/** Every node in `element`'s shadow root with `name` among its parts. */
export function parts<E extends Element = HTMLElement>(
  element: Element,
  name: string,
  within: ParentNode = element.shadowRoot!,
): E[] {
  return [...within.querySelectorAll<E>(`[part~="${name}"]`)];
}

/** The queue card whose title is `title`, if shown. */
export function cardTitled(queue: Element, title: string): HTMLElement | undefined {
  return parts(queue, 'card').find((card) => part(queue, 'title', card)?.textContent === title);
}

/** Waits until `predicate` holds, failing with `message` (polls; for DOM that has no event to await). */
export function until(predicate: () => unknown, message: string, timeout = 10_000): Promise<void> {
  return waitUntil(predicate, message, { timeout, interval: 25 });
}

let streamProbe: Promise<boolean> | undefined;

/** Whether the server serves `GET /v1/stream` as an event stream. */
export function liveStreamAvailable(): Promise<boolean> {
  streamProbe ??= (async () => {
    const abort = new AbortController();
    try {
      const response = await fetch(`${await server()}/v1/stream`, {
        headers: { Authorization: `Bearer ${await token()}` },
        signal: abort.signal,
      });
      return (response.headers.get('content-type') ?? '').startsWith('text/event-stream');
    } catch {
      return false;
    } finally {
      abort.abort();
    }
  })();
  return streamProbe;
}

/** In a mocha `before`/`it`: fails the live tests at once, with the reason, when the server has no stream. */
export async function requireLiveStream(_context: Mocha.Context): Promise<void> {
  if (!(await liveStreamAvailable())) {
    throw new Error('the server does not serve GET /v1/stream as text/event-stream');
  }
}

/** Pretends the tab is hidden or visible again (headless Chromium never hides it). */
export function setVisibility(state: 'hidden' | 'visible'): void {
  if (state === 'visible') {
    delete (document as { visibilityState?: unknown }).visibilityState;
    delete (document as { hidden?: unknown }).hidden;
  } else {
    Object.defineProperty(document, 'visibilityState', { configurable: true, get: () => 'hidden' });
    Object.defineProperty(document, 'hidden', { configurable: true, get: () => true });
  }
  document.dispatchEvent(new Event('visibilitychange'));
}

/** Text of an element with whitespace collapsed. */
export function text(node: Element | null | undefined): string {
  return (node?.textContent ?? '').replace(/\s+/g, ' ').trim();
}

/** Payloads that would run script if any text were rendered as HTML. */
export const XSS = [
  '<img src=x onerror="window.__xss=1">',
  '<script>window.__xss=1</script>',
  '"><svg onload="window.__xss=1">',
  '\'><iframe srcdoc="<script>parent.__xss=1</script>">',
];
