import { z } from 'zod';
import { ANALYTICS_PERIODS, DEFAULT_ANALYTICS_PERIOD, HANDOFF_STATUSES, QUEUE_VIEWS } from './constants.js';
import {
  ExternalRefSchema,
  HandoffContextSchema,
  IntentSchema,
  MAX_TRIED_STEPS,
  PrioritySchema,
  RoleSchema,
  TriedStepSchema,
} from './domain.js';
import { externalId, lineText, multilineText } from './text.js';
import { EscalationPolicySchema } from './policy.js';

/** Body of `POST /v1/handoffs`. Unknown fields are refused, not ignored. */
export const CreateHandoffRequestSchema = z
  .strictObject({
    intent: IntentSchema.default('escalate'),
    priority: PrioritySchema.default('normal'),
    title: lineText(1, 200).meta({ example: 'Outlook keeps asking for a password' }),
    problemSummary: multilineText(1, 5000).meta({
      example: 'Since the M365 migration, Outlook prompts for credentials every few minutes.',
    }),
    tried: z.array(TriedStepSchema).max(MAX_TRIED_STEPS).default([]),
    context: HandoffContextSchema.default({}),
    hostSessionId: externalId.optional(),
    externalRef: ExternalRefSchema.optional(),
  })
  .meta({ id: 'CreateHandoffRequest' });
export type CreateHandoffRequest = z.input<typeof CreateHandoffRequestSchema>;

/** Sort orders of the queue. `priority`: most urgent first, then longest waiting. */
export const QUEUE_ORDERS = ['priority', 'newest'] as const;

const statusList = z
  .string()
  .transform((value) => value.split(',').map((part) => part.trim()))
  .pipe(z.array(z.enum(HANDOFF_STATUSES)).min(1).max(HANDOFF_STATUSES.length));

/** Query of `GET /v1/handoffs`. `view` and `status` are alternatives: at most one of them. */
export const ListHandoffsQuerySchema = z
  .strictObject({
    view: z
      .enum(QUEUE_VIEWS)
      .optional()
      .meta({
        param: { name: 'view', in: 'query' },
        description:
          '`open` (unclaimed), `mine` (claimed or started by the caller, not closed) or `active` (open, claimed and started). The page then carries `counts` of all three.',
      }),
    status: statusList.optional().meta({
      param: { name: 'status', in: 'query' },
      example: 'open,claimed',
      description: 'Comma-separated statuses; all when omitted. Not with `view`.',
    }),
    order: z.enum(QUEUE_ORDERS).default('priority'),
    limit: z.coerce.number().int().min(1).max(100).default(50),
    cursor: z.string().min(1).max(512).optional(),
  })
  .refine((query) => query.view === undefined || query.status === undefined, {
    message: 'Ask for a view or for statuses, not both',
    path: ['status'],
  });
export type ListHandoffsQuery = z.input<typeof ListHandoffsQuerySchema>;

/** Path parameter of the handoff routes. */
export const HandoffIdParamSchema = z.strictObject({
  id: z
    .string()
    .uuid()
    .meta({ param: { name: 'id', in: 'path' } }),
});

/** Body of `PUT /v1/users/:id`: the host's roster, which decides who gets escalation mail. */
export const UpsertUserRequestSchema = z
  .strictObject({
    name: lineText(1, 200),
    email: z.email().max(320).optional(),
    role: RoleSchema,
  })
  .meta({ id: 'UpsertUserRequest' });
export type UpsertUserRequest = z.infer<typeof UpsertUserRequestSchema>;

/** Path parameter of `PUT /v1/users/:id`. */
export const UserIdParamSchema = z.strictObject({
  id: externalId.meta({ param: { name: 'id', in: 'path' } }),
});

/** An origin as browsers send it: scheme, host and optional port, nothing else. */
export const OriginSchema = z
  .string()
  .max(255)
  .regex(/^https?:\/\/[A-Za-z0-9.-]+(:\d{1,5})?$/, 'An origin like https://portal.example.com');

/** Body of `PUT /v1/account/settings`; omitted fields are left as they are. */
export const UpdateAccountSettingsRequestSchema = z
  .strictObject({
    manualBaselineMinutes: z.number().positive().max(480).nullable().optional(),
    allowedOrigins: z.array(OriginSchema).max(50).optional(),
    /** The escalation policy; `null` goes back to the default, empty lists turn it off. */
    policy: EscalationPolicySchema.nullable().optional(),
  })
  .meta({ id: 'UpdateAccountSettingsRequest' });
export type UpdateAccountSettingsRequest = z.infer<typeof UpdateAccountSettingsRequestSchema>;

/** Query of `GET /v1/analytics/escalations`. */
export const AnalyticsQuerySchema = z.strictObject({
  period: z.enum(ANALYTICS_PERIODS).default(DEFAULT_ANALYTICS_PERIOD),
});
