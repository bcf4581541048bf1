/**
 * Defines all three elements (guarded: a second copy warns instead of throwing)
 * and exports everything. The entry of the script-tag build, where it is the
 * global `ResolutionFlow`.
 */
import './escalation-queue/escalation-queue.js';
import './handoff-context/handoff-context.js';
import './escalation-metrics/escalation-metrics.js';

export * from './index.js';
