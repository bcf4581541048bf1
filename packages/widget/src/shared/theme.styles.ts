import { css } from 'lit';

/**
 * The theming contract every element shares. Page-wide `--rf-*` tokens feed
 * private `--_*` knobs on `:host`; each default is a `light-dark()` pair, so
 * `color-scheme` (from `prefers-color-scheme`, or the `theme` attribute) picks
 * the palette. Both palettes meet WCAG AA for text.
 */
export const themeStyles = css`
  :host {
    color-scheme: light dark;
    --_bg: var(--rf-color-surface, light-dark(#fff, #16181d));
    --_raised: var(--rf-color-surface-raised, light-dark(#f4f6f8, #1f2229));
    --_fg: var(--rf-color-text, light-dark(#1a1d22, #e8eaed));
    --_muted: var(--rf-color-text-muted, light-dark(#555d6b, #a9b0bb));
    --_line: var(--rf-color-border, light-dark(#cdd3db, #3b404a));
    --_accent: var(--rf-color-accent, light-dark(#1b5bc6, #8db5ff));
    --_on-accent: var(--rf-color-on-accent, light-dark(#fff, #0b1830));
    --_danger: var(--rf-color-danger, light-dark(#b3261e, #ff9b90));
    --_warn: var(--rf-color-warning, light-dark(#8a4f00, #f2c06a));
    --_ok: var(--rf-color-success, light-dark(#17703a, #7ad497));
    --_radius: var(--rf-radius, 8px);
    --_gap: calc(var(--rf-space, 8px) * var(--rf-density, 1));
    display: block;
  }
  :host([theme='light']) {
    color-scheme: light;
  }
  :host([theme='dark']) {
    color-scheme: dark;
  }
  :host([hidden]) {
    display: none;
  }
  /* Inherited text properties are set again inside the shadow root: a host page's rule on the
     element itself (even with !important) must not reach the widget's text. */
  :host > * {
    color: var(--_fg);
    font: var(--rf-font-size, 14px) / 1.45 var(--rf-font-family, system-ui, sans-serif);
    letter-spacing: normal;
    word-spacing: normal;
    text-transform: none;
    text-indent: 0;
    text-align: start;
    text-shadow: none;
    white-space: normal;
    /* Paths, URLs and registry keys have no spaces: break them anywhere rather than overflow a phone. */
    overflow-wrap: anywhere;
  }
  * {
    box-sizing: border-box;
  }
  [part~='base'] {
    background: var(--_bg);
    border: 1px solid var(--_line);
    border-radius: var(--_radius);
    padding: calc(var(--_gap) * 2);
  }
  h2,
  h3,
  p,
  ol,
  ul,
  dl,
  dd {
    margin: 0;
  }
  h2 {
    font-size: 1.15em;
  }
  h3 {
    font-size: 1em;
  }
  :focus-visible {
    outline: 2px solid var(--_accent);
    outline-offset: 2px;
  }
  button {
    font: inherit;
    cursor: pointer;
    border-radius: calc(var(--_radius) * 0.75);
    padding: calc(var(--_gap) * 0.75) calc(var(--_gap) * 1.5);
    border: 1px solid var(--_accent);
    background: var(--_bg);
    color: var(--_accent);
    font-weight: 600;
  }
  button.primary {
    background: var(--_accent);
    color: var(--_on-accent);
  }
  button:disabled {
    cursor: progress;
    opacity: 0.7;
  }
  .muted {
    color: var(--_muted);
  }
  .badge {
    display: inline-block;
    border: 1px solid currentColor;
    border-radius: 999px;
    padding: 0 calc(var(--_gap) * 0.75);
    font-size: 0.85em;
    font-weight: 600;
    color: var(--_muted);
  }
  .urgent,
  .failed {
    color: var(--_danger);
  }
  .high,
  .partial {
    color: var(--_warn);
  }
  .worked {
    color: var(--_ok);
  }
  .sr {
    position: absolute;
    width: 1px;
    height: 1px;
    overflow: hidden;
    clip-path: inset(50%);
    white-space: nowrap;
  }
  .skeleton {
    display: block;
    height: 1em;
    margin: calc(var(--_gap) * 0.75) 0;
    border-radius: 4px;
    background: var(--_line);
    animation: rf-pulse 1.2s ease-in-out infinite alternate;
  }
  @keyframes rf-pulse {
    to {
      opacity: 0.4;
    }
  }
  @media (prefers-reduced-motion: reduce) {
    * {
      animation: none !important;
      transition: none !important;
    }
  }
`;
