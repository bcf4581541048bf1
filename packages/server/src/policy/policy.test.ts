import { describe, expect, it } from 'vitest';
import type { Handoff } from '@resolutionflow/types';
import { eq } from 'drizzle-orm';
import { InProcessBus } from '../bus.js';
import { systemClock } from '../clock.js';
import { SmtpMailer } from '../mail/mailer.js';
import { createServices } from '../services.js';
import { escalate, MAIL_POLICY, mailWorld, testSmtpSink } from '../test/mail-world.js';
import { eventsOf, FAST_WEBHOOKS, setPolicy } from '../test/policy-world.js';
import { silentLogger } from '../test/silent-logger.js';
import { until, verifiedBy, webhookReceiver } from '../test/webhook-receiver.js';
import type { TestWorld } from '../test/harness.js';

const POLL_MS = 100;

const claimAs = async (world: TestWorld, id: string, user: { id: string; name: string }) => {
  const token = await world.a.token('engineer', user);
  const response = await world.call('POST', `/v1/handoffs/${id}/claim`, { token });
  expect(response.status).toBe(200);
  return (await response.json()) as Handoff;
};

const firingsOf = async (world: TestWorld, handoffId: string) => {
  const { policyFirings } = world.database.tables;
  return world.database.db.select().from(policyFirings).where(eq(policyFirings.handoffId, handoffId));
};

/** Subjects and recipients of the mail the sink got whose subject matches `subject`. */
const mailed = (sink: Awaited<ReturnType<typeof testSmtpSink>>, subject: RegExp) =>
  sink.messages.filter((message) => subject.test(message.raw)).map((message) => message.to.join(','));

const KIM = { id: 'kim', name: 'Kim' };

describe('escalation policy timers (1 s / 2 s steps, real SMTP, a real webhook receiver)', () => {
  it('should re-notify the engineers after 1 s and the admins after 2 s, by mail and webhook, and fire nothing for a claimed escalation', async () => {
    const sink = await testSmtpSink();
    const world = await mailWorld(sink.url, { policyPollMs: POLL_MS, webhookPolicy: FAST_WEBHOOKS });
    const receiver = await webhookReceiver();
    await setPolicy(world, {
      unclaimed: [
        { afterSeconds: 1, notify: 'engineers' },
        { afterSeconds: 2, notify: 'admins' },
      ],
      claimedNotStarted: [],
    });
    const created = await world.call('POST', '/v1/webhooks', {
      token: world.a.apiKey,
      body: { url: receiver.url, events: ['handoff.overdue'] },
    });
    const { secret } = (await created.json()) as { secret: string };

    const { handoff: waiting } = await escalate(world);
    const { handoff: taken } = await escalate(world);
    await claimAs(world, taken.id, KIM);

    await until(async () => (await eventsOf(world, 'handoff.overdue')).length >= 2, 'two overdue events');
    // One more full pass finds nothing left to fire.
    expect(await world.services.policy.pass()).toBe(0);
    const overdue = await eventsOf(world, 'handoff.overdue');
    expect(
      overdue.map((event) => [event.handoffId, event.data.policy?.step, event.data.policy?.action]),
    ).toEqual([
      [waiting.id, 0, 'engineers'],
      [waiting.id, 1, 'admins'],
    ]);
    // The creator (Sam) is never told about their own escalation; Lee has no address but is still an engineer.
    expect(overdue[0]!.data.policy?.notified).toEqual(['kim', 'lee']);
    expect(overdue[1]!.data.policy?.notified).toEqual(['ada']);
    const createdAt = Date.parse(waiting.createdAt);
    expect(overdue[0]!.createdAt - createdAt).toBeGreaterThanOrEqual(1000);
    expect(overdue[1]!.createdAt - createdAt).toBeGreaterThanOrEqual(2000);
    expect(overdue[0]!.data.handoff.overdueAt).toBe(new Date(overdue[0]!.createdAt).toISOString());

    // Claiming stopped the claimed one's timers: nothing fired for it.
    expect(await firingsOf(world, taken.id)).toEqual([]);
    expect(await firingsOf(world, waiting.id)).toHaveLength(2);

    await until(() => mailed(sink, /Still waiting/).length >= 2, 'two overdue e-mails');
    expect(mailed(sink, /Still waiting/).sort()).toEqual(['ada@msp.example', 'kim@msp.example']);

    await receiver.waitFor(2);
    for (const [index, received] of receiver.received.entries()) {
      expect(verifiedBy(received, [secret])).toEqual([secret]);
      expect(received.json).toMatchObject({ type: 'handoff.overdue', data: { policy: { step: index } } });
    }

    // The queue's list shows the card as overdue.
    const token = await world.a.token('engineer', KIM);
    const list = (await (await world.call('GET', '/v1/handoffs?status=open', { token })).json()) as {
      items: Handoff[];
    };
    expect(list.items.find((item) => item.id === waiting.id)?.overdueAt).toBeDefined();
  }, 20_000);

  it('should remind the claimer after 1 s and release after 2 s with reason "policy", and fire nothing once started', async () => {
    const sink = await testSmtpSink();
    const world = await mailWorld(sink.url, { policyPollMs: POLL_MS });
    await setPolicy(world, {
      unclaimed: [],
      claimedNotStarted: [
        { afterSeconds: 1, action: 'remind' },
        { afterSeconds: 2, action: 'release' },
      ],
    });
    const { handoff: forgotten } = await escalate(world);
    const { handoff: started } = await escalate(world);
    const claimed = await claimAs(world, forgotten.id, KIM);
    await claimAs(world, started.id, KIM);
    const kim = await world.a.token('engineer', KIM);
    expect((await world.call('POST', `/v1/handoffs/${started.id}/start`, { token: kim })).status).toBe(200);

    await until(async () => (await eventsOf(world, 'handoff.released')).length >= 1, 'the policy release');
    expect(await world.services.policy.pass()).toBe(0);
    const reminded = await eventsOf(world, 'handoff.overdue');
    const released = await eventsOf(world, 'handoff.released');
    expect(reminded).toHaveLength(1);
    expect(reminded[0]!.data.policy).toMatchObject({
      rule: 'claimedNotStarted',
      action: 'remind',
      notified: ['kim'],
    });
    expect(released).toHaveLength(1);
    expect(released[0]!.data).toMatchObject({
      reason: 'policy',
      actor: null,
      handoff: { id: forgotten.id, status: 'open', claimedBy: null },
      policy: { rule: 'claimedNotStarted', step: 1, action: 'release' },
    });
    const claimedAt = Date.parse(claimed.claimedAt!);
    expect(reminded[0]!.createdAt - claimedAt).toBeGreaterThanOrEqual(1000);
    expect(released[0]!.createdAt - claimedAt).toBeGreaterThanOrEqual(2000);
    expect(await firingsOf(world, started.id)).toEqual([]);

    await until(() => mailed(sink, /Reminder/).length >= 1, 'the reminder');
    expect(mailed(sink, /Reminder/)).toEqual(['kim@msp.example']);

    // A person's release says so too, so a receiver can tell the two apart.
    const again = await claimAs(world, forgotten.id, KIM);
    expect(again.status).toBe('claimed');
    expect((await world.call('POST', `/v1/handoffs/${forgotten.id}/release`, { token: kim })).status).toBe(
      200,
    );
    expect((await eventsOf(world, 'handoff.released')).at(-1)!.data.reason).toBe('manual');
  }, 20_000);

  it('should fire nothing twice and skip nothing across a restart', async () => {
    const sink = await testSmtpSink();
    const world = await mailWorld(sink.url, { policyPollMs: POLL_MS });
    await setPolicy(world, {
      unclaimed: [
        { afterSeconds: 1, notify: 'engineers' },
        { afterSeconds: 2, notify: 'admins' },
      ],
      claimedNotStarted: [],
    });
    const { handoff } = await escalate(world);
    await until(async () => (await eventsOf(world, 'handoff.overdue')).length >= 1, 'the first step');
    await world.services.stop();
    expect(await eventsOf(world, 'handoff.overdue')).toHaveLength(1);

    // Down while the second step falls due: a wait for time itself to pass, not for an event.
    const secondDue = Date.parse(handoff.createdAt) + 2000;
    await new Promise((resolve) => setTimeout(resolve, Math.max(0, secondDue - Date.now()) + 300));

    // A new process's worth of background work on the same database: nothing carried over in memory.
    const restarted = createServices(
      {
        database: world.database,
        bus: new InProcessBus(),
        clock: systemClock,
        config: world.config,
        logger: silentLogger(),
      },
      {
        mailer: new SmtpMailer(sink.url, 'rf@example.com', 2000),
        outboxPolicy: MAIL_POLICY,
        policyPollMs: POLL_MS,
      },
    );
    await restarted.start();
    try {
      await until(
        async () => (await eventsOf(world, 'handoff.overdue')).length >= 2,
        'the second step after the restart',
      );
      expect(await restarted.policy.pass()).toBe(0);
      const overdue = await eventsOf(world, 'handoff.overdue');
      expect(overdue.map((event) => event.data.policy?.step)).toEqual([0, 1]);
      expect(await firingsOf(world, handoff.id)).toHaveLength(2);
      await until(() => mailed(sink, /Still waiting/).length >= 2, 'both overdue e-mails');
      await restarted.outbox!.idle();
      expect(mailed(sink, /Still waiting/).sort()).toEqual(['ada@msp.example', 'kim@msp.example']);
    } finally {
      await restarted.stop();
    }
  }, 20_000);
});
