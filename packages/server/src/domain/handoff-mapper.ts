import type { Handoff } from '@resolutionflow/types';
import type { HandoffRow } from '../db/schema.js';

const iso = (ms: number | null) => (ms === null ? null : new Date(ms).toISOString());

/** A stored handoff as the API returns it. */
export function toHandoff(row: HandoffRow): Handoff {
  return {
    id: row.id,
    intent: row.intent,
    status: row.status,
    priority: row.priority,
    title: row.title,
    problemSummary: row.problemSummary,
    tried: row.tried,
    context: row.context,
    hostSessionId: row.hostSessionId,
    assessment: row.assessment,
    createdBy: { id: row.createdById, name: row.createdByName },
    claimedBy:
      row.claimedById === null ? null : { id: row.claimedById, name: row.claimedByName ?? row.claimedById },
    createdAt: new Date(row.createdAt).toISOString(),
    claimedAt: iso(row.claimedAt),
    startedAt: iso(row.startedAt),
    resolvedAt: iso(row.resolvedAt),
    cancelledAt: iso(row.cancelledAt),
    ...(row.externalRef ? { externalRef: row.externalRef } : {}),
    ...(row.overdueAt === null ? {} : { overdueAt: new Date(row.overdueAt).toISOString() }),
  };
}
