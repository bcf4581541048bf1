import { and, inArray, lt } from 'drizzle-orm';
import type { Database } from './database.js';

/** What one pruning round removed. */
export interface FinishedPruned {
  /** Escalation, overdue and reminder e-mails sent or given up on. */
  mail: number;
  /** Webhook deliveries delivered or failed for good (their log goes with them). */
  webhookDeliveries: number;
}

/**
 * Deletes the mail outbox rows and webhook deliveries that finished (sent,
 * delivered, or failed for good) before the retention period, which events
 * share: both tables gain rows with every escalation, and a server that runs
 * for months must not keep them all. Pending work is never touched, however
 * old. On PostgreSQL one instance prunes at a time (the others skip the round).
 */
export async function pruneFinished(
  database: Database,
  retentionDays: number,
  now: number,
): Promise<FinishedPruned> {
  const cutoff = now - retentionDays * 24 * 60 * 60 * 1000;
  const { notificationOutbox, webhookDeliveries } = database.tables;
  const pruned = await database.exclusively('prune-finished', () =>
    database.write(async ({ db }) => {
      const mail = await db
        .delete(notificationOutbox)
        .where(
          and(
            inArray(notificationOutbox.status, ['sent', 'failed']),
            lt(notificationOutbox.createdAt, cutoff),
          ),
        )
        .returning({ id: notificationOutbox.id });
      const deliveries = await db
        .delete(webhookDeliveries)
        .where(
          and(
            inArray(webhookDeliveries.status, ['delivered', 'failed']),
            lt(webhookDeliveries.createdAt, cutoff),
          ),
        )
        .returning({ id: webhookDeliveries.id });
      return { mail: mail.length, webhookDeliveries: deliveries.length };
    }),
  );
  return pruned ?? { mail: 0, webhookDeliveries: 0 };
}
