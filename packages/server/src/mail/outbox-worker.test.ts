import type { Handoff } from '@resolutionflow/types';
import { describe, expect, it, onTestFinished, vi } from 'vitest';
import { freePort } from '../test/free-port.js';
import { ManualClock } from '../test/harness.js';
import { escalate, MAIL_POLICY, mailWorld, outboxOf, testSmtpSink } from '../test/mail-world.js';
import { hangingSmtp } from '../test/smtp-fakes.js';
import { latencySummary } from '../test/stats.js';

describe('escalation e-mail while SMTP is down', () => {
  it('should keep the row pending with the error, then deliver it exactly once when SMTP comes up', async () => {
    const port = await freePort();
    const clock = new ManualClock(Date.now());
    const world = await mailWorld(`smtp://127.0.0.1:${port}`, { clock });
    await world.call('PUT', '/v1/users/ada', { token: world.a.apiKey, body: { name: 'Ada', role: 'admin' } });
    const { handoff } = await escalate(world);
    await world.services.outbox!.idle();
    const [down] = await outboxOf(world, handoff.id);
    expect(down).toMatchObject({
      recipientId: 'kim',
      status: 'pending',
      attempts: 1,
      nextAttemptAt: clock.now() + 50,
    });
    expect(down!.lastError).toMatch(/ECONNREFUSED/);

    const sink = await testSmtpSink(port);
    clock.advance(50);
    world.services.outbox!.wake();
    await world.services.outbox!.idle();
    expect(await outboxOf(world, handoff.id)).toEqual([
      expect.objectContaining({ status: 'sent', attempts: 2, lastError: null, sentAt: clock.now() }),
    ]);

    clock.advance(60 * 60_000);
    world.services.outbox!.wake();
    await world.services.outbox!.idle();
    expect(sink.messages.map((message) => message.to)).toEqual([['kim@msp.example']]);
  });

  it('should back off 50, 100, 200, 200 ms and give up as failed after maxAttempts', async () => {
    const clock = new ManualClock(Date.now());
    const world = await mailWorld(`smtp://127.0.0.1:${await freePort()}`, { clock });
    await world.call('PUT', '/v1/users/ada', { token: world.a.apiKey, body: { name: 'Ada', role: 'admin' } });
    const { handoff } = await escalate(world);
    const delays: number[] = [];
    for (let attempt = 1; attempt <= MAIL_POLICY.maxAttempts; attempt += 1) {
      await world.services.outbox!.idle();
      const [row] = await outboxOf(world, handoff.id);
      expect(row!.attempts).toBe(attempt);
      if (row!.status === 'pending') delays.push(row!.nextAttemptAt - clock.now());
      clock.advance(MAIL_POLICY.maxDelayMs);
      world.services.outbox!.wake();
    }
    await world.services.outbox!.idle();
    expect(delays).toEqual([50, 100, 200, 200]);
    expect(await outboxOf(world, handoff.id)).toEqual([
      expect.objectContaining({ status: 'failed', attempts: 5, sentAt: null }),
    ]);
    expect((await outboxOf(world, handoff.id))[0]!.lastError).toMatch(/ECONNREFUSED/);
  });

  it('should create escalations as fast with a hanging mail server as with a working one', async () => {
    const sink = await testSmtpSink();
    const working = await mailWorld(sink.url);
    const withMail: number[] = [];
    for (let i = 0; i < 20; i += 1) withMail.push((await escalate(working)).ms);

    const hanging = await hangingSmtp();
    const stuck = await mailWorld(hanging.url);
    // Registered after the world, so it runs first: a hung send then fails at once.
    onTestFinished(hanging.close);
    const whileHanging: number[] = [];
    const created: Handoff[] = [];
    for (let i = 0; i < 20; i += 1) {
      const { handoff, ms } = await escalate(stuck);
      created.push(handoff);
      whileHanging.push(ms);
    }
    await hanging.firstConnection;
    console.log(`create latency, 20 creates, SMTP working: ${latencySummary(withMail).text}`);
    console.log(`create latency, 20 creates, SMTP hanging: ${latencySummary(whileHanging).text}`);
    for (const ms of [...withMail, ...whileHanging]) expect(ms).toBeLessThan(250);
    // The mail is delayed, not lost: every row is still queued.
    const rows = (await Promise.all(created.map((handoff) => outboxOf(stuck, handoff.id)))).flat();
    expect(rows).toHaveLength(40);
    expect(rows.every((row) => row.status === 'pending' && row.sentAt === null)).toBe(true);
  });

  it('should give up on a server that never greets within the mailer timeout, and try again', async () => {
    const hanging = await hangingSmtp();
    const world = await mailWorld(hanging.url, { timeoutMs: 300 });
    onTestFinished(hanging.close);
    const { handoff } = await escalate(world);
    const kim = async () => (await outboxOf(world, handoff.id)).find((row) => row.recipientId === 'kim')!;
    await vi.waitFor(async () => expect((await kim()).attempts).toBeGreaterThanOrEqual(2), {
      timeout: 3000,
      interval: 20,
    });
    expect((await kim()).lastError).toMatch(/timeout|greeting/i);
  });

  it('should stop cleanly, without a failing write, while a send is still in flight', async () => {
    const hanging = await hangingSmtp();
    const world = await mailWorld(hanging.url);
    onTestFinished(hanging.close);
    await escalate(world);
    await hanging.firstConnection;
    await world.close();
    const settled = world.services.outbox!.idle();
    void hanging.close();
    await expect(settled).resolves.toBeUndefined();
  });
});
