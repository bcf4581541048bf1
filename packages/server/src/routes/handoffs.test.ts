import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { Handoff, HandoffPage } from '@resolutionflow/types';
import { eventTypesOf } from '../domain/events.js';
import { createWorld, escalation, type TestWorld } from '../test/harness.js';

let world: TestWorld;
beforeEach(async () => {
  world = await createWorld();
});
afterEach(() => world.close());

describe('handoff lifecycle', () => {
  it('should create, claim, start and resolve with one event per change', async () => {
    const tech = await world.a.token('technician', { id: 'alex', name: 'Alex' });
    const eng = await world.a.token('engineer', { id: 'sam', name: 'Sam' });
    const created = await world.call('POST', '/v1/handoffs', { token: tech, body: escalation() });
    expect(created.status).toBe(201);
    const handoff = (await created.json()) as Handoff;
    expect(handoff).toMatchObject({
      status: 'open',
      intent: 'escalate',
      createdBy: { id: 'alex', name: 'Alex' },
    });
    expect(handoff.assessment.status).toBe('disabled');

    const claimed = await world.call('POST', `/v1/handoffs/${handoff.id}/claim`, { token: eng });
    expect(claimed.status).toBe(200);
    expect(((await claimed.json()) as Handoff).claimedBy).toEqual({ id: 'sam', name: 'Sam' });

    const started = await world.call('POST', `/v1/handoffs/${handoff.id}/start`, { token: eng });
    expect(started.status).toBe(200);
    const again = await world.call('POST', `/v1/handoffs/${handoff.id}/start`, { token: eng });
    expect(again.status).toBe(200);
    const startedBody = (await started.json()) as Handoff;
    expect(((await again.json()) as Handoff).startedAt).toBe(startedBody.startedAt);

    const resolved = await world.call('POST', `/v1/handoffs/${handoff.id}/resolve`, { token: eng });
    expect(((await resolved.json()) as Handoff).status).toBe('resolved');
    expect(eventTypesOf(world.database.db, world.a.id, handoff.id)).toEqual([
      'handoff.created',
      'handoff.claimed',
      'handoff.started',
      'handoff.resolved',
    ]);
  });

  it('should page through the queue by priority then age without repeats', async () => {
    const tech = await world.a.token('technician');
    const priorities = ['low', 'urgent', 'normal', 'high', 'urgent', 'normal', 'low'];
    for (const priority of priorities) {
      await world.call('POST', '/v1/handoffs', { token: tech, body: escalation({ priority }) });
    }
    const seen: Handoff[] = [];
    let cursor: string | null = null;
    do {
      const query: string = cursor ? `&cursor=${cursor}` : '';
      const page = (await (
        await world.call('GET', `/v1/handoffs?limit=3${query}`, { token: tech })
      ).json()) as HandoffPage;
      seen.push(...page.items);
      cursor = page.nextCursor;
    } while (cursor);
    expect(seen.map((h) => h.priority)).toEqual([
      'urgent',
      'urgent',
      'high',
      'normal',
      'normal',
      'low',
      'low',
    ]);
    expect(new Set(seen.map((h) => h.id)).size).toBe(7);
  });
});
