import { defineElement } from '../shared/define-element.js';
import { EscalationMetrics } from './escalation-metrics.component.js';

export { EscalationMetrics } from './escalation-metrics.component.js';
export type { MetricsStrings } from './escalation-metrics.strings.js';

defineElement('escalation-metrics', EscalationMetrics);

declare global {
  interface HTMLElementTagNameMap {
    'escalation-metrics': EscalationMetrics;
  }
}
