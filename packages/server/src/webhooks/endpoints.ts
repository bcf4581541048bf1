import { randomUUID } from 'node:crypto';
import {
  CHAT_DEFAULT_EVENTS,
  WEBHOOK_EVENT_TYPES,
  type CreateWebhookRequestSchema,
  type UpdateWebhookRequestSchema,
  type Webhook,
  type WebhookWithSecret,
} from '@resolutionflow/types';
import { and, asc, eq } from 'drizzle-orm';
import type { z } from 'zod';
import type { Database } from '../db/database.js';
import type { WebhookEndpointRow } from '../db/schema.js';
import { ApiError, notFound } from '../errors.js';
import { newSecret } from './signing.js';

/** How long the secret before a rotation still signs. */
export const ROTATION_WINDOW_MS = 24 * 60 * 60 * 1000;

const iso = (ms: number | null) => (ms === null ? null : new Date(ms).toISOString());

/** A stored endpoint as the API shows it: never its secrets. */
export function toWebhook(row: WebhookEndpointRow, now: number): Webhook {
  const previousLive = row.previousSecretExpiresAt !== null && row.previousSecretExpiresAt > now;
  return {
    id: row.id,
    url: row.url,
    kind: row.kind,
    events: row.events,
    description: row.description,
    enabled: row.enabled,
    disabledReason: row.disabledReason,
    consecutiveFailures: row.consecutiveFailures,
    previousSecretExpiresAt: previousLive ? iso(row.previousSecretExpiresAt) : null,
    createdAt: iso(row.createdAt)!,
    updatedAt: iso(row.updatedAt)!,
  };
}

/** The secrets that sign a delivery now: the current one, and the previous one inside its window. */
export function signingSecrets(row: WebhookEndpointRow, now: number): string[] {
  if (!row.secret) return [];
  const previous =
    row.previousSecret && row.previousSecretExpiresAt !== null && row.previousSecretExpiresAt > now
      ? [row.previousSecret]
      : [];
  return [row.secret, ...previous];
}

/** Creates an endpoint; its cursor starts at the account's newest event (it gets what happens next). */
export async function createWebhook(
  database: Database,
  accountId: string,
  input: z.output<typeof CreateWebhookRequestSchema>,
  now: number,
): Promise<WebhookWithSecret> {
  const { webhookEndpoints, accountStreams } = database.tables;
  const chat = input.kind !== 'standard';
  const row = await database.write(async ({ db }) => {
    const [head] = await db.select().from(accountStreams).where(eq(accountStreams.accountId, accountId));
    const [inserted] = await db
      .insert(webhookEndpoints)
      .values({
        id: `wh_${randomUUID().replaceAll('-', '')}`,
        accountId,
        url: input.url,
        kind: input.kind,
        events: input.events ?? (chat ? [...CHAT_DEFAULT_EVENTS] : [...WEBHOOK_EVENT_TYPES]),
        description: input.description || null,
        secret: chat ? null : newSecret(),
        enabled: true,
        cursorEpoch: head?.epoch ?? 1,
        cursorSeq: head?.lastSeq ?? 0,
        createdAt: now,
        updatedAt: now,
      })
      .returning();
    return inserted!;
  });
  return { ...toWebhook(row, now), secret: row.secret };
}

/** One endpoint of the account (another account's id: not found). */
export async function getWebhookRow(
  database: Database,
  accountId: string,
  id: string,
): Promise<WebhookEndpointRow> {
  const { webhookEndpoints } = database.tables;
  const [row] = await database.db
    .select()
    .from(webhookEndpoints)
    .where(and(eq(webhookEndpoints.id, id), eq(webhookEndpoints.accountId, accountId)));
  if (!row) throw notFound('Webhook');
  return row;
}

export async function listWebhooks(database: Database, accountId: string, now: number): Promise<Webhook[]> {
  const { webhookEndpoints } = database.tables;
  const rows = await database.db
    .select()
    .from(webhookEndpoints)
    .where(eq(webhookEndpoints.accountId, accountId))
    .orderBy(asc(webhookEndpoints.createdAt), asc(webhookEndpoints.id));
  return rows.map((row) => toWebhook(row, now));
}

/** Applies a PATCH. Enabling clears the failure run; the cursor stays, so nothing queued is lost. */
export async function updateWebhook(
  database: Database,
  accountId: string,
  id: string,
  patch: z.output<typeof UpdateWebhookRequestSchema>,
  now: number,
): Promise<Webhook> {
  const { webhookEndpoints } = database.tables;
  const current = await getWebhookRow(database, accountId, id);
  const set: Partial<WebhookEndpointRow> = { updatedAt: now };
  if (patch.url !== undefined) set.url = patch.url;
  if (patch.events !== undefined) set.events = patch.events;
  if (patch.description !== undefined) set.description = patch.description || null;
  if (patch.enabled === true && !current.enabled) {
    Object.assign(set, { enabled: true, disabledReason: null, consecutiveFailures: 0 });
  }
  if (patch.enabled === false && current.enabled) {
    Object.assign(set, { enabled: false, disabledReason: 'disabled by an admin' });
  }
  const [row] = await database.write(({ db }) =>
    db
      .update(webhookEndpoints)
      .set(set)
      .where(and(eq(webhookEndpoints.id, id), eq(webhookEndpoints.accountId, accountId)))
      .returning(),
  );
  if (!row) throw notFound('Webhook');
  return toWebhook(row, now);
}

/** Deletes an endpoint with its delivery log. */
export async function deleteWebhook(database: Database, accountId: string, id: string): Promise<void> {
  const { webhookEndpoints } = database.tables;
  const deleted = await database.write(({ db }) =>
    db
      .delete(webhookEndpoints)
      .where(and(eq(webhookEndpoints.id, id), eq(webhookEndpoints.accountId, accountId)))
      .returning({ id: webhookEndpoints.id }),
  );
  if (deleted.length === 0) throw notFound('Webhook');
}

/** A new secret; the one before keeps signing (beside it) for {@link ROTATION_WINDOW_MS}. */
export async function rotateSecret(
  database: Database,
  accountId: string,
  id: string,
  now: number,
): Promise<WebhookWithSecret> {
  const current = await getWebhookRow(database, accountId, id);
  if (!current.secret) {
    throw new ApiError(409, 'invalid_state', `A ${current.kind} endpoint is not signed: it has no secret`);
  }
  const { webhookEndpoints } = database.tables;
  const secret = newSecret();
  const [row] = await database.write(({ db }) =>
    db
      .update(webhookEndpoints)
      .set({
        secret,
        previousSecret: current.secret,
        previousSecretExpiresAt: now + ROTATION_WINDOW_MS,
        updatedAt: now,
      })
      .where(and(eq(webhookEndpoints.id, id), eq(webhookEndpoints.accountId, accountId)))
      .returning(),
  );
  if (!row) throw notFound('Webhook');
  return { ...toWebhook(row, now), secret };
}
