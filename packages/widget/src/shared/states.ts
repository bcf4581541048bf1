import type { LoadController } from './load-controller.js';
import { html } from 'lit';
import { ApiError } from '../core/api-error.js';

/**
 * The error state every element shows when its load failed: the text an element
 * gives for that status (a 404, a 403), which retrying cannot help; else what
 * failed, why, and a retry button.
 */
export function renderLoadError(
  load: Pick<LoadController<never, unknown>, 'error' | 'run'>,
  strings: { error: string; retry: string },
  refusals: Record<number, string> = {},
) {
  const error = ApiError.from(load.error);
  const refusal = refusals[error.status];
  return html`<div part="error" class="state" role="alert">
    <p>${refusal ?? `${strings.error} ${error.message}`}</p>
    ${refusal ? '' : html`<button part="retry-button" @click=${() => load.run()}>${strings.retry}</button>`}
  </div>`;
}

/** Placeholder lines while loading, named for screen readers by `label`. */
export function renderSkeleton(label: string, lines: number) {
  return html`<div aria-busy="true">
    <span class="sr">${label}</span>
    ${Array.from({ length: lines }, () => html`<span part="skeleton" class="skeleton"></span>`)}
  </div>`;
}
