import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { ErrorResponse } from '@resolutionflow/types';
import { createWorld, escalation, ManualClock, rowCounts, type TestWorld } from '../test/harness.js';

describe('write rate limit', () => {
  let limited: TestWorld;
  let clock: ManualClock;
  beforeEach(async () => {
    clock = new ManualClock(Date.now());
    limited = await createWorld({
      clock,
      env: { RATE_LIMIT_WRITE_BURST: '3', RATE_LIMIT_WRITES_PER_SECOND: '1' },
    });
  });
  afterEach(() => limited.close());

  it('should answer the 4th write in a burst with 429 and Retry-After, and leave reads alone', async () => {
    const token = await limited.a.token('technician');
    for (let n = 0; n < 3; n++) {
      expect((await limited.call('POST', '/v1/handoffs', { token, body: escalation() })).status).toBe(201);
    }
    const before = await rowCounts(limited.database);
    const refused = await limited.call('POST', '/v1/handoffs', { token, body: escalation() });
    expect(refused.status).toBe(429);
    expect(refused.headers.get('Retry-After')).toBe('1');
    expect(((await refused.json()) as ErrorResponse).error).toMatchObject({
      code: 'rate_limited',
      details: { retryAfter: 1 },
    });
    expect(await rowCounts(limited.database)).toEqual(before);

    for (let n = 0; n < 20; n++) {
      expect((await limited.call('GET', '/v1/handoffs', { token })).status).toBe(200);
    }
    const other = await limited.a.token('technician', { id: 'someone-else' });
    expect((await limited.call('POST', '/v1/handoffs', { token: other, body: escalation() })).status).toBe(
      201,
    );

    clock.advance(1000);
    expect((await limited.call('POST', '/v1/handoffs', { token, body: escalation() })).status).toBe(201);
    expect((await limited.call('POST', '/v1/handoffs', { token, body: escalation() })).status).toBe(429);
  });
});
