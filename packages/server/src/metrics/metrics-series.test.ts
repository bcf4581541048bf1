import { CreateHandoffRequestSchema } from '@resolutionflow/types';
import { describe, expect, it, onTestFinished } from 'vitest';
import { OpenAiAssessor } from '../assess/openai-assessor.js';
import { createHandoff } from '../domain/handoffs.js';
import { fakeAiProvider } from '../test/fake-ai-provider.js';
import { createWorld, escalation, listen, seedHandoff, type TestWorld } from '../test/harness.js';
import { escalate, MAIL_POLICY, mailWorld, testSmtpSink } from '../test/mail-world.js';
import { METRICS_TOKEN, scrape, valueOf } from '../test/metrics-scrape.js';
import { FAST_WEBHOOKS } from '../test/policy-world.js';
import { SseClient } from '../test/sse-client.js';
import { until, webhookReceiver } from '../test/webhook-receiver.js';

async function world(env: Record<string, string> = {}) {
  const created = await createWorld({ env: { METRICS_TOKEN, ...env } });
  onTestFinished(() => created.close());
  return created;
}

async function stream(w: TestWorld): Promise<SseClient> {
  const server = await listen(w.app);
  const client = await SseClient.connect(`${server.url}/v1/stream`, {
    Authorization: `Bearer ${await w.a.token('viewer')}`,
  });
  onTestFinished(async () => {
    client.close();
    await server.close();
  });
  await client.until((c) => c.comments.includes('connected'));
  return client;
}

describe('metrics move when their cause happens', () => {
  it('should count an open stream, each delivery and its fan-out latency', async () => {
    const w = await world();
    const before = await scrape(w);
    expect(valueOf(before, 'rf_stream_connections')).toBe(0);
    const client = await stream(w);
    expect(valueOf(await scrape(w), 'rf_stream_connections')).toBe(1);

    const response = await w.call('POST', '/v1/handoffs', {
      token: await w.a.token('technician'),
      body: escalation(),
    });
    expect(response.status).toBe(201);
    await client.until((c) => c.frames.some((frame) => frame.event === 'handoff.created'));
    const after = await scrape(w);
    expect(valueOf(after, 'rf_events_delivered_total')).toBe(1);
    expect(valueOf(after, 'rf_fanout_latency_seconds')).toBe(1);
    expect(
      valueOf(after, 'rf_http_request_duration_seconds', {
        route: '/v1/handoffs',
        method: 'POST',
        status: '201',
      }),
    ).toBe(1);

    client.close();
    // The hub drops the stream on its socket's close event, which comes a moment later.
    await expect.poll(async () => valueOf(await scrape(w), 'rf_stream_connections')).toBe(0);
  });

  it('should count a client cut as a slow consumer, by its reason', async () => {
    // The sweep would wait a minute: only the 64 KB buffer bound can cut here.
    const w = await world({ STREAM_BUFFER_BYTES: '65536', STREAM_SLOW_CLIENT_SECONDS: '60' });
    const slow = await stream(w);
    slow.pause();
    const input = CreateHandoffRequestSchema.parse(escalation({ problemSummary: 'x'.repeat(4900) }));
    for (let round = 0; round < 40 && w.services.streams.size > 0; round++) {
      for (let i = 0; i < 100; i++) {
        await createHandoff(
          w.database,
          w.a.id,
          { id: 'alex', name: 'Alex' },
          input,
          { status: 'disabled' },
          Date.now(),
        );
      }
      w.deps.bus.publish(w.a.id);
      // Pacing only: lets the hub write and the socket fill between rounds.
      await new Promise((resolve) => setImmediate(resolve));
    }
    expect(w.services.streams.size).toBe(0);
    const families = await scrape(w);
    expect(valueOf(families, 'rf_stream_cuts_total', { reason: 'buffer' })).toBe(1);
    expect(valueOf(families, 'rf_stream_cuts_total', { reason: 'stalled' })).toBe(0);
    expect(valueOf(families, 'rf_stream_connections')).toBe(0);
  });

  it('should count mail that fails as a retry and show it pending in the outbox', async () => {
    const sink = await testSmtpSink();
    sink.state.rejectWith = { code: 550, message: 'Mailbox unavailable' };
    // Retries a minute apart: after the first refusal both rows wait as pending, however slow the machine.
    const outboxPolicy = { ...MAIL_POLICY, baseDelayMs: 60_000, maxDelayMs: 60_000 };
    const w = await mailWorld(sink.url, { env: { METRICS_TOKEN }, outboxPolicy });
    const before = await scrape(w);
    expect(valueOf(before, 'rf_outbox_pending', { kind: 'mail' })).toBe(0);
    expect(valueOf(before, 'rf_outbox_oldest_age_seconds', { kind: 'mail' })).toBe(0);

    await escalate(w);
    await w.services.outbox!.idle();
    const after = await scrape(w);
    // Kim and Ada are mailed (Sam escalated it himself); the server refuses each.
    expect(
      valueOf(after, 'rf_outbox_sends_total', { kind: 'mail', outcome: 'retry' }),
    ).toBeGreaterThanOrEqual(2);
    expect(valueOf(after, 'rf_outbox_sends_total', { kind: 'mail', outcome: 'sent' })).toBe(0);
    expect(valueOf(after, 'rf_outbox_pending', { kind: 'mail' })).toBe(2);
    expect(valueOf(after, 'rf_outbox_oldest_age_seconds', { kind: 'mail' })).toBeGreaterThan(0);
  });

  it('should count webhook attempts as the webhook outbox, and the backlog of enabled endpoints only', async () => {
    // A minute between retries: after its first 500 the delivery waits as pending, however slow the machine.
    const webhookPolicy = { ...FAST_WEBHOOKS, baseDelayMs: 60_000, maxDelayMs: 60_000 };
    const w = await createWorld({ env: { METRICS_TOKEN }, webhookPolicy });
    onTestFinished(() => w.close());
    const before = await scrape(w);
    for (const outcome of ['sent', 'retry', 'failed']) {
      expect(valueOf(before, 'rf_outbox_sends_total', { kind: 'webhook', outcome })).toBe(0);
    }
    expect(valueOf(before, 'rf_outbox_pending', { kind: 'webhook' })).toBe(0);

    const hooks: Record<string, string> = {};
    for (const [name, mode] of [
      ['ok', { kind: 'ok' }],
      ['failing', { kind: 'status', status: 500 }],
      ['gone', { kind: 'status', status: 410 }],
    ] as const) {
      const receiver = await webhookReceiver({ mode });
      const body = { url: receiver.url, events: ['handoff.created'] };
      const response = await w.call('POST', '/v1/webhooks', { token: w.a.apiKey, body });
      expect(response.status).toBe(201);
      hooks[name] = ((await response.json()) as { id: string }).id;
    }
    const technician = await w.a.token('technician');
    expect((await w.call('POST', '/v1/handoffs', { token: technician, body: escalation() })).status).toBe(
      201,
    );
    await until(async () => w.services.webhooks.attempts >= 3, 'one attempt per endpoint');
    await w.services.webhooks.idle();

    const after = await scrape(w);
    const sends = (outcome: string) => valueOf(after, 'rf_outbox_sends_total', { kind: 'webhook', outcome });
    // Delivered; a 500, to be retried; a 410 Gone, given up on at once.
    expect([sends('sent'), sends('retry'), sends('failed')]).toEqual([1, 1, 1]);
    expect(valueOf(after, 'rf_outbox_pending', { kind: 'webhook' })).toBe(1);
    expect(valueOf(after, 'rf_outbox_oldest_age_seconds', { kind: 'webhook' })).toBeGreaterThan(0);

    // Switched off, the failing endpoint's delivery waits on purpose: no longer a backlog.
    const off = await w.call('PATCH', `/v1/webhooks/${hooks.failing}`, {
      token: w.a.apiKey,
      body: { enabled: false },
    });
    expect(off.status).toBe(200);
    const disabled = await scrape(w);
    expect(valueOf(disabled, 'rf_outbox_pending', { kind: 'webhook' })).toBe(0);
    expect(valueOf(disabled, 'rf_outbox_oldest_age_seconds', { kind: 'webhook' })).toBe(0);
  });

  it('should count the escalation-policy steps fired, by what they did', async () => {
    const w = await world();
    const before = await scrape(w);
    for (const action of ['engineers', 'admins', 'remind', 'release']) {
      expect(valueOf(before, 'rf_policy_steps_total', { action })).toBe(0);
    }
    // Under the default policy, 45 minutes without a claim is past both unclaimed steps (10 and 30
    // minutes), and 45 minutes claimed without a start is past the reminder (30 minutes).
    const longAgo = Date.now() - 45 * 60 * 1000;
    await seedHandoff(w.database, w.a.id, { now: longAgo });
    await seedHandoff(w.database, w.a.id, { now: longAgo, claimedBy: { id: 'eng', name: 'Eli' } });
    w.services.policy.wake();
    await until(() => w.services.policy.fired >= 3, 'three policy steps fired');

    const after = await scrape(w);
    const steps = (action: string) => valueOf(after, 'rf_policy_steps_total', { action });
    expect([steps('engineers'), steps('admins'), steps('remind'), steps('release')]).toEqual([1, 1, 1, 0]);
  });

  it('should count an assessment that times out, and how long it ran', async () => {
    const provider = await fakeAiProvider({ mode: 'hang' });
    onTestFinished(provider.close);
    const w = await createWorld({
      assessor: new OpenAiAssessor({ baseUrl: provider.url, model: 'fake-model' }),
      env: { METRICS_TOKEN, ESCALATION_AI_ASSESSMENT_TIMEOUT_SECONDS: '0.2' },
    });
    onTestFinished(() => w.close());
    const response = await w.call('POST', '/v1/handoffs', {
      token: await w.a.token('technician'),
      body: escalation(),
    });
    expect(response.status).toBe(201);
    await w.services.assessments!.idle();
    const families = await scrape(w);
    expect(valueOf(families, 'rf_assessments_total', { status: 'timed_out' })).toBe(1);
    expect(valueOf(families, 'rf_assessments_total', { status: 'ready' })).toBe(0);
    expect(valueOf(families, 'rf_assessment_duration_seconds')).toBe(1);
    const sum = families.samples.find((sample) => sample.name === 'rf_assessment_duration_seconds_sum')!;
    expect(sum.value).toBeGreaterThanOrEqual(0.19);
  });
});
