import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { DEFAULT_ESCALATION_POLICY, type AccountSettings } from '@resolutionflow/types';
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
      policy: DEFAULT_ESCALATION_POLICY,
      policyIsDefault: true,
    });

    const put = (body: unknown) => world.call('PUT', '/v1/account/settings', { token: admin, body });
    expect(await (await put({ manualBaselineMinutes: 18.5 })).json()).toMatchObject({
      manualBaselineMinutes: 18.5,
      allowedOrigins: ['https://portal-a.example'],
    });
    await put({ manualBaselineMinutes: null });
    expect((await settings()).manualBaselineMinutes).toBeNull();

    await put({ allowedOrigins: ['https://new.example', 'https://new.example', 'http://localhost:5173'] });
    expect(await settings()).toMatchObject({
      manualBaselineMinutes: null,
      allowedOrigins: ['https://new.example', 'http://localhost:5173'],
    });
    const from = (origin: string) =>
      world.call('GET', '/v1/me', { token: admin, headers: { Origin: origin } });
    expect((await from('https://new.example')).status).toBe(200);
    expect((await from('https://portal-a.example')).status).toBe(403);
  });
});

describe('the escalation policy in /v1/account/settings', () => {
  const put = async (body: unknown) =>
    world.call('PUT', '/v1/account/settings', { token: await world.a.token('admin'), body });

  it('should store a policy, go back to the default on null, and turn off with empty lists', async () => {
    const policy = {
      unclaimed: [
        { afterSeconds: 60, priorities: ['high', 'urgent'], notify: 'engineers' },
        { afterSeconds: 300, notify: 'admins' },
      ],
      claimedNotStarted: [
        { afterSeconds: 120, action: 'remind' },
        { afterSeconds: 600, action: 'release' },
      ],
    };
    expect(await (await put({ policy })).json()).toMatchObject({ policy, policyIsDefault: false });
    const off = { unclaimed: [], claimedNotStarted: [] };
    expect(await (await put({ policy: off })).json()).toMatchObject({ policy: off, policyIsDefault: false });
    expect(await (await put({ policy: null })).json()).toMatchObject({
      policy: DEFAULT_ESCALATION_POLICY,
      policyIsDefault: true,
    });
  });

  it.each([
    [
      'a step out of order',
      {
        unclaimed: [
          { afterSeconds: 60, notify: 'engineers' },
          { afterSeconds: 30, notify: 'admins' },
        ],
        claimedNotStarted: [],
      },
      'policy.unclaimed.1.afterSeconds',
    ],
    [
      'a release before a reminder',
      {
        unclaimed: [],
        claimedNotStarted: [
          { afterSeconds: 60, action: 'release' },
          { afterSeconds: 90, action: 'remind' },
        ],
      },
      'policy.claimedNotStarted.0.action',
    ],
    [
      'an unknown audience',
      { unclaimed: [{ afterSeconds: 60, notify: 'everyone' }], claimedNotStarted: [] },
      'policy.unclaimed.0.notify',
    ],
    [
      'zero seconds',
      { unclaimed: [{ afterSeconds: 0, notify: 'engineers' }], claimedNotStarted: [] },
      'policy.unclaimed.0.afterSeconds',
    ],
    [
      'an unknown priority',
      { unclaimed: [{ afterSeconds: 5, priorities: ['p1'], notify: 'admins' }], claimedNotStarted: [] },
      'policy.unclaimed.0.priorities.0',
    ],
    ['an unknown field', { unclaimed: [], claimedNotStarted: [], repeat: 3 }, 'policy'],
  ])('should refuse %s with a 400 naming the field', async (_name, policy, field) => {
    const response = await put({ policy });
    expect(response.status).toBe(400);
    const body = (await response.json()) as {
      error: { code: string; details: { fields: { path: string }[] } };
    };
    expect(body.error.code).toBe('invalid_request');
    expect(body.error.details.fields.map((issue) => issue.path)).toContainEqual(
      expect.stringMatching(new RegExp(`${field.replaceAll('.', '\\.')}(\\.|$)`)),
    );
  });

  it('should be for admins only', async () => {
    const engineer = await world.a.token('engineer');
    const body = { policy: { unclaimed: [], claimedNotStarted: [] } };
    expect((await world.call('PUT', '/v1/account/settings', { token: engineer, body })).status).toBe(403);
  });
});
