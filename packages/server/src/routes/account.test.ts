import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { AccountSettings } from '@resolutionflow/types';
import { createWorld, type TestWorld } from '../test/harness.js';
import { json } from '../test/responses.js';

let world: TestWorld;
beforeEach(async () => {
  world = await createWorld();
});
afterEach(() => world.close());

describe('/v1/account/settings', () => {
  it('should read and change the baseline and origins, with origins taking effect at once', async () => {
    const admin = await world.a.token('admin', { id: 'boss', name: 'Boss' });
    const settings = () => json<AccountSettings>(world.call('GET', '/v1/account/settings', { token: admin }));
    expect(await settings()).toEqual({
      manualBaselineMinutes: null,
      allowedOrigins: ['https://portal-a.example'],
    });

    const put = (body: unknown) => world.call('PUT', '/v1/account/settings', { token: admin, body });
    expect(await (await put({ manualBaselineMinutes: 18.5 })).json()).toEqual({
      manualBaselineMinutes: 18.5,
      allowedOrigins: ['https://portal-a.example'],
    });
    await put({ manualBaselineMinutes: null });
    expect((await settings()).manualBaselineMinutes).toBeNull();

    await put({ allowedOrigins: ['https://new.example', 'https://new.example', 'http://localhost:5173'] });
    expect(await settings()).toEqual({
      manualBaselineMinutes: null,
      allowedOrigins: ['https://new.example', 'http://localhost:5173'],
    });
    const from = (origin: string) =>
      world.call('GET', '/v1/me', { token: admin, headers: { Origin: origin } });
    expect((await from('https://new.example')).status).toBe(200);
    expect((await from('https://portal-a.example')).status).toBe(403);
  });
});
