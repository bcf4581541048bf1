import { createHmac } from 'node:crypto';
import { dirname, join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { describe, expect, it, onTestFinished } from 'vitest';
import type { Handoff, WebhookWithSecret } from '@resolutionflow/types';
import { freePort } from '../test/free-port.js';
import { createWorld, escalation } from '../test/harness.js';
import { FAST_WEBHOOKS } from '../test/policy-world.js';
import { until } from '../test/webhook-receiver.js';

/** The example a PSA integrator copies (examples/psa-webhook-receiver), loaded as they would run it. */
interface ExampleReceiver {
  url: string;
  notes: { system: string; ticketId: string; method: string; path: string; body: unknown }[];
  stats: { accepted: number; rejected: number; duplicates: number };
  close(): Promise<void>;
}
const EXAMPLE = join(
  dirname(fileURLToPath(import.meta.url)),
  '../../../../examples/psa-webhook-receiver/receiver.mjs',
);
const { startReceiver } = (await import(pathToFileURL(EXAMPLE).href)) as {
  startReceiver(options: { port: number; secrets: string[] }): Promise<ExampleReceiver>;
};

/** Signs like a sender would, for requests the test forges (a stale timestamp). */
const sign = (secret: string, id: string, timestamp: number, body: string) =>
  `v1,${createHmac('sha256', Buffer.from(secret.slice('whsec_'.length), 'base64'))
    .update(`${id}.${timestamp}.${body}`)
    .digest('base64')}`;

describe('examples/psa-webhook-receiver', () => {
  it('should turn signed events into ConnectWise notes, and reject bad signatures and stale replays', async () => {
    const world = await createWorld({ webhookPolicy: FAST_WEBHOOKS });
    onTestFinished(() => world.close());
    const port = await freePort();
    const created = await world.call('POST', '/v1/webhooks', {
      token: world.a.apiKey,
      body: { url: `http://127.0.0.1:${port}/resolutionflow`, description: 'ConnectWise bridge' },
    });
    const { secret } = (await created.json()) as WebhookWithSecret;
    const receiver = await startReceiver({ port, secrets: [secret!] });
    onTestFinished(() => receiver.close());

    const tech = await world.a.token('technician', { id: 'alex', name: 'Alex' });
    const body = { ...escalation(), externalRef: { system: 'connectwise', id: '48213' } };
    const handoff = (await (
      await world.call('POST', '/v1/handoffs', { token: tech, body })
    ).json()) as Handoff;
    const engineer = await world.a.token('engineer', { id: 'kim', name: 'Kim' });
    for (const step of ['claim', 'start', 'resolve'])
      expect(
        (await world.call('POST', `/v1/handoffs/${handoff.id}/${step}`, { token: engineer })).status,
      ).toBe(200);
    await until(() => receiver.notes.length === 4, 'four ticket notes');
    expect(receiver.notes.map((note) => [note.system, note.ticketId, note.path])).toEqual(
      Array(4).fill(['connectwise', '48213', '/v4_6_release/apis/3.0/service/tickets/48213/notes']),
    );
    expect(receiver.notes[1]!.body).toMatchObject({
      text: 'Picked up by Kim in ResolutionFlow.\nhttps://psa.example.com/t/1',
      internalAnalysisFlag: true,
      resolutionFlag: false,
    });
    expect(receiver.notes[3]!.body).toMatchObject({ resolutionFlag: true });

    const forged = JSON.stringify({
      type: 'handoff.resolved',
      timestamp: new Date().toISOString(),
      data: {},
    });
    const post = (headers: Record<string, string>) =>
      fetch(receiver.url, {
        method: 'POST',
        headers: { 'content-type': 'application/json', ...headers },
        body: forged,
      });
    const now = Math.floor(Date.now() / 1000);
    const wrongKey = `whsec_${Buffer.alloc(32, 7).toString('base64')}`;
    expect(
      (
        await post({
          'webhook-id': 'msg_x',
          'webhook-timestamp': String(now),
          'webhook-signature': sign(wrongKey, 'msg_x', now, forged),
        })
      ).status,
    ).toBe(401);
    const stale = now - 600;
    expect(
      (
        await post({
          'webhook-id': 'msg_y',
          'webhook-timestamp': String(stale),
          'webhook-signature': sign(secret!, 'msg_y', stale, forged),
        })
      ).status,
    ).toBe(401);
    // The same message id again (a retry whose answer was lost, or a replay in the window): acknowledged, not acted on.
    const again = {
      'webhook-id': 'msg_z',
      'webhook-timestamp': String(now),
      'webhook-signature': sign(secret!, 'msg_z', now, forged),
    };
    expect((await post(again)).status).toBe(200);
    expect((await post(again)).status).toBe(200);
    expect(receiver.stats).toEqual({ accepted: 5, rejected: 2, duplicates: 1 });
    expect(receiver.notes).toHaveLength(4);
  });
});
