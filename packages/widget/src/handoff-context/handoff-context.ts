import { defineElement } from '../shared/define-element.js';
import { HandoffContext } from './handoff-context.component.js';

export { HandoffContext } from './handoff-context.component.js';
export type { ContextStrings } from './handoff-context.strings.js';

defineElement('handoff-context', HandoffContext);

declare global {
  interface HTMLElementTagNameMap {
    'handoff-context': HandoffContext;
  }
}
