import { Writable } from 'node:stream';
import { describe, expect, it, onTestFinished } from 'vitest';
import type { Handoff, Webhook, WebhookDelivery, WebhookWithSecret } from '@resolutionflow/types';
import { pino } from 'pino';
import { createWorld, escalation, ManualClock, type TestWorld } from '../test/harness.js';
import { eventsOf, FAST_WEBHOOKS } from '../test/policy-world.js';
import { until, verifiedBy, webhookReceiver } from '../test/webhook-receiver.js';

async function world(options: Parameters<typeof createWorld>[0] = {}): Promise<TestWorld> {
  const made = await createWorld({ webhookPolicy: FAST_WEBHOOKS, ...options });
  onTestFinished(() => made.close());
  return made;
}

const createHook = async (w: TestWorld, body: Record<string, unknown>) => {
  const response = await w.call('POST', '/v1/webhooks', { token: w.a.apiKey, body });
  expect(response.status).toBe(201);
  return (await response.json()) as WebhookWithSecret;
};

const escalateAs = async (w: TestWorld, body = escalation()) => {
  const token = await w.a.token('technician', { id: 'alex', name: 'Alex' });
  const response = await w.call('POST', '/v1/handoffs', { token, body });
  expect(response.status).toBe(201);
  return (await response.json()) as Handoff;
};

const deliveries = async (w: TestWorld, id: string) =>
  (
    (await (await w.call('GET', `/v1/webhooks/${id}/deliveries`, { token: w.a.apiKey })).json()) as {
      items: WebhookDelivery[];
    }
  ).items;

describe('/v1/webhooks: endpoints, signatures, filters', () => {
  it('should show the secret once, sign with it (checked by an independent HMAC), and send only subscribed types', async () => {
    const w = await world();
    const receiver = await webhookReceiver();
    const hook = await createHook(w, { url: receiver.url, events: ['handoff.created', 'handoff.claimed'] });
    expect(hook.secret).toMatch(/^whsec_[A-Za-z0-9+/]{43}=$/);
    expect(hook).toMatchObject({
      kind: 'standard',
      enabled: true,
      events: ['handoff.created', 'handoff.claimed'],
    });
    const listed = (await (await w.call('GET', '/v1/webhooks', { token: w.a.apiKey })).json()) as {
      items: Webhook[];
    };
    expect(listed.items.map((item) => item.id)).toEqual([hook.id]);
    expect(JSON.stringify(listed)).not.toContain(hook.secret!);

    const handoff = await escalateAs(w, {
      ...escalation(),
      externalRef: { system: 'connectwise', id: '48213' },
    } as ReturnType<typeof escalation>);
    const engineer = await w.a.token('engineer', { id: 'kim', name: 'Kim' });
    expect((await w.call('POST', `/v1/handoffs/${handoff.id}/claim`, { token: engineer })).status).toBe(200);
    expect((await w.call('POST', `/v1/handoffs/${handoff.id}/start`, { token: engineer })).status).toBe(200);

    await receiver.waitFor(2);
    await w.services.webhooks.idle();
    expect(receiver.received.map((r) => r.json.type)).toEqual(['handoff.created', 'handoff.claimed']);
    for (const received of receiver.received) {
      expect(verifiedBy(received, [hook.secret!])).toEqual([hook.secret]);
      expect(verifiedBy(received, ['whsec_' + Buffer.alloc(32, 1).toString('base64')])).toEqual([]);
      expect(Math.abs(Number(received.headers['webhook-timestamp']) - Date.now() / 1000)).toBeLessThan(30);
      expect(received.headers['content-type']).toBe('application/json');
    }
    // The PSA reference travels with every payload.
    expect(receiver.received[0]!.json).toMatchObject({
      type: 'handoff.created',
      data: {
        handoff: {
          id: handoff.id,
          context: { ticketUrl: 'https://psa.example.com/t/1' },
          externalRef: { system: 'connectwise', id: '48213' },
        },
      },
    });
    // A tampered body no longer verifies.
    const tampered = {
      ...receiver.received[0]!,
      body: receiver.received[0]!.body.replace('Outlook', 'Outl0ok'),
    };
    expect(verifiedBy(tampered, [hook.secret!])).toEqual([]);

    const log = await deliveries(w, hook.id);
    expect(log.map((d) => [d.eventType, d.status, d.attempts.length]).sort()).toEqual([
      ['handoff.claimed', 'delivered', 1],
      ['handoff.created', 'delivered', 1],
    ]);
    expect(log.map((d) => d.id).sort()).toEqual(
      receiver.received.map((r) => String(r.headers['webhook-id'])).sort(),
    );
  });

  it('should sign with both secrets for 24 h after a rotation, then with the new one only', async () => {
    const clock = new ManualClock(Date.now());
    const w = await world({ clock });
    const receiver = await webhookReceiver();
    const hook = await createHook(w, { url: receiver.url });
    const rotated = (await (
      await w.call('POST', `/v1/webhooks/${hook.id}/rotate-secret`, { token: w.a.apiKey })
    ).json()) as WebhookWithSecret;
    expect(rotated.secret).not.toBe(hook.secret);
    expect(rotated.previousSecretExpiresAt).toBe(new Date(clock.now() + 24 * 3600 * 1000).toISOString());

    const ping = async () => {
      const response = await w.call('POST', `/v1/webhooks/${hook.id}/test`, { token: w.a.apiKey });
      expect(response.status).toBe(202);
      await receiver.waitFor(receiver.received.length + 1);
      return receiver.received.at(-1)!;
    };
    const inWindow = await ping();
    expect(inWindow.json.type).toBe('webhook.test');
    expect(String(inWindow.headers['webhook-signature']).split(' ')).toHaveLength(2);
    expect(verifiedBy(inWindow, [hook.secret!, rotated.secret!])).toEqual([hook.secret, rotated.secret]);

    clock.advance(24 * 3600 * 1000 + 1);
    const after = await ping();
    expect(String(after.headers['webhook-signature']).split(' ')).toHaveLength(1);
    expect(verifiedBy(after, [hook.secret!, rotated.secret!])).toEqual([rotated.secret]);
  });

  it('should retry with backoff, disable the endpoint after a run of failures (event and log line), and redeliver on request', async () => {
    const lines: Record<string, unknown>[] = [];
    const logger = pino(
      { level: 'warn' },
      new Writable({
        write(chunk: Buffer, _encoding, done) {
          lines.push(JSON.parse(chunk.toString()) as Record<string, unknown>);
          done();
        },
      }),
    );
    const w = await world({
      logger,
      webhookPolicy: { ...FAST_WEBHOOKS, maxAttempts: 3, disableAfterFailures: 5 },
    });
    const receiver = await webhookReceiver({ mode: { kind: 'status', status: 500 } });
    const watcher = await webhookReceiver();
    const hook = await createHook(w, { url: receiver.url, events: ['handoff.created'] });
    await createHook(w, { url: watcher.url, events: ['webhook.disabled'] });
    await escalateAs(w);
    await escalateAs(w);

    // Oldest due first, one at a time per endpoint: the two deliveries take turns, so the first's
    // third and last attempt is the 5th failure in a row, which disables the endpoint.
    await until(async () => (await eventsOf(w, 'webhook.disabled')).length === 1, 'the endpoint disabled');
    await w.services.webhooks.idle();
    const got = (await w
      .call('GET', `/v1/webhooks/${hook.id}`, { token: w.a.apiKey })
      .then((r) => r.json())) as Webhook;
    expect(got).toMatchObject({ enabled: false, consecutiveFailures: 5 });
    expect(got.disabledReason).toMatch(/5 failed attempts in a row \(last: HTTP 500\)/);
    expect(receiver.received).toHaveLength(5);
    // The backoff: the retries waited at least 20 ms, then 40 ms (base 20 ms, doubling).
    const firstId = receiver.received[0]!.headers['webhook-id'];
    const times = receiver.received.filter((r) => r.headers['webhook-id'] === firstId).map((r) => r.at);
    expect(times).toHaveLength(3);
    expect(times[1]! - times[0]!).toBeGreaterThanOrEqual(20);
    expect(times[2]! - times[1]!).toBeGreaterThanOrEqual(40);

    const log = await deliveries(w, hook.id);
    const failed = log.find((d) => d.id === firstId)!;
    const pending = log.find((d) => d.id !== firstId)!;
    expect(failed).toMatchObject({ status: 'failed' });
    expect(failed.attempts.map((a) => [a.status, a.error])).toEqual([
      [500, 'HTTP 500'],
      [500, 'HTTP 500'],
      [500, 'HTTP 500'],
    ]);
    expect(pending).toMatchObject({ status: 'pending' });
    expect(lines.some((line) => line.msg === 'webhook endpoint disabled' && line.webhook === hook.id)).toBe(
      true,
    );
    const [disabled] = await eventsOf(w, 'webhook.disabled');
    expect(disabled!.handoffId).toBeNull();
    expect(JSON.stringify(disabled!.data)).not.toContain(receiver.url);
    await watcher.waitFor(1);
    expect(watcher.received[0]!.json).toMatchObject({
      type: 'webhook.disabled',
      data: { webhook: { id: hook.id } },
    });

    // Redelivery while disabled is refused; once enabled, the waiting delivery goes out by itself
    // and the failed one on request, with its first webhook-id.
    const redeliver = () =>
      w.call('POST', `/v1/webhooks/${hook.id}/deliveries/${String(firstId)}/redeliver`, {
        token: w.a.apiKey,
      });
    expect((await redeliver()).status).toBe(409);
    receiver.state.mode = { kind: 'ok' };
    const patched = await w.call('PATCH', `/v1/webhooks/${hook.id}`, {
      token: w.a.apiKey,
      body: { enabled: true },
    });
    expect(await patched.json()).toMatchObject({
      enabled: true,
      consecutiveFailures: 0,
      disabledReason: null,
    });
    expect((await redeliver()).status).toBe(202);
    await receiver.waitFor(7);
    await w.services.webhooks.idle();
    expect(
      receiver.received
        .slice(5)
        .map((r) => r.headers['webhook-id'])
        .sort(),
    ).toEqual([String(firstId), pending.id].sort());
    const after = await deliveries(w, hook.id);
    expect(after.map((d) => d.status)).toEqual(['delivered', 'delivered']);
    expect(after.find((d) => d.id === firstId)!.attempts).toHaveLength(4);
  });

  it('should disable at once on 410 Gone', async () => {
    const w = await world();
    const receiver = await webhookReceiver({ mode: { kind: 'status', status: 410 } });
    const hook = await createHook(w, { url: receiver.url });
    expect((await w.call('POST', `/v1/webhooks/${hook.id}/test`, { token: w.a.apiKey })).status).toBe(202);
    await until(async () => (await eventsOf(w, 'webhook.disabled')).length === 1, 'disabled by 410');
    expect(receiver.received).toHaveLength(1);
    const got = (await w
      .call('GET', `/v1/webhooks/${hook.id}`, { token: w.a.apiKey })
      .then((r) => r.json())) as Webhook;
    expect(got.disabledReason).toMatch(/410 Gone/);
  });

  it('should keep endpoints to their account, for admins and API keys only, and delete with the log', async () => {
    const w = await world();
    const receiver = await webhookReceiver();
    const hook = await createHook(w, { url: receiver.url, description: 'PSA bridge' });
    const bAdmin = await w.b.token('admin');
    for (const [method, path] of [
      ['GET', `/v1/webhooks/${hook.id}`],
      ['PATCH', `/v1/webhooks/${hook.id}`],
      ['DELETE', `/v1/webhooks/${hook.id}`],
      ['POST', `/v1/webhooks/${hook.id}/rotate-secret`],
      ['POST', `/v1/webhooks/${hook.id}/test`],
      ['GET', `/v1/webhooks/${hook.id}/deliveries`],
    ] as const) {
      const response = await w.call(method, path, {
        token: bAdmin,
        ...(method === 'PATCH' ? { body: { enabled: false } } : {}),
      });
      expect(response.status, `${method} ${path}`).toBe(404);
    }
    expect(
      ((await (await w.call('GET', '/v1/webhooks', { token: bAdmin })).json()) as { items: unknown[] }).items,
    ).toEqual([]);
    const engineer = await w.a.token('engineer');
    expect((await w.call('GET', '/v1/webhooks', { token: engineer })).status).toBe(403);
    expect(
      (await w.call('POST', '/v1/webhooks', { token: engineer, body: { url: receiver.url } })).status,
    ).toBe(403);
    const admin = await w.a.token('admin');
    expect((await w.call('DELETE', `/v1/webhooks/${hook.id}`, { token: admin })).status).toBe(204);
    expect((await w.call('GET', `/v1/webhooks/${hook.id}`, { token: admin })).status).toBe(404);
  });
});

describe('SSRF: targets refused with WEBHOOK_ALLOW_PRIVATE off', () => {
  it.each([
    ['loopback', 'http://127.0.0.1:8080/hook'],
    ['10/8', 'http://10.1.2.3/hook'],
    ['the cloud metadata address', 'http://169.254.169.254/latest/meta-data/'],
    ['a name resolving to loopback', 'http://localhost:8080/hook'],
    ['IPv6 loopback', 'http://[::1]:8080/hook'],
    ['loopback written as IPv6', 'http://[::ffff:127.0.0.1]:8080/hook'],
    ['192.168/16', 'https://192.168.0.10/hook'],
  ])('should refuse %s at creation with a 400', async (_name, url) => {
    const w = await world({ env: { WEBHOOK_ALLOW_PRIVATE: 'false' } });
    const response = await w.call('POST', '/v1/webhooks', { token: w.a.apiKey, body: { url } });
    expect(response.status).toBe(400);
    expect(await response.json()).toMatchObject({ error: { code: 'url_not_allowed' } });
  });

  it('should check the address at every attempt and follow no redirect to a refused one', async () => {
    // The receiver that redirects listens on 127.0.0.2, the one address this world allows; it
    // sends deliveries on to a receiver on 127.0.0.1, which is refused.
    const inside = await webhookReceiver();
    const redirector = await webhookReceiver({
      host: '127.0.0.2',
      mode: { kind: 'redirect', location: inside.url },
    });
    const w = await world({
      webhookPolicy: {
        ...FAST_WEBHOOKS,
        maxAttempts: 1,
        addresses: { allowPrivate: false, allowAddresses: ['127.0.0.2'] },
      },
    });
    const hook = await createHook(w, { url: redirector.url });
    expect((await w.call('POST', `/v1/webhooks/${hook.id}/test`, { token: w.a.apiKey })).status).toBe(202);
    await redirector.waitFor(1);
    await until(
      async () => (await deliveries(w, hook.id))[0]?.status === 'failed',
      'the redirected delivery',
    );
    expect((await deliveries(w, hook.id))[0]!.attempts[0]).toMatchObject({
      status: 307,
      error: 'redirect not followed (HTTP 307)',
    });

    // A name that resolves to loopback when the delivery is made (stored while allowed: a DNS change).
    const { webhookEndpoints } = w.database.tables;
    await w.database.write(({ db }) =>
      db.update(webhookEndpoints).set({ url: `http://localhost:${inside.port}/hooks` }),
    );
    expect((await w.call('POST', `/v1/webhooks/${hook.id}/test`, { token: w.a.apiKey })).status).toBe(202);
    await until(
      async () => (await deliveries(w, hook.id)).every((d) => d.status === 'failed'),
      'the refused delivery',
    );
    const [latest] = await deliveries(w, hook.id);
    expect(latest!.attempts[0]).toMatchObject({ status: null });
    expect(latest!.attempts[0]!.error).toMatch(/refused: 127\.0\.0\.1/);
    expect(inside.received).toHaveLength(0);
  });
});

describe('shutdown', () => {
  it('should end an attempt in flight at once, record it, and leave the delivery to retry', async () => {
    const w = await world({ webhookPolicy: { ...FAST_WEBHOOKS, timeoutMs: 10_000 } });
    const receiver = await webhookReceiver({ mode: { kind: 'hang' } });
    const hook = await createHook(w, { url: receiver.url });
    expect((await w.call('POST', `/v1/webhooks/${hook.id}/test`, { token: w.a.apiKey })).status).toBe(202);
    await receiver.waitFor(1);
    const started = performance.now();
    await w.services.webhooks.stop();
    expect(performance.now() - started).toBeLessThan(1000);
    const [delivery] = await deliveries(w, hook.id);
    expect(delivery).toMatchObject({ status: 'pending' });
    expect(delivery!.attempts[0]!.error).toBe('interrupted: the server was shutting down');
  });
});
