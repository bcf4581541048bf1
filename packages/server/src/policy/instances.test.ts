import { describe, expect, it, onTestFinished } from 'vitest';
import { InProcessBus } from '../bus.js';
import { systemClock } from '../clock.js';
import { openDatabase } from '../db/open-database.js';
import { createServices } from '../services.js';
import { createWorld, escalation } from '../test/harness.js';
import { eventsOf, FAST_WEBHOOKS, setPolicy } from '../test/policy-world.js';
import { silentLogger } from '../test/silent-logger.js';
import { TEST_DIALECT } from '../test/test-database.js';
import { until, webhookReceiver } from '../test/webhook-receiver.js';

const ESCALATIONS = 20;

describe(`two instances on one database (${TEST_DIALECT})`, () => {
  it('should fire each policy step once and send each webhook once, though both instances find them', async () => {
    const world = await createWorld({ policyPollMs: 50, webhookPolicy: FAST_WEBHOOKS });
    onTestFinished(() => world.close());
    // The second instance: on PostgreSQL its own pool to the same database; SQLite runs as one
    // instance (a second connection in this process would block the thread waiting for the
    // first's write lock), so there two sets of background work share the one handle.
    const shared = TEST_DIALECT === 'sqlite';
    const second = shared ? world.database : await openDatabase(world.config.database);
    const other = createServices(
      {
        database: second,
        bus: new InProcessBus(),
        clock: systemClock,
        config: world.config,
        logger: silentLogger(),
      },
      { assessor: null, mailer: null, policyPollMs: 50, webhookPolicy: FAST_WEBHOOKS },
    );
    await other.start();
    onTestFinished(async () => {
      await other.stop();
      if (!shared) await second.close();
    });
    const receiver = await webhookReceiver();
    await setPolicy(world, { unclaimed: [], claimedNotStarted: [] });
    const hook = await world.call('POST', '/v1/webhooks', {
      token: world.a.apiKey,
      body: { url: receiver.url, events: ['handoff.created', 'handoff.overdue'] },
    });
    expect(hook.status).toBe(201);

    const token = await world.a.token('technician', { id: 'alex', name: 'Alex' });
    for (let n = 0; n < ESCALATIONS; n++) {
      expect((await world.call('POST', '/v1/handoffs', { token, body: escalation() })).status).toBe(201);
    }
    // All of them a second old before the policy starts (time itself must pass), then both
    // instances look at once, beside their own timers: each finds every step due.
    await new Promise((resolve) => setTimeout(resolve, 1100));
    await setPolicy(world, { unclaimed: [{ afterSeconds: 1, notify: 'engineers' }], claimedNotStarted: [] });
    await Promise.all([world.services.policy.pass(), other.policy.pass()]);
    await until(
      async () => (await eventsOf(world, 'handoff.overdue')).length >= ESCALATIONS,
      'every step',
      15_000,
    );
    await receiver.waitFor(2 * ESCALATIONS, 15_000);
    // Both instances look once more, then go quiet: nothing is left, and nothing went twice.
    expect(await world.services.policy.pass()).toBe(0);
    expect(await other.policy.pass()).toBe(0);
    await Promise.all([world.services.webhooks.idle(), other.webhooks.idle()]);

    const overdue = await eventsOf(world, 'handoff.overdue');
    expect(overdue).toHaveLength(ESCALATIONS);
    expect(new Set(overdue.map((event) => event.handoffId)).size).toBe(ESCALATIONS);
    expect(receiver.received).toHaveLength(2 * ESCALATIONS);
    expect(new Set(receiver.received.map((r) => r.headers['webhook-id'])).size).toBe(2 * ESCALATIONS);

    const found = world.services.policy.found + other.policy.found;
    const fired = world.services.policy.fired + other.policy.fired;
    const attempts = world.services.webhooks.attempts + other.webhooks.attempts;
    console.log(
      `two instances: policy steps found ${world.services.policy.found} + ${other.policy.found}, fired ` +
        `${world.services.policy.fired} + ${other.policy.fired}; webhook attempts ${world.services.webhooks.attempts} + ${other.webhooks.attempts}`,
    );
    expect(fired).toBe(ESCALATIONS);
    expect(attempts).toBe(2 * ESCALATIONS);
    // The control: more due steps were found than fired, so the instances did race for them.
    expect(found).toBeGreaterThan(ESCALATIONS);
  }, 40_000);
});
