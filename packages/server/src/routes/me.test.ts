import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { MeResponse } from '@resolutionflow/types';
import { findUser, upsertUser } from '../domain/users.js';
import { createWorld, type TestWorld } from '../test/harness.js';
import { json } from '../test/responses.js';

let world: TestWorld;
beforeEach(async () => {
  world = await createWorld();
});
afterEach(() => world.close());

describe('GET /v1/me', () => {
  it('should describe a token holder, their account and permissions, and record them', async () => {
    const token = await world.a.token('engineer', { id: 'u-9', name: 'Nia', email: 'nia@msp.example' });
    const me = await json<MeResponse>(world.call('GET', '/v1/me', { token }));
    expect(me).toEqual({
      auth: 'embed_token',
      user: { id: 'u-9', name: 'Nia', email: 'nia@msp.example', role: 'engineer' },
      account: { id: world.a.id, name: 'Account A' },
      permissions: {
        read: true,
        create: true,
        claim: true,
        analytics: true,
        manageUsers: false,
        manageAccount: false,
      },
    });
    expect(await findUser(world.database, world.a.id, 'u-9')).toMatchObject({
      name: 'Nia',
      role: 'engineer',
    });
  });

  it('should let in a person whose name a host system mis-decoded, keeping the name as sent', async () => {
    // `O’Brien` encoded as UTF-8 and read back as Latin-1: C1 controls no one can see.
    const name = 'O\u00E2\u0080\u0099Brien';
    const token = await world.a.token('viewer', { id: 'u-mojibake', name });
    const response = await world.call('GET', '/v1/me', { token });
    expect(response.status).toBe(200);
    expect((await json<MeResponse>(response)).user?.name).toBe(name);
  });

  it('should describe an API key, alone and acting as a roster user', async () => {
    const alone = await json<MeResponse>(world.call('GET', '/v1/me', { token: world.a.apiKey }));
    expect(alone).toMatchObject({ auth: 'api_key', user: null, account: { id: world.a.id } });
    expect(alone.permissions).toEqual({
      read: true,
      create: true,
      claim: false,
      analytics: true,
      manageUsers: true,
      manageAccount: false,
    });
    const rita = { id: 'rita', name: 'Rita', email: null, role: 'admin' } as const;
    await upsertUser(world.database, world.a.id, rita, Date.now());
    const actingAs = (id: string) =>
      world.call('GET', '/v1/me', { token: world.a.apiKey, headers: { 'X-Acting-User': id } });
    expect((await json<MeResponse>(actingAs('rita'))).user).toEqual(rita);
    expect((await actingAs('ghost')).status).toBe(403);
    expect((await world.call('GET', '/v1/me', { token: `${world.a.apiKey}x` })).status).toBe(401);
  });
});
