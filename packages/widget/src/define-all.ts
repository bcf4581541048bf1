/**
 * The public entry `@resolutionflow/widget/define`: defines all three elements
 * (guarded: a second copy of the bundle warns instead of throwing) and exports
 * everything the main entry does.
 *
 * @example
 * ```ts
 * import '@resolutionflow/widget/define';
 * ```
 */
import './escalation-queue/escalation-queue.js';
import './handoff-context/handoff-context.js';
import './escalation-metrics/escalation-metrics.js';

export * from './index.js';
