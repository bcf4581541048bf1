import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { createWorld, type TestWorld } from './test/harness.js';
import { errorOf, json } from './test/responses.js';

let world: TestWorld;
beforeEach(async () => {
  world = await createWorld();
});
afterEach(() => world.close());

describe('the API document', () => {
  it('should publish an OpenAPI 3.1 document listing every route, and an HTML reference', async () => {
    const response = await world.call('GET', '/v1/openapi.json');
    expect(response.status).toBe(200);
    const doc = await json<{ openapi: string; paths: Record<string, Record<string, unknown>> }>(response);
    expect(doc.openapi).toBe('3.1.0');
    const listed = Object.entries(doc.paths).flatMap(([path, ops]) =>
      Object.keys(ops).map((m) => `${m} ${path}`),
    );
    expect(listed).toEqual(
      expect.arrayContaining(
        ['get /me', 'post /handoffs', 'get /handoffs', 'get /handoffs/{id}', 'put /users/{id}']
          .concat(['claim', 'release', 'start', 'resolve', 'cancel'].map((a) => `post /handoffs/{id}/${a}`))
          .concat(['get /account/settings', 'put /account/settings']),
      ),
    );
    const docs = await world.call('GET', '/docs');
    expect(docs.status).toBe(200);
    expect(docs.headers.get('content-type')).toMatch(/text\/html/);
    expect(await docs.text()).toContain('/v1/openapi.json');
  });
});

describe('unknown routes', () => {
  it('should answer unknown routes with a 404 JSON error', async () => {
    const token = await world.a.token('admin', { id: 'boss', name: 'Boss' });
    for (const [method, path] of [
      ['GET', '/nope'],
      ['GET', '/v1/nope'],
      ['DELETE', `/v1/handoffs/${crypto.randomUUID()}`],
    ] as const) {
      const response = await world.call(method, path, { token });
      expect(response.status, path).toBe(404);
      expect(await errorOf(response)).toEqual({ code: 'not_found', message: 'No such route' });
    }
  });
});
