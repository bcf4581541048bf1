import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Handoff, WebhookDelivery } from '@resolutionflow/types';
import { createWorld, escalation, type TestWorld } from '../test/harness.js';
import { Prng } from '../test/prng.js';
import { sized } from '../test/soak.js';
import { latencyBound, latencySummary } from '../test/stats.js';
import { until, webhookReceiver, type ReceiverMode } from '../test/webhook-receiver.js';

const TIMEOUT_MS = sized(120_000, 900_000);
const CREATES = sized(100, 500);
const WARM_UP = 10;
const prng = Prng.fromEnv();
/** Retries every few tens of ms, an attempt's deadline 300 ms, and no disabling: every delivery must arrive. */
const POLICY = {
  maxAttempts: 1000,
  baseDelayMs: 50,
  maxDelayMs: 200,
  pollMs: 50,
  timeoutMs: 300,
  disableAfterFailures: 100_000,
};

interface Scenario {
  name: string;
  mode: ReceiverMode;
  world?: TestWorld;
  receiver?: Awaited<ReturnType<typeof webhookReceiver>>;
  hookId?: string;
  token?: string;
  latencies: number[];
  handoffs: Handoff[];
}
const SCENARIOS: Scenario[] = [
  { name: 'healthy', mode: { kind: 'ok' } },
  { name: 'receiver hanging', mode: { kind: 'hang' } },
  { name: 'receiver answering 500', mode: { kind: 'status', status: 500 } },
  { name: 'receiver closing mid-answer', mode: { kind: 'close-mid-body' } },
  // A second healthy world: its ratio to the first is the noise of this run's p99 comparison.
  { name: 'healthy again (control)', mode: { kind: 'ok' } },
].map((scenario) => ({ ...scenario, latencies: [], handoffs: [] }) as Scenario);

beforeAll(async () => {
  for (const scenario of SCENARIOS) {
    scenario.receiver = await webhookReceiver({ mode: scenario.mode, onTestEnd: false });
    const world = await createWorld({ webhookPolicy: POLICY });
    const response = await world.call('POST', '/v1/webhooks', {
      token: world.a.apiKey,
      body: { url: scenario.receiver.url, events: ['handoff.created'] },
    });
    expect(response.status).toBe(201);
    scenario.hookId = ((await response.json()) as { id: string }).id;
    scenario.world = world;
    scenario.token = await world.a.token('technician', { id: 'alex', name: 'Alex' }, 3600);
  }
});
afterAll(async () => {
  for (const scenario of SCENARIOS) {
    await scenario.world?.close();
    await scenario.receiver?.close();
  }
});

async function create(scenario: Scenario): Promise<number> {
  const started = performance.now();
  const response = await scenario.world!.call('POST', '/v1/handoffs', {
    token: scenario.token!,
    body: escalation(),
  });
  const ms = performance.now() - started;
  expect(response.status).toBe(201);
  scenario.handoffs.push((await response.json()) as Handoff);
  return ms;
}

const log = async (scenario: Scenario): Promise<WebhookDelivery[]> => {
  const response = await scenario.world!.call('GET', `/v1/webhooks/${scenario.hookId}/deliveries?limit=100`, {
    token: scenario.world!.a.apiKey,
  });
  return ((await response.json()) as { items: WebhookDelivery[] }).items;
};

describe(`webhook receiver faults (${CREATES} creates per condition, random order each round, seed ${prng.seed})`, () => {
  it(
    'should create as fast with a hanging, failing or connection-dropping receiver as with a healthy one, log every attempt, and lose nothing on recovery',
    async () => {
      for (let round = 0; round < WARM_UP + CREATES; round++) {
        for (const scenario of prng.shuffled(SCENARIOS)) {
          const ms = await create(scenario);
          if (round >= WARM_UP) scenario.latencies.push(ms);
        }
      }
      const healthy = latencySummary(SCENARIOS[0]!.latencies);

      // While failing, attempts are in the log with why they failed.
      const failing: string[] = [];
      for (const scenario of SCENARIOS.slice(1, 4)) {
        await until(
          async () => (await log(scenario)).some((d) => d.attempts.length > 0),
          `${scenario.name} attempts`,
        );
        const tried = (await log(scenario)).filter((d) => d.attempts.length > 0);
        expect(tried.every((d) => d.attempts.every((a) => a.error !== null))).toBe(true);
        failing.push(`${scenario.name}: "${tried[0]!.attempts[0]!.error}"`);
      }
      expect(failing[0]).toMatch(/no answer within 300 ms/);
      expect(failing[1]).toMatch(/HTTP 500/);
      expect(failing[2]).toMatch(/connection lost/);

      // Recovery: every receiver answers; then every escalation arrives, each under one webhook-id.
      const total = WARM_UP + CREATES;
      for (const scenario of SCENARIOS) scenario.receiver!.state.mode = { kind: 'ok' };
      const delivered: string[] = [];
      for (const scenario of SCENARIOS) {
        await until(
          async () => {
            const ids = new Set(
              scenario
                .receiver!.received.filter((r) => r.json.type === 'handoff.created')
                .map((r) => (r.json.data as { handoff: Handoff }).handoff.id),
            );
            return ids.size === total;
          },
          `${scenario.name} deliveries`,
          sized(30_000, 300_000),
        );
        await scenario.world!.services.webhooks.idle();
        const arrived = scenario.receiver!.received.map(
          (r) => (r.json.data as { handoff: Handoff }).handoff.id,
        );
        expect(new Set(arrived)).toEqual(new Set(scenario.handoffs.map((h) => h.id)));
        const everyDelivery = await log(scenario);
        // `limit=100` pages from the newest; the status filter and counts come from the whole log.
        const { webhookDeliveries } = scenario.world!.database.tables;
        const rows = await scenario.world!.database.db.select().from(webhookDeliveries);
        expect(rows).toHaveLength(total);
        expect(rows.every((row) => row.status === 'delivered' && row.log.length === row.attempts)).toBe(true);
        expect(everyDelivery.length).toBe(Math.min(100, total));
        const attempts = rows.reduce((sum, row) => sum + row.log.length, 0);
        delivered.push(
          `${scenario.name} ${total}/${total} delivered in ${attempts} attempts (${arrived.length} requests received)`,
        );
      }

      const lines = SCENARIOS.map((scenario) => {
        const summary = latencySummary(scenario.latencies);
        return { scenario, summary, ratio: summary.p99 / healthy.p99 };
      });
      console.log(
        `webhook faults: create latency over ${CREATES} creates each (interleaved in a random order each round, seed ${prng.seed}; server and receivers in-process): ` +
          lines
            .map(
              ({ scenario, summary, ratio }) => `${scenario.name} ${summary.text} (p99 ×${ratio.toFixed(2)})`,
            )
            .join('; ') +
          `. While failing: ${failing.join('; ')}. After recovery: ${delivered.join('; ')}`,
      );
      const reference = Math.max(healthy.p99, latencySummary(SCENARIOS.at(-1)!.latencies).p99);
      for (const { scenario, summary } of lines) {
        expect(summary.p99, scenario.name).toBeLessThan(100);
        expect(summary.p99, scenario.name).toBeLessThan(latencyBound(reference));
      }
    },
    TIMEOUT_MS,
  );

  it('should keep delivering to a healthy endpoint while another endpoint of the same account hangs', async () => {
    const world = SCENARIOS[1]!.world!;
    const healthy = await webhookReceiver();
    const stuck = await webhookReceiver({ mode: { kind: 'hang' } });
    for (const url of [healthy.url, stuck.url]) {
      const response = await world.call('POST', '/v1/webhooks', {
        token: world.a.apiKey,
        body: { url, events: ['handoff.created'] },
      });
      expect(response.status).toBe(201);
    }
    const started = Date.now();
    for (let n = 0; n < 20; n++) await create(SCENARIOS[1]!);
    await healthy.waitFor(20);
    const took = Date.now() - started;
    console.log(
      `webhook faults: 20 deliveries to a healthy endpoint beside a hanging one in ${took} ms; the hanging one got ${stuck.received.length} attempts meanwhile`,
    );
    expect(took).toBeLessThan(5000);
    // One attempt at a time per endpoint: the hanging receiver holds one slot, not the sender.
    expect(stuck.received.length).toBeLessThan(20);
  });
});
