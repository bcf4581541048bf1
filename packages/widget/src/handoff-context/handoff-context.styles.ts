import { css } from 'lit';

/** Layout of `<handoff-context>`; colours come from the shared theme. */
export const contextStyles = css`
  header {
    display: grid;
    gap: var(--_gap);
    padding-bottom: calc(var(--_gap) * 1.5);
    border-bottom: 1px solid var(--_line);
  }
  .row {
    display: flex;
    flex-wrap: wrap;
    align-items: center;
    gap: var(--_gap);
  }
  dl {
    display: flex;
    flex-wrap: wrap;
    gap: calc(var(--_gap) * 0.5) calc(var(--_gap) * 2);
  }
  dt {
    color: var(--_muted);
  }
  dt::after {
    content: ':';
  }
  dl div {
    display: flex;
    gap: 0.3em;
  }
  a {
    color: var(--_accent);
    /* A tap target of at least 24 × 24 px (WCAG 2.2 target size). */
    display: inline-block;
    padding-block: 3px;
  }
  section {
    padding: calc(var(--_gap) * 1.5) 0;
    border-bottom: 1px solid var(--_line);
    display: grid;
    gap: var(--_gap);
    justify-items: start;
  }
  section:last-child {
    border-bottom: 0;
    padding-bottom: 0;
  }
  .text {
    white-space: pre-wrap;
  }
  ol {
    padding-inline-start: 1.4em;
    display: grid;
    gap: calc(var(--_gap) * 0.75);
  }
  h4 {
    margin: 0;
    font-size: 0.95em;
  }
  .short {
    width: 60%;
  }
  .skeleton {
    width: 100%;
    min-width: 12rem;
  }
  [part~='start'] {
    background: var(--_raised);
    border-radius: var(--_radius);
    padding: calc(var(--_gap) * 1.5);
  }
`;
