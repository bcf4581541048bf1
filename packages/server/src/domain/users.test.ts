import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { createWorld, type TestWorld } from '../test/harness.js';
import { findUser } from './users.js';

let world: TestWorld;
beforeEach(async () => {
  world = await createWorld();
});
afterEach(() => world.close());

describe('users known from tokens and the roster', () => {
  it('should keep the roster e-mail when a token for the same user carries none', async () => {
    const synced = await world.call('PUT', '/v1/users/kim', {
      token: world.a.apiKey,
      body: { name: 'Kim', email: 'kim@msp.example', role: 'engineer' },
    });
    expect(synced.status).toBe(200);
    const me = await world.call('GET', '/v1/me', {
      token: await world.a.token('engineer', { id: 'kim', name: 'Kim Park' }),
    });
    expect(me.status).toBe(200);
    expect(await findUser(world.database, world.a.id, 'kim')).toMatchObject({
      name: 'Kim Park',
      email: 'kim@msp.example',
    });
  });

  it('should let a roster sync remove an e-mail address', async () => {
    const body = { name: 'Kim', email: 'kim@msp.example', role: 'engineer' };
    await world.call('PUT', '/v1/users/kim', { token: world.a.apiKey, body });
    await world.call('PUT', '/v1/users/kim', {
      token: world.a.apiKey,
      body: { name: 'Kim', role: 'engineer' },
    });
    expect((await findUser(world.database, world.a.id, 'kim'))?.email).toBeNull();
  });
});
