import { defineElement } from '../shared/define-element.js';
// `open-context` shows a <handoff-context> after a claim: defining the queue defines it too.
import '../handoff-context/handoff-context.js';
import { EscalationQueue } from './escalation-queue.component.js';

export { EscalationQueue } from './escalation-queue.component.js';
export type { QueueStrings } from './escalation-queue.strings.js';

defineElement('escalation-queue', EscalationQueue);

declare global {
  interface HTMLElementTagNameMap {
    'escalation-queue': EscalationQueue;
  }
}
