import { LitElement } from 'lit';
import { property } from 'lit/decorators.js';
import { ApiError } from '../core/api-error.js';
import type { TokenProvider } from '../core/tokens.js';
import { rfEvent, type RfEventMap } from './events.js';
import { VERSION } from './version.js';

/**
 * What every ResolutionFlow element shares: where the server is, how to get a
 * token, the theme and the language. Settings left unset fall back to
 * `configure()`. The theming tokens below are read by every element (see
 * `theme.styles.ts`); set them on the page or on any ancestor.
 *
 * @cssproperty --rf-color-surface - Background.
 * @cssproperty --rf-color-surface-raised - Raised surfaces: cards, figures, the "Start here" panel.
 * @cssproperty --rf-color-text - Text colour.
 * @cssproperty --rf-color-text-muted - Secondary text colour.
 * @cssproperty --rf-color-border - Borders, and the "escalated" bars of the trend chart.
 * @cssproperty --rf-color-accent - Buttons, links, the chosen period and the "picked up" bars.
 * @cssproperty --rf-color-on-accent - Text on accent.
 * @cssproperty --rf-color-danger - Urgent, errors, offline.
 * @cssproperty --rf-color-warning - High priority, reconnecting.
 * @cssproperty --rf-color-success - Live, steps that worked.
 * @cssproperty --rf-font-family - Font.
 * @cssproperty --rf-font-size - Base font size.
 * @cssproperty --rf-radius - Corner radius.
 * @cssproperty --rf-space - Spacing unit.
 * @cssproperty --rf-density - Spacing multiplier (e.g. 0.75 for compact).
 */
export class RfElement extends LitElement {
  /** The version of the bundle that defined this element. */
  static version = VERSION;

  /** Base URL of the ResolutionFlow server; falls back to `configure({ apiBase })`, then the page's origin. */
  @property({ attribute: 'api-base' }) apiBase?: string;

  /** An embed token. Prefer `getToken`, which can refresh; falls back to `configure()`. */
  @property() token?: string;

  /** Returns a fresh embed token (may be async); called at start, after a 401 and when the stream expires. */
  @property({ attribute: false }) getToken?: TokenProvider;

  /** `light`, `dark`, or `auto` to follow `prefers-color-scheme`. */
  @property({ reflect: true }) theme: 'light' | 'dark' | 'auto' = 'auto';

  /** The language for dates and numbers: the nearest `lang` attribute, else the browser's. */
  protected get locale(): string {
    return this.closest('[lang]')?.getAttribute('lang') || navigator.language;
  }

  /** Dispatches a bubbling, composed `rf-` event; false when a cancelable one was cancelled. */
  protected emit<K extends keyof RfEventMap>(
    name: K,
    detail: RfEventMap[K]['detail'],
    cancelable = false,
  ): boolean {
    return this.dispatchEvent(rfEvent(name, detail, cancelable));
  }

  /** Reports what was thrown while doing `operation` as `rf-error`; returns it as an ApiError. */
  protected _fail(caught: unknown, operation: string): ApiError {
    const error = ApiError.from(caught);
    this.emit('rf-error', { error, operation });
    return error;
  }
}
