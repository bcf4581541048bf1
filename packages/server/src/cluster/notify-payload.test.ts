import { describe, expect, it } from 'vitest';
import { eventsPayloads, heartbeatPayload, MAX_PAYLOAD_BYTES, parseNotice } from './notify-payload.js';

const account = (n: number) => `3f0c6a2e-8d7b-4c1e-9a55-${String(n).padStart(12, '0')}`;

describe('bus notification payloads', () => {
  it('should carry every account of a tick, split under the size PostgreSQL accepts', () => {
    const accounts = Array.from({ length: 1000 }, (_, n) => account(n));
    const payloads = eventsPayloads('web-1', accounts);
    expect(payloads.length).toBeGreaterThan(1);
    for (const payload of payloads) expect(Buffer.byteLength(payload)).toBeLessThanOrEqual(MAX_PAYLOAD_BYTES);
    const read = payloads.map((payload) => parseNotice(payload));
    expect(read.every((notice) => notice?.kind === 'events' && notice.instance === 'web-1')).toBe(true);
    expect(read.flatMap((notice) => (notice?.kind === 'events' ? notice.accounts : []))).toEqual(accounts);
  });

  it('should send nothing for a tick without accounts', () => {
    expect(eventsPayloads('web-1', [])).toEqual([]);
  });

  it('should read heartbeats and ignore what it does not know', () => {
    expect(parseNotice(heartbeatPayload('web-1', 42))).toEqual({
      kind: 'heartbeat',
      instance: 'web-1',
      beat: 42,
    });
    expect(parseNotice('h;web-1;x')).toBeUndefined();
    expect(parseNotice('z;web-1;a')).toBeUndefined();
    expect(parseNotice('')).toBeUndefined();
    expect(parseNotice('e;web-1')).toBeUndefined();
  });
});
