import type { TokenProvider } from './tokens.js';

/** Page-wide settings shared by every element; an element's own attributes and properties win. */
export interface WidgetConfig {
  /** Base URL of the ResolutionFlow server, e.g. `https://rf.example.com`. Default: the page's origin. */
  apiBase?: string;
  /** A fixed embed token. Prefer `getToken`, which can refresh an expired one. */
  token?: string;
  /** Returns a fresh embed token from your backend; called at start, after a 401 and when the stream expires. */
  getToken?: TokenProvider;
  /** The server's heartbeat interval (`SSE_HEARTBEAT_SECONDS`); after two silent ones the stream is reopened. Default 15. */
  heartbeatSeconds?: number;
}

interface ConfigStore {
  config: WidgetConfig;
  listeners: Set<() => void>;
}

// Kept on the global object under a registered symbol so that a second copy of
// the bundle on the page (script tag loaded twice) configures the elements the
// first copy defined, instead of a private copy nobody reads.
const KEY = Symbol.for('resolutionflow.widget.config');
const store: ConfigStore =
  ((globalThis as Record<symbol, unknown>)[KEY] as ConfigStore | undefined) ??
  ((globalThis as Record<symbol, unknown>)[KEY] = { config: {}, listeners: new Set() } as ConfigStore);

/**
 * Sets page-wide defaults for every ResolutionFlow element, once, typically
 * right after the script tag. Later calls merge into earlier ones; elements
 * already on the page pick the change up.
 *
 * @example
 * ```js
 * ResolutionFlow.configure({
 *   apiBase: 'https://rf.example.com',
 *   getToken: () => fetch('/rf-token').then((r) => r.text()),
 * });
 * ```
 */
export function configure(config: WidgetConfig): void {
  store.config = { ...store.config, ...config };
  for (const listener of [...store.listeners]) listener();
}

/** The page-wide settings as `configure()` left them. */
export function getConfig(): Readonly<WidgetConfig> {
  return store.config;
}

/** Calls `listener` after every `configure()`; returns the unsubscribe function. */
export function onConfigChange(listener: () => void): () => void {
  store.listeners.add(listener);
  return () => store.listeners.delete(listener);
}
