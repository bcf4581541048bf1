import { performance } from 'node:perf_hooks';
import type { Handoff } from '@resolutionflow/types';
import { eq } from 'drizzle-orm';
import { expect, onTestFinished } from 'vitest';
import type { Clock } from '../clock.js';
import type { OutboxRow } from '../db/schema.js';
import { SmtpMailer } from '../mail/mailer.js';
import type { OutboxPolicy } from '../mail/outbox-worker.js';
import type { WebhookPolicy } from '../webhooks/delivery-worker.js';
import { createWorld, escalation, type TestWorld } from './harness.js';
import { smtpSink } from './smtp-fakes.js';

/** The outbox's retry policy in tests: delays of tens of milliseconds. */
export const MAIL_POLICY = { maxAttempts: 5, baseDelayMs: 50, maxDelayMs: 200, pollMs: 50, leaseMs: 10_000 };

/** Account A's roster: who should get escalation mail (engineers and admins with an address) and who not. */
const ROSTER = [
  { id: 'sam', name: 'Sam', email: 'sam@msp.example', role: 'engineer' },
  { id: 'kim', name: 'Kim', email: 'kim@msp.example', role: 'engineer' },
  { id: 'lee', name: 'Lee', role: 'engineer' },
  { id: 'ada', name: 'Ada', email: 'ada@msp.example', role: 'admin' },
  { id: 'tom', name: 'Tom', email: 'tom@msp.example', role: 'technician' },
  { id: 'vic', name: 'Vic', email: 'vic@msp.example', role: 'viewer' },
];

/**
 * A world that mails through `smtpUrl` with {@link MAIL_POLICY}, account A's
 * roster synced and an engineer in account B; closed when the current test ends.
 */
export async function mailWorld(
  smtpUrl: string,
  {
    timeoutMs = 2000,
    ...options
  }: {
    clock?: Clock;
    env?: Record<string, string>;
    timeoutMs?: number;
    outboxPolicy?: OutboxPolicy;
    webhookPolicy?: Partial<WebhookPolicy>;
    policyPollMs?: number;
  } = {},
): Promise<TestWorld> {
  const world = await createWorld({
    mailer: new SmtpMailer(smtpUrl, 'rf@example.com', timeoutMs),
    outboxPolicy: MAIL_POLICY,
    ...options,
  });
  onTestFinished(async () => {
    await world.services.outbox!.stop();
    await world.services.outbox!.idle();
    await world.close();
  });
  for (const { id, ...body } of ROSTER) {
    expect((await world.call('PUT', `/v1/users/${id}`, { token: world.a.apiKey, body })).status).toBe(200);
  }
  const bob = { name: 'Bob', email: 'bob@other.example', role: 'engineer' };
  expect((await world.call('PUT', '/v1/users/bob', { token: world.b.apiKey, body: bob })).status).toBe(200);
  return world;
}

/** A real SMTP server on loopback (see {@link smtpSink}), closed when the current test ends. */
export async function testSmtpSink(port = 0): ReturnType<typeof smtpSink> {
  const sink = await smtpSink(port);
  onTestFinished(sink.close);
  return sink;
}

/** Escalates as Sam, an engineer of account A; the handoff and how long the create took. */
export async function escalate(
  world: TestWorld,
  body: Record<string, unknown> = escalation(),
): Promise<{ handoff: Handoff; ms: number }> {
  const token = await world.a.token('engineer', { id: 'sam', name: 'Sam', email: 'sam@msp.example' });
  const started = performance.now();
  const response = await world.call('POST', '/v1/handoffs', { token, body });
  const ms = performance.now() - started;
  expect(response.status).toBe(201);
  return { handoff: (await response.json()) as Handoff, ms };
}

/** The outbox rows of one handoff. */
export async function outboxOf(world: TestWorld, handoffId: string): Promise<OutboxRow[]> {
  const { notificationOutbox } = world.database.tables;
  return world.database.db
    .select()
    .from(notificationOutbox)
    .where(eq(notificationOutbox.handoffId, handoffId));
}
