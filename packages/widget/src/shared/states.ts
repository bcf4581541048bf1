import { html, nothing } from 'lit';

/** The error state every element shows: what failed, and a retry button when retrying can help. */
export function renderError(message: string, retry?: { label: string; run: () => void }) {
  return html`<div part="error" class="state" role="alert">
    <p>${message}</p>
    ${retry ? html`<button part="retry-button" @click=${retry.run}>${retry.label}</button>` : nothing}
  </div>`;
}

/** Placeholder lines while loading, named for screen readers by `label`. */
export function renderSkeleton(label: string, lines: number) {
  return html`<div aria-busy="true">
    <span class="sr">${label}</span>
    ${Array.from({ length: lines }, () => html`<span part="skeleton" class="skeleton"></span>`)}
  </div>`;
}
