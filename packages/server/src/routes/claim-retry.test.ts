import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { Handoff } from '@resolutionflow/types';
import { eventTypesOf } from '../test/event-log.js';
import { createWorld, listen, seedHandoff, type TestWorld } from '../test/harness.js';
import { errorOf } from '../test/responses.js';

let world: TestWorld;
beforeEach(async () => {
  world = await createWorld();
});
afterEach(() => world.close());

const sam = { id: 'sam', name: 'Sam' };
const kim = { id: 'kim', name: 'Kim' };
const claim = async (id: string, user: { id: string; name: string }) =>
  world.call('POST', `/v1/handoffs/${id}/claim`, { token: await world.a.token('engineer', user) });
const claimedEvents = async (id: string) =>
  (await eventTypesOf(world.database, world.a.id, id)).filter((type) => type === 'handoff.claimed');

describe('a repeated claim', () => {
  it('should answer the claimer again with 200 and the handoff as it is, writing no second event', async () => {
    const handoff = await seedHandoff(world.database, world.a.id);
    const first = await claim(handoff.id, sam);
    expect(first.status).toBe(200);
    const claimed = (await first.json()) as Handoff;
    const again = await claim(handoff.id, sam);
    expect(again.status).toBe(200);
    expect(await again.json()).toEqual(claimed);
    expect(await claimedEvents(handoff.id)).toHaveLength(1);
  });

  it('should answer the claimer with 200 after they started, leaving it started', async () => {
    const handoff = await seedHandoff(world.database, world.a.id, { claimedBy: sam });
    const token = await world.a.token('engineer', sam);
    expect((await world.call('POST', `/v1/handoffs/${handoff.id}/start`, { token })).status).toBe(200);
    const again = await claim(handoff.id, sam);
    expect(again.status).toBe(200);
    expect(await again.json()).toMatchObject({ status: 'started', claimedBy: sam });
    expect(await eventTypesOf(world.database, world.a.id, handoff.id)).toEqual([
      'handoff.created',
      'handoff.claimed',
      'handoff.started',
    ]);
  });

  it('should still answer everyone else 409 naming the holder, and the claimer 409 once it is closed', async () => {
    const handoff = await seedHandoff(world.database, world.a.id, { claimedBy: sam });
    const other = await claim(handoff.id, kim);
    expect(other.status).toBe(409);
    expect(await errorOf(other)).toMatchObject({ code: 'already_claimed', details: { claimedBy: sam } });
    const token = await world.a.token('engineer', sam);
    expect((await world.call('POST', `/v1/handoffs/${handoff.id}/resolve`, { token })).status).toBe(200);
    const closed = await claim(handoff.id, sam);
    expect(closed.status).toBe(409);
  });

  it("should not let a stale claimer release the claim another engineer made after an admin's release", async () => {
    const handoff = await seedHandoff(world.database, world.a.id, { claimedBy: sam });
    const admin = await world.a.token('admin', { id: 'boss', name: 'Boss' });
    expect((await world.call('POST', `/v1/handoffs/${handoff.id}/release`, { token: admin })).status).toBe(
      200,
    );
    expect((await claim(handoff.id, kim)).status).toBe(200);
    const stale = await world.call('POST', `/v1/handoffs/${handoff.id}/release`, {
      token: await world.a.token('engineer', sam),
    });
    expect(stale.status).toBe(403);
    expect(
      await (await world.call('GET', `/v1/handoffs/${handoff.id}`, { token: admin })).json(),
    ).toMatchObject({
      status: 'claimed',
      claimedBy: kim,
    });
  });

  it('should let one claimer retrying at once win every retry while another engineer loses, with one event', async () => {
    const server = await listen(world.app);
    try {
      const handoff = await seedHandoff(world.database, world.a.id);
      const [samToken, kimToken] = await Promise.all([
        world.a.token('engineer', sam),
        world.a.token('engineer', kim),
      ]);
      const attempt = (token: string) =>
        fetch(`${server.url}/v1/handoffs/${handoff.id}/claim`, {
          method: 'POST',
          headers: { Authorization: `Bearer ${token}` },
        });
      const responses = await Promise.all([
        ...Array.from({ length: 5 }, () => attempt(samToken)),
        ...Array.from({ length: 5 }, () => attempt(kimToken)),
      ]);
      const statuses = responses.map((response) => response.status);
      // Whoever is served first holds it: all of their retries answer 200, all of the other's 409.
      const five = (status: number) => Array<number>(5).fill(status);
      expect(statuses).toEqual(
        statuses[0] === 200 ? [...five(200), ...five(409)] : [...five(409), ...five(200)],
      );
      expect(await claimedEvents(handoff.id)).toHaveLength(1);
    } finally {
      await server.close();
    }
  });
});
