import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { createWorld, type TestWorld } from '../test/harness.js';

let world: TestWorld;
beforeEach(async () => {
  world = await createWorld();
});
afterEach(() => world.close());

describe('GET /healthz and /readyz', () => {
  it('should answer /healthz and /readyz, and /readyz 503 when the database is gone', async () => {
    expect(await (await world.call('GET', '/healthz')).json()).toEqual({ status: 'ok' });
    expect(await (await world.call('GET', '/readyz')).json()).toEqual({ status: 'ok' });
    await world.database.close();
    const down = await world.call('GET', '/readyz');
    expect(down.status).toBe(503);
    expect(await down.json()).toEqual({ status: 'unavailable' });
    expect((await world.call('GET', '/healthz')).status).toBe(200);
  });
});
