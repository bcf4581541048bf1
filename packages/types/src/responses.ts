import { z } from 'zod';
import { ANALYTICS_PERIODS } from './constants.js';
import { HandoffSchema, RoleSchema } from './domain.js';
import { EscalationPolicySchema } from './policy.js';

/** Every error the API returns has this shape. */
export const ErrorResponseSchema = z
  .object({
    error: z.object({
      code: z.string().meta({ example: 'invalid_request' }),
      message: z.string(),
      details: z.unknown().optional(),
    }),
  })
  .meta({ id: 'Error' });
export type ErrorResponse = z.infer<typeof ErrorResponseSchema>;

/** Machine-readable error codes. */
export const ERROR_CODES = [
  'invalid_request',
  'invalid_json',
  'unauthorized',
  'token_expired',
  'forbidden',
  'origin_not_allowed',
  'not_found',
  'already_claimed',
  'invalid_state',
  'idempotency_key_reused',
  'payload_too_large',
  'rate_limited',
  'unsupported_media_type',
  'url_not_allowed',
  'unavailable',
  'internal',
] as const;
export type ErrorCode = (typeof ERROR_CODES)[number];

/** How many handoffs each view of the queue holds for the caller right now. */
export const QueueCountsSchema = z
  .object({
    open: z.number().int().meta({ description: 'Unclaimed.' }),
    mine: z.number().int().meta({ description: 'Claimed or started by the caller (0 without a user).' }),
    active: z.number().int().meta({ description: 'Open, claimed and started.' }),
  })
  .meta({ id: 'QueueCounts' });
export type QueueCounts = z.infer<typeof QueueCountsSchema>;

/**
 * A page of handoffs; pass `nextCursor` back as `cursor` for the next page. A page of a
 * `view` carries the `counts` of every view.
 */
export const HandoffPageSchema = z
  .object({
    items: z.array(HandoffSchema),
    nextCursor: z.string().nullable(),
    counts: QueueCountsSchema.optional(),
  })
  .meta({ id: 'HandoffPage' });
export type HandoffPage = z.infer<typeof HandoffPageSchema>;

/** What the caller may do; the widget shows or hides actions from it. */
export const PermissionsSchema = z
  .object({
    read: z.boolean(),
    create: z.boolean(),
    claim: z.boolean(),
    analytics: z.boolean(),
    manageUsers: z.boolean(),
    manageAccount: z.boolean(),
  })
  .meta({ id: 'Permissions' });
export type Permissions = z.infer<typeof PermissionsSchema>;

/** `GET /v1/me`. `user` is null for an API key that does not act as a user. */
export const MeResponseSchema = z
  .object({
    auth: z.enum(['embed_token', 'api_key']),
    user: z
      .object({
        id: z.string(),
        name: z.string(),
        email: z.string().nullable(),
        role: RoleSchema,
      })
      .nullable(),
    account: z.object({ id: z.string(), name: z.string() }),
    permissions: PermissionsSchema,
  })
  .meta({ id: 'Me' });
export type MeResponse = z.infer<typeof MeResponseSchema>;

/** A user of the account as the roster knows them. */
export const UserSchema = z
  .object({
    id: z.string(),
    name: z.string(),
    email: z.string().nullable(),
    role: RoleSchema,
    updatedAt: z.string(),
  })
  .meta({ id: 'User' });
export type User = z.infer<typeof UserSchema>;

/** The account's settings. */
export const AccountSettingsSchema = z
  .object({
    manualBaselineMinutes: z.number().nullable(),
    allowedOrigins: z.array(z.string()),
    /** The escalation policy in force: the account's, or the documented default. */
    policy: EscalationPolicySchema,
    /** True while the account has not set a policy of its own (`policy: null` goes back to the default). */
    policyIsDefault: z.boolean(),
  })
  .meta({ id: 'AccountSettings' });
export type AccountSettings = z.infer<typeof AccountSettingsSchema>;

/** One day of the trend, zero-filled. `date` is the UTC calendar day. */
export const TrendDaySchema = z
  .object({ date: z.string(), created: z.number().int(), claimed: z.number().int() })
  .meta({ id: 'TrendDay' });
export type TrendDay = z.infer<typeof TrendDaySchema>;

/**
 * `GET /v1/analytics/escalations`. Durations are seconds; null when nothing was
 * measured. `minutesRecovered` and `hoursSavedPerWeek` exist only beside a manual baseline.
 */
export const EscalationAnalyticsSchema = z
  .object({
    period: z.enum(ANALYTICS_PERIODS),
    from: z.string(),
    to: z.string(),
    created: z.number().int(),
    claimed: z.number().int(),
    conversion: z.number().nullable(),
    timeToClaim: z.object({
      medianSeconds: z.number().nullable(),
      p90Seconds: z.number().nullable(),
    }),
    timeToFirstAction: z.object({ medianSeconds: z.number().nullable() }),
    baselineMinutes: z.number().nullable(),
    minutesRecovered: z.number().nullable(),
    hoursSavedPerWeek: z.number().nullable().meta({
      description:
        'minutesRecovered × escalations per week (created in the period ÷ its days × 7) ÷ 60; only with a manual baseline.',
    }),
    trend: z.array(TrendDaySchema),
  })
  .meta({ id: 'EscalationAnalytics' });
export type EscalationAnalytics = z.infer<typeof EscalationAnalyticsSchema>;

/** `GET /healthz` and `/readyz`. */
export const HealthSchema = z.object({ status: z.enum(['ok', 'unavailable']) }).meta({ id: 'Health' });
