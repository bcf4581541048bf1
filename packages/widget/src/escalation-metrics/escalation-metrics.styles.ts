import { css } from 'lit';

/** Layout of `<escalation-metrics>`; colours come from the shared theme. */
export const metricsStyles = css`
  header {
    display: flex;
    flex-wrap: wrap;
    justify-content: space-between;
    align-items: center;
    gap: var(--_gap);
    margin-bottom: calc(var(--_gap) * 2);
  }
  fieldset {
    display: flex;
    border: 0;
    margin: 0;
    padding: 0;
  }
  label {
    padding: calc(var(--_gap) * 0.5) calc(var(--_gap) * 1.25);
    border: 1px solid var(--_line);
    cursor: pointer;
  }
  label:first-of-type {
    border-radius: var(--_radius) 0 0 var(--_radius);
  }
  label:last-of-type {
    border-radius: 0 var(--_radius) var(--_radius) 0;
  }
  label:has(:checked) {
    background: var(--_accent);
    border-color: var(--_accent);
    color: var(--_on-accent);
  }
  label:has(:focus-visible) {
    outline: 2px solid var(--_accent);
    outline-offset: 2px;
  }
  input {
    position: absolute;
    opacity: 0;
  }
  dl {
    display: grid;
    grid-template-columns: repeat(auto-fit, minmax(9rem, 1fr));
    gap: var(--_gap);
  }
  dl div {
    background: var(--_raised);
    border-radius: var(--_radius);
    padding: calc(var(--_gap) * 1.5);
  }
  dd {
    font-size: 1.6em;
    font-weight: 700;
  }
  .note {
    margin: calc(var(--_gap) * 1.5) 0;
    font-size: 0.9em;
  }
  figure {
    margin: 0;
  }
  svg {
    display: block;
    width: 100%;
    height: 8rem;
  }
  .created {
    fill: var(--_line);
    background: var(--_line);
  }
  .claimed {
    fill: var(--_accent);
    background: var(--_accent);
  }
  .key {
    display: inline-block;
    width: 0.8em;
    height: 0.8em;
    margin-inline: 0.6em 0.3em;
  }
  summary {
    padding-block: 3px;
    cursor: pointer;
  }
  table {
    border-collapse: collapse;
    margin-top: var(--_gap);
  }
  th,
  td {
    text-align: start;
    padding: 2px calc(var(--_gap) * 1.5) 2px 0;
  }
`;
