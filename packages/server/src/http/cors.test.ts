import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { ErrorResponse } from '@resolutionflow/types';
import { createWorld, escalation, rowCounts, type TestWorld } from '../test/harness.js';

let world: TestWorld;
let technician: string;
beforeAll(async () => {
  world = await createWorld();
  technician = await world.a.token('technician');
  // Users are recorded on first sight; see this one once so the counts below only move on a change.
  await world.call('GET', '/v1/me', { token: technician });
});
afterAll(() => world.close());

describe('CORS', () => {
  it('should refuse an account A token from an origin only account B allows', async () => {
    const before = await rowCounts(world.database);
    const response = await world.call('POST', '/v1/handoffs', {
      token: technician,
      body: escalation(),
      headers: { Origin: 'https://portal-b.example' },
    });
    expect(response.status).toBe(403);
    expect(((await response.json()) as ErrorResponse).error.code).toBe('origin_not_allowed');
    expect(await rowCounts(world.database)).toEqual(before);
  });

  it("should serve an account A token from A's origin with Access-Control-Allow-Origin", async () => {
    const response = await world.call('GET', '/v1/handoffs', {
      token: technician,
      headers: { Origin: 'https://portal-a.example' },
    });
    expect(response.status).toBe(200);
    expect(response.headers.get('Access-Control-Allow-Origin')).toBe('https://portal-a.example');
    expect(response.headers.get('Access-Control-Expose-Headers')).toMatch(/Retry-After/);
  });

  it('should answer a preflight from an allowed origin allowing Authorization and Last-Event-ID', async () => {
    const response = await world.call('OPTIONS', '/v1/handoffs', {
      headers: {
        Origin: 'https://portal-a.example',
        'Access-Control-Request-Method': 'POST',
        'Access-Control-Request-Headers': 'authorization,last-event-id,content-type',
      },
    });
    expect(response.status).toBeLessThan(300);
    expect(response.headers.get('Access-Control-Allow-Origin')).toBe('https://portal-a.example');
    const allowed = (response.headers.get('Access-Control-Allow-Headers') ?? '')
      .toLowerCase()
      .split(/\s*,\s*/);
    expect(allowed).toEqual(expect.arrayContaining(['authorization', 'last-event-id', 'content-type']));
  });

  it('should not allow a preflight from an origin no account allows', async () => {
    const response = await world.call('OPTIONS', '/v1/handoffs', {
      headers: { Origin: 'https://evil.example', 'Access-Control-Request-Method': 'POST' },
    });
    expect(response.headers.get('Access-Control-Allow-Origin')).toBeNull();
  });

  it('should answer a preflight 204 with the methods, a max age and what it varies on', async () => {
    const response = await world.call('OPTIONS', '/v1/handoffs', {
      headers: { Origin: 'https://portal-a.example', 'Access-Control-Request-Method': 'PUT' },
    });
    expect(response.status).toBe(204);
    expect(response.headers.get('Access-Control-Allow-Methods')?.split(',')).toEqual(
      expect.arrayContaining(['GET', 'POST', 'PUT']),
    );
    expect(response.headers.get('Access-Control-Max-Age')).toBe('600');
    expect(response.headers.get('Vary')).toMatch(/Origin.*Access-Control-Request-Headers/);
    expect(response.headers.get('X-Content-Type-Options')).toBe('nosniff');
  });

  it('should vary on Origin and send nosniff on answers and errors alike, allowed origin or not', async () => {
    const cases = [
      { method: 'POST', body: escalation(), origin: 'https://portal-a.example', status: 201 },
      { method: 'POST', body: { title: '' }, origin: 'https://portal-a.example', status: 400 },
      { method: 'GET', origin: 'https://evil.example', status: 403 },
      { method: 'GET', origin: undefined, status: 200 },
    ];
    for (const { method, body, origin, status } of cases) {
      const headers: Record<string, string> = origin ? { Origin: origin } : {};
      const response = await world.call(method, '/v1/handoffs', { token: technician, body, headers });
      expect(response.status).toBe(status);
      expect(response.headers.get('Vary')).toBe('Origin');
      expect(response.headers.get('X-Content-Type-Options')).toBe('nosniff');
      expect(response.headers.get('Access-Control-Expose-Headers')).toBe('Retry-After,X-Request-Id');
      expect(response.headers.get('Access-Control-Allow-Origin')).toBe(
        origin === 'https://portal-a.example' ? origin : null,
      );
    }
  });
});
