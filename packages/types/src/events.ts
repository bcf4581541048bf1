import { z } from 'zod';
import { HANDOFF_EVENT_TYPES, POLICY_AUDIENCES, RELEASE_REASONS, WEBHOOK_KINDS } from './constants.js';
import { HandoffSchema, UserRefSchema } from './domain.js';

/** Which policy step fired (`handoff.overdue`, and `handoff.released` by the policy). */
export const PolicyFiringSchema = z
  .object({
    /** `unclaimed` or `claimedNotStarted`, and the step's index in that list. */
    rule: z.enum(['unclaimed', 'claimedNotStarted']),
    step: z.number().int().min(0),
    afterSeconds: z.number().int(),
    /** What the step did: notified an audience again, reminded the claimer, or released. */
    action: z.enum([...POLICY_AUDIENCES, 'remind', 'release']),
    /** The people notified (ids), by e-mail when a mailer is configured, and every channel besides. */
    notified: z.array(z.string()),
  })
  .meta({ id: 'PolicyFiring' });
export type PolicyFiring = z.infer<typeof PolicyFiringSchema>;

/** `data` of every `handoff.*` event: the handoff as it was right after the change. */
export const HandoffEventDataSchema = z
  .object({
    type: z.enum(HANDOFF_EVENT_TYPES),
    handoff: HandoffSchema,
    actor: UserRefSchema.nullable(),
    at: z.string(),
    /** `handoff.released` only: who let it go, a person (`manual`) or the policy. */
    reason: z.enum(RELEASE_REASONS).optional(),
    /** `handoff.overdue`, and `handoff.released` by the policy: the step that fired. */
    policy: PolicyFiringSchema.optional(),
  })
  .meta({ id: 'HandoffEventData' });
export type HandoffEventData = z.infer<typeof HandoffEventDataSchema>;

/**
 * `data` of `webhook.disabled`: an endpoint failed too many times in a row and
 * gets nothing until an admin enables it again. The URL is left out (chat
 * webhook URLs are secrets, and viewers read the stream).
 */
export const WebhookEventDataSchema = z
  .object({
    type: z.literal('webhook.disabled'),
    webhook: z.object({ id: z.string(), kind: z.enum(WEBHOOK_KINDS), description: z.string().nullable() }),
    reason: z.string(),
    at: z.string(),
  })
  .meta({ id: 'WebhookEventData' });
export type WebhookEventData = z.infer<typeof WebhookEventDataSchema>;
