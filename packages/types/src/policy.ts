import { z } from 'zod';
import { CLAIMED_NOT_STARTED_ACTIONS, POLICY_AUDIENCES } from './constants.js';
import { PrioritySchema } from './domain.js';

/** The longest wait a step may name: one week, in seconds. */
export const MAX_POLICY_SECONDS = 7 * 24 * 60 * 60;

const afterSeconds = z.number().int().min(1).max(MAX_POLICY_SECONDS).meta({ example: 600 });

/** Steps must wait longer one after another, so the order of firing is the order written. */
const ascending = (steps: readonly { afterSeconds: number }[], ctx: z.RefinementCtx) => {
  steps.forEach((step, index) => {
    const before = steps[index - 1];
    if (before && step.afterSeconds <= before.afterSeconds) {
      ctx.addIssue({
        code: 'custom',
        message: `afterSeconds must be greater than the step before (${before.afterSeconds})`,
        path: [index, 'afterSeconds'],
      });
    }
  });
};

/** A step of the `unclaimed` ladder: still open after `afterSeconds`, notify `notify` again. */
export const UnclaimedStepSchema = z
  .strictObject({
    afterSeconds,
    /** Only escalations of these priorities; all when left out. */
    priorities: z.array(PrioritySchema).min(1).max(4).optional(),
    notify: z.enum(POLICY_AUDIENCES),
  })
  .meta({ id: 'UnclaimedStep' });
export type UnclaimedStep = z.infer<typeof UnclaimedStepSchema>;

/** A step for a claim nobody started: after `afterSeconds`, remind the claimer or release it. */
export const ClaimedNotStartedStepSchema = z
  .strictObject({ afterSeconds, action: z.enum(CLAIMED_NOT_STARTED_ACTIONS) })
  .meta({ id: 'ClaimedNotStartedStep' });
export type ClaimedNotStartedStep = z.infer<typeof ClaimedNotStartedStepSchema>;

/**
 * An account's escalation policy (DESIGN §12), in seconds. Each step fires at
 * most once per escalation (a `claimedNotStarted` step once per claim).
 */
export const EscalationPolicySchema = z
  .strictObject({
    unclaimed: z.array(UnclaimedStepSchema).max(10).superRefine(ascending),
    claimedNotStarted: z
      .array(ClaimedNotStartedStepSchema)
      .max(5)
      .superRefine(ascending)
      .superRefine((steps, ctx) => {
        const release = steps.findIndex((step) => step.action === 'release');
        if (release !== -1 && release !== steps.length - 1) {
          ctx.addIssue({
            code: 'custom',
            message: 'A release must be the last step: nothing is claimed after it',
            path: [release, 'action'],
          });
        }
      }),
  })
  .meta({ id: 'EscalationPolicy' });
export type EscalationPolicy = z.infer<typeof EscalationPolicySchema>;

/**
 * The policy of an account that never set one: notify the engineers again
 * after 10 minutes, the admins after 30, and remind a claimer who has not
 * started after 30. `PUT /v1/account/settings` with empty lists turns it off.
 */
export const DEFAULT_ESCALATION_POLICY: EscalationPolicy = {
  unclaimed: [
    { afterSeconds: 600, notify: 'engineers' },
    { afterSeconds: 1800, notify: 'admins' },
  ],
  claimedNotStarted: [{ afterSeconds: 1800, action: 'remind' }],
};
