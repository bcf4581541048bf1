import { asc } from 'drizzle-orm';
import { describe, expect, it, onTestFinished } from 'vitest';
import { createWorld, seedHandoff } from '../test/harness.js';
import { pruneFinished } from './prune-finished.js';

const DAY = 24 * 60 * 60 * 1000;

describe('pruning finished mail and webhook deliveries', () => {
  it('should delete what finished before the retention period and keep pending work however old', async () => {
    const w = await createWorld();
    onTestFinished(() => w.close());
    const now = Date.now();
    const old = now - 31 * DAY;
    const recent = now - 29 * DAY;
    const { db, tables } = w.database;
    const { notificationOutbox, webhookEndpoints, webhookDeliveries } = tables;
    const handoff = await seedHandoff(w.database, w.a.id);
    // Due far ahead, so the running workers leave the pending rows as they are.
    const mail = (status: 'pending' | 'sent' | 'failed', createdAt: number) => ({
      accountId: w.a.id,
      handoffId: handoff.id,
      recipientId: 'eng',
      recipientEmail: 'eng@example.com',
      status,
      nextAttemptAt: now + DAY,
      createdAt,
    });
    await db
      .insert(notificationOutbox)
      .values([mail('sent', old), mail('failed', old), mail('pending', old), mail('sent', recent)]);
    await db.insert(webhookEndpoints).values({
      id: 'wh_prune',
      accountId: w.a.id,
      url: 'https://hooks.example.com/rf',
      kind: 'standard',
      events: ['handoff.created'],
      enabled: false,
      cursorEpoch: 1,
      cursorSeq: 0,
      createdAt: now,
      updatedAt: now,
    });
    const delivery = (id: string, status: 'pending' | 'delivered' | 'failed', createdAt: number) => ({
      id,
      accountId: w.a.id,
      endpointId: 'wh_prune',
      eventType: 'handoff.created',
      payload: '{}',
      status,
      nextAttemptAt: now + DAY,
      log: [],
      createdAt,
    });
    await db
      .insert(webhookDeliveries)
      .values([
        delivery('delivered-old', 'delivered', old),
        delivery('failed-old', 'failed', old),
        delivery('pending-old', 'pending', old),
        delivery('delivered-recent', 'delivered', recent),
      ]);

    expect(await pruneFinished(w.database, 30, now)).toEqual({ mail: 2, webhookDeliveries: 2 });
    const mailLeft = await db
      .select({ status: notificationOutbox.status, createdAt: notificationOutbox.createdAt })
      .from(notificationOutbox)
      .orderBy(asc(notificationOutbox.createdAt));
    expect(mailLeft).toEqual([
      { status: 'pending', createdAt: old },
      { status: 'sent', createdAt: recent },
    ]);
    const deliveriesLeft = await db
      .select({ id: webhookDeliveries.id })
      .from(webhookDeliveries)
      .orderBy(asc(webhookDeliveries.id));
    expect(deliveriesLeft.map((row) => row.id)).toEqual(['delivered-recent', 'pending-old']);
    // Nothing left to prune: a second round removes nothing.
    expect(await pruneFinished(w.database, 30, now)).toEqual({ mail: 0, webhookDeliveries: 0 });
  });
});
