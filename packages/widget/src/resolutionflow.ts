/**
 * The script-tag build (`dist/resolutionflow.js`): defines the three elements
 * and exposes, as the global `ResolutionFlow`, what a page script needs. The
 * npm entries export everything else.
 *
 * @example
 * ```html
 * <script src="https://cdn.example.com/@resolutionflow/widget/dist/resolutionflow.js"></script>
 * <script>
 *   ResolutionFlow.configure({ apiBase: 'https://rf.example.com', getToken: () => fetch('/rf-token').then((r) => r.text()) });
 * </script>
 * <escalation-queue open-context></escalation-queue>
 * ```
 */
import './escalation-queue/escalation-queue.js';
import './handoff-context/handoff-context.js';
import './escalation-metrics/escalation-metrics.js';

export { ApiClient } from './core/api-client.js';
export { ApiError } from './core/api-error.js';
export { configure } from './core/config.js';
export { liveConnection } from './core/live-registry.js';
export { TokenSource } from './core/tokens.js';
export { EscalationMetrics } from './escalation-metrics/escalation-metrics.component.js';
export { EscalationQueue } from './escalation-queue/escalation-queue.component.js';
export { HandoffContext } from './handoff-context/handoff-context.component.js';
export { VERSION } from './shared/version.js';
