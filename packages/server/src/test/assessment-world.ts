import type { Handoff } from '@resolutionflow/types';
import { expect, onTestFinished } from 'vitest';
import type { Assessor } from '../assess/assessor.js';
import { getHandoff } from '../domain/handoffs.js';
import { createWorld, escalation, type TestWorld } from './harness.js';

/** A world that assesses with `assessor` under the given timeout; closed when the current test ends. */
export async function worldWith(assessor: Assessor, timeoutSeconds = '5'): Promise<TestWorld> {
  const world = await createWorld({
    assessor,
    env: { ESCALATION_AI_ASSESSMENT_TIMEOUT_SECONDS: timeoutSeconds },
  });
  onTestFinished(() => world.close());
  return world;
}

/** Escalates as a technician of account A; the handoff as created (its assessment still pending). */
export async function escalate(
  world: TestWorld,
  body: Record<string, unknown> = escalation(),
): Promise<Handoff> {
  const response = await world.call('POST', '/v1/handoffs', {
    token: await world.a.token('technician'),
    body,
  });
  expect(response.status).toBe(201);
  return (await response.json()) as Handoff;
}

/** The stored assessment of one of account A's handoffs. */
export const assessmentOf = async (world: TestWorld, id: string) =>
  (await getHandoff(world.database, world.a.id, id)).assessment;
