import { z } from 'zod';
import { WEBHOOK_EVENT_TYPES, WEBHOOK_KINDS } from './constants.js';
import { httpUrl, isoDateTime, lineText } from './text.js';

export const WebhookKindSchema = z.enum(WEBHOOK_KINDS).meta({ id: 'WebhookKind' });
export const WebhookEventTypeSchema = z.enum(WEBHOOK_EVENT_TYPES).meta({ id: 'WebhookEventType' });

const eventList = z
  .array(WebhookEventTypeSchema)
  .min(1)
  .max(WEBHOOK_EVENT_TYPES.length)
  .transform((types) => [...new Set(types)]);

/** Body of `POST /v1/webhooks`. `events` defaults to every type (chat kinds: created, overdue, claimed). */
export const CreateWebhookRequestSchema = z
  .strictObject({
    url: httpUrl.meta({ example: 'https://psa-bridge.example.com/hooks/resolutionflow' }),
    events: eventList.optional(),
    kind: WebhookKindSchema.default('standard'),
    description: lineText(0, 200).optional(),
  })
  .meta({ id: 'CreateWebhookRequest' });
export type CreateWebhookRequest = z.input<typeof CreateWebhookRequestSchema>;

/** Body of `PATCH /v1/webhooks/:id`. `enabled: true` brings a disabled endpoint back (its failure run restarts). */
export const UpdateWebhookRequestSchema = z
  .strictObject({
    url: httpUrl.optional(),
    events: eventList.optional(),
    description: lineText(0, 200).nullable().optional(),
    enabled: z.boolean().optional(),
  })
  .meta({ id: 'UpdateWebhookRequest' });
export type UpdateWebhookRequest = z.input<typeof UpdateWebhookRequestSchema>;

/** An outbound webhook endpoint, without its secret. */
export const WebhookSchema = z
  .object({
    id: z.string(),
    url: z.string(),
    kind: WebhookKindSchema,
    events: z.array(WebhookEventTypeSchema),
    description: z.string().nullable(),
    enabled: z.boolean(),
    /** Why it was disabled (a run of failures, or 410 Gone), null while enabled. */
    disabledReason: z.string().nullable(),
    /** Failed attempts in a row; reset by a success. */
    consecutiveFailures: z.number().int(),
    /** Until when the previous secret still signs (after a rotation), else null. */
    previousSecretExpiresAt: isoDateTime.nullable(),
    createdAt: isoDateTime,
    updatedAt: isoDateTime,
  })
  .meta({ id: 'Webhook' });
export type Webhook = z.infer<typeof WebhookSchema>;

/** A webhook with its signing secret: answered only at creation and at rotation. Chat kinds have none. */
export const WebhookWithSecretSchema = WebhookSchema.extend({
  secret: z.string().nullable().meta({ example: 'whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw' }),
}).meta({ id: 'WebhookWithSecret' });
export type WebhookWithSecret = z.infer<typeof WebhookWithSecretSchema>;

export const WebhookListSchema = z.object({ items: z.array(WebhookSchema) }).meta({ id: 'WebhookList' });
export type WebhookList = z.infer<typeof WebhookListSchema>;

/** One attempt to deliver, as the delivery log shows it. */
export const DeliveryAttemptSchema = z
  .object({
    at: isoDateTime,
    /** The receiver's HTTP status, or null when there was none (refused, timed out, connection lost). */
    status: z.number().int().nullable(),
    error: z.string().nullable(),
    durationMs: z.number().int(),
  })
  .meta({ id: 'DeliveryAttempt' });
export type DeliveryAttempt = z.infer<typeof DeliveryAttemptSchema>;

export const DELIVERY_STATUSES = ['pending', 'delivered', 'failed'] as const;

/** One message to one endpoint, with every attempt. `id` is the `webhook-id` header (the same on retries). */
export const WebhookDeliverySchema = z
  .object({
    id: z.string(),
    webhookId: z.string(),
    eventType: z.string(),
    status: z.enum(DELIVERY_STATUSES),
    attempts: z.array(DeliveryAttemptSchema),
    nextAttemptAt: isoDateTime.nullable(),
    createdAt: isoDateTime,
    deliveredAt: isoDateTime.nullable(),
  })
  .meta({ id: 'WebhookDelivery' });
export type WebhookDelivery = z.infer<typeof WebhookDeliverySchema>;

export const WebhookDeliveryListSchema = z
  .object({ items: z.array(WebhookDeliverySchema) })
  .meta({ id: 'WebhookDeliveryList' });
export type WebhookDeliveryList = z.infer<typeof WebhookDeliveryListSchema>;

/** Query of `GET /v1/webhooks/:id/deliveries`: newest first. */
export const DeliveryListQuerySchema = z.strictObject({
  status: z.enum(DELIVERY_STATUSES).optional(),
  limit: z.coerce.number().int().min(1).max(100).default(50),
});
