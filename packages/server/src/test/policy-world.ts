import type { EscalationPolicy, HandoffEventData } from '@resolutionflow/types';
import { asc, eq } from 'drizzle-orm';
import { expect } from 'vitest';
import type { TestWorld } from './harness.js';

/** Webhook retries in tests: tens of milliseconds, and a poll of 50 ms. */
export const FAST_WEBHOOKS = { baseDelayMs: 20, maxDelayMs: 100, pollMs: 50, timeoutMs: 2000 };

/** Sets account A's escalation policy as its admin. */
export async function setPolicy(world: TestWorld, policy: EscalationPolicy): Promise<void> {
  const token = await world.a.token('admin', { id: 'ada', name: 'Ada' });
  const response = await world.call('PUT', '/v1/account/settings', { token, body: { policy } });
  expect(response.status).toBe(200);
}

/** An event of the account as stored, with its parsed data and when it was written. */
export interface StoredEvent {
  seq: number;
  type: string;
  handoffId: string | null;
  createdAt: number;
  data: HandoffEventData;
}

/** Account A's events of `type` (every type when left out), oldest first. */
export async function eventsOf(world: TestWorld, type?: string): Promise<StoredEvent[]> {
  const { events } = world.database.tables;
  const rows = await world.database.db
    .select()
    .from(events)
    .where(eq(events.accountId, world.a.id))
    .orderBy(asc(events.seq));
  return rows
    .filter((row) => type === undefined || row.type === type)
    .map((row) => ({ ...row, data: JSON.parse(row.data) as HandoffEventData }));
}
