import { css } from 'lit';

/** Layout of `<escalation-queue>`; colours come from the shared theme. */
export const queueStyles = css`
  header,
  .row {
    display: flex;
    flex-wrap: wrap;
    align-items: center;
    gap: var(--_gap);
  }
  header {
    justify-content: space-between;
    margin-bottom: calc(var(--_gap) * 1.5);
  }
  .status::before {
    content: '';
    display: inline-block;
    width: 0.6em;
    height: 0.6em;
    margin-inline-end: 0.4em;
    border-radius: 50%;
    background: var(--_warn);
  }
  .status.live::before {
    background: var(--_ok);
  }
  .status.offline::before {
    background: var(--_danger);
  }
  ul {
    list-style: none;
    padding: 0;
    display: grid;
    gap: var(--_gap);
  }
  .card {
    display: grid;
    gap: calc(var(--_gap) * 0.5);
    justify-items: start;
    padding: calc(var(--_gap) * 1.5);
    background: var(--_raised);
    border: 1px solid var(--_line);
    border-inline-start: 4px solid var(--_line);
    border-radius: var(--_radius);
  }
  .card:has(.urgent) {
    border-inline-start-color: var(--_danger);
  }
  .card:has(.high) {
    border-inline-start-color: var(--_warn);
  }
  .late {
    border-color: var(--_danger);
  }
  .fresh {
    animation: rf-slide-in 200ms ease-out;
  }
  .leaving {
    border-style: dashed;
  }
  @keyframes rf-slide-in {
    from {
      opacity: 0;
      transform: translateY(-0.75rem);
    }
  }
  .notice {
    font-weight: 600;
  }
  .error {
    color: var(--_danger);
  }
  .state {
    padding: calc(var(--_gap) * 2) 0;
    display: grid;
    gap: var(--_gap);
    justify-items: start;
  }
  .tabs {
    margin-bottom: calc(var(--_gap) * 1.5);
  }
  [role='tab'] {
    border-color: var(--_line);
    color: var(--_fg);
  }
  [aria-selected='true'] {
    border-color: var(--_accent);
    box-shadow: inset 0 -3px var(--_accent);
  }
  .more {
    margin-top: calc(var(--_gap) * 1.5);
    width: 100%;
  }
  [part~='context'] {
    margin-top: var(--_gap);
  }
`;
