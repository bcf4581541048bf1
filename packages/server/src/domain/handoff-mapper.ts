import type {
  Assessment,
  Handoff,
  HandoffContext,
  HandoffStatus,
  Intent,
  Priority,
  TriedStep,
} from '@resolutionflow/types';
import { PRIORITIES } from '@resolutionflow/types';
import type { HandoffRow } from '../db/schema.js';

const iso = (ms: number | null) => (ms === null ? null : new Date(ms).toISOString());

/** Sort rank of a priority: 0 (low) … 3 (urgent). */
export const priorityRank = (priority: Priority) => PRIORITIES.indexOf(priority);

/** A stored handoff as the API returns it. */
export function toHandoff(row: HandoffRow): Handoff {
  return {
    id: row.id,
    intent: row.intent as Intent,
    status: row.status as HandoffStatus,
    priority: row.priority as Priority,
    title: row.title,
    problemSummary: row.problemSummary,
    tried: row.tried as TriedStep[],
    context: row.context as HandoffContext,
    hostSessionId: row.hostSessionId,
    assessment: row.assessment as Assessment,
    createdBy: { id: row.createdById, name: row.createdByName },
    claimedBy:
      row.claimedById === null ? null : { id: row.claimedById, name: row.claimedByName ?? row.claimedById },
    createdAt: new Date(row.createdAt).toISOString(),
    claimedAt: iso(row.claimedAt),
    startedAt: iso(row.startedAt),
    resolvedAt: iso(row.resolvedAt),
    cancelledAt: iso(row.cancelledAt),
  };
}
