import { getEventListeners } from 'node:events';
import { describe, expect, it } from 'vitest';
import { webhookReceiver } from '../test/webhook-receiver.js';
import { postOnce } from './http-post.js';

describe('one webhook attempt', () => {
  it('should leave no listener on the shutdown signal once it has ended, however it ended', async () => {
    // The worker's signal lives as long as the process; every attempt listens to it while it runs.
    const stopping = new AbortController();
    const ok = await webhookReceiver();
    const failing = await webhookReceiver({ mode: { kind: 'status', status: 500 } });
    const options = { timeoutMs: 2000, policy: { allowPrivate: true }, signal: stopping.signal };
    const outcomes = [];
    for (const receiver of [ok, failing, ok]) outcomes.push(await postOnce(receiver.url, '{}', {}, options));
    expect(outcomes.map((outcome) => outcome.status)).toEqual([200, 500, 200]);
    expect(getEventListeners(stopping.signal, 'abort')).toHaveLength(0);
  });

  it('should end an attempt in flight when the signal aborts, and leave no listener', async () => {
    const stopping = new AbortController();
    const hanging = await webhookReceiver({ mode: { kind: 'hang' } });
    const options = { timeoutMs: 10_000, policy: { allowPrivate: true }, signal: stopping.signal };
    const attempt = postOnce(hanging.url, '{}', {}, options);
    await hanging.waitFor(1);
    expect(getEventListeners(stopping.signal, 'abort')).toHaveLength(1);
    stopping.abort();
    expect(await attempt).toMatchObject({ status: null, error: 'interrupted: the server was shutting down' });
    expect(getEventListeners(stopping.signal, 'abort')).toHaveLength(0);
  });
});
