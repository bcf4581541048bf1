import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { MeResponse, User } from '@resolutionflow/types';
import { findUser } from '../domain/users.js';
import { createWorld, type TestWorld } from '../test/harness.js';
import { json } from '../test/responses.js';

let world: TestWorld;
beforeEach(async () => {
  world = await createWorld();
});
afterEach(() => world.close());

describe('PUT /v1/users/:id', () => {
  it('should sync the roster from an API key and an admin, and refuse an engineer', async () => {
    const byKey = await world.call('PUT', '/v1/users/u-7', {
      token: world.a.apiKey,
      body: { name: 'Ola', email: 'ola@msp.example', role: 'engineer' },
    });
    expect(byKey.status).toBe(200);
    expect(await byKey.json()).toMatchObject({
      id: 'u-7',
      name: 'Ola',
      email: 'ola@msp.example',
      role: 'engineer',
    });

    const byAdmin = await world.call('PUT', '/v1/users/u-7', {
      token: await world.a.token('admin', { id: 'boss', name: 'Boss' }),
      body: { name: 'Ola N.', role: 'viewer' },
    });
    expect(byAdmin.status).toBe(200);
    expect((await byAdmin.json()) as User).toMatchObject({ name: 'Ola N.', email: null, role: 'viewer' });
    const acting = world.call('GET', '/v1/me', {
      token: world.a.apiKey,
      headers: { 'X-Acting-User': 'u-7' },
    });
    expect((await json<MeResponse>(acting)).permissions.claim).toBe(false);

    const byEngineer = await world.call('PUT', '/v1/users/u-8', {
      token: await world.a.token('engineer', { id: 'sam', name: 'Sam' }),
      body: { name: 'Nobody', role: 'admin' },
    });
    expect(byEngineer.status).toBe(403);
    expect(await findUser(world.database, world.a.id, 'u-8')).toBeNull();
  });
});
