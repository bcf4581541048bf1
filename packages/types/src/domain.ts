import { z } from 'zod';
import {
  ASSESSMENT_STATUSES,
  HANDOFF_STATUSES,
  INTENTS,
  PRIORITIES,
  ROLES,
  STEP_OUTCOMES,
} from './constants.js';
import { externalId, httpUrl, isoDateTime, lineText, multilineText } from './text.js';

export const RoleSchema = z.enum(ROLES).meta({ id: 'Role' });

export const IntentSchema = z.enum(INTENTS).meta({ id: 'Intent' });

export const HandoffStatusSchema = z.enum(HANDOFF_STATUSES).meta({ id: 'HandoffStatus' });

export const PrioritySchema = z.enum(PRIORITIES).meta({ id: 'Priority' });

export const StepOutcomeSchema = z.enum(STEP_OUTCOMES).meta({ id: 'StepOutcome' });

export const AssessmentStatusSchema = z.enum(ASSESSMENT_STATUSES).meta({ id: 'AssessmentStatus' });

/** Most steps one handoff may carry: a long list is a ticket history, not a handoff. */
export const MAX_TRIED_STEPS = 100;
/** Most free key-values in a handoff's context. */
export const MAX_CONTEXT_FIELDS = 30;

const RESERVED_KEYS = new Set(['__proto__', 'constructor', 'prototype']);

/** One thing the technician tried, with how it went. */
export const TriedStepSchema = z
  .strictObject({
    action: lineText(1, 300).meta({ example: 'Rebuilt the Outlook profile' }),
    outcome: StepOutcomeSchema,
    note: multilineText(0, 2000).optional(),
    at: isoDateTime.meta({ example: '2026-11-20T14:05:00Z' }),
  })
  .meta({ id: 'TriedStep' });
export type TriedStep = z.infer<typeof TriedStepSchema>;

/**
 * Zod drops a `__proto__` key silently; a request carrying one must be refused,
 * not quietly changed, so the raw input is checked first.
 */
const refuseProtoKey = (value: unknown, ctx: z.RefinementCtx) => {
  if (value !== null && typeof value === 'object' && Object.hasOwn(value, '__proto__')) {
    ctx.issues.push({ code: 'custom', message: 'Reserved key', path: ['__proto__'], input: value });
  }
  return value;
};

/** Free key-values from the host (ticket number, site, contract…). */
export const ContextFieldsSchema = z.preprocess(
  refuseProtoKey,
  z
    .record(
      z
        .string()
        .min(1)
        .max(64)
        .regex(/^[A-Za-z0-9 _.-]+$/, 'Keys use letters, digits, space and _ . - only')
        .refine((key) => !RESERVED_KEYS.has(key), { message: 'Reserved key' }),
      lineText(0, 500),
    )
    .refine((fields) => Object.keys(fields).length <= MAX_CONTEXT_FIELDS, {
      message: `At most ${MAX_CONTEXT_FIELDS} fields`,
    }),
);

/** Where the problem lives: client company, device, the host ticket. */
export const HandoffContextSchema = z
  .strictObject({
    client: lineText(1, 200).optional().meta({ example: 'Northwind Traders' }),
    device: lineText(1, 200).optional().meta({ example: 'NW-LT-0142 (Windows 11)' }),
    ticketUrl: httpUrl.optional().meta({ example: 'https://psa.example.com/tickets/48213' }),
    fields: ContextFieldsSchema.optional(),
  })
  .meta({ id: 'HandoffContext' });
export type HandoffContext = z.infer<typeof HandoffContextSchema>;

/**
 * The host ticket in a PSA (ConnectWise, Autotask, HaloPSA…), so a webhook
 * receiver can write a note back to it. Set at create; carried in every payload.
 */
export const ExternalRefSchema = z
  .strictObject({
    system: z
      .string()
      .min(1)
      .max(40)
      .regex(/^[a-z0-9][a-z0-9_-]*$/, 'Lower-case letters, digits, _ and - only')
      .meta({ example: 'connectwise' }),
    id: externalId.meta({ example: '48213' }),
  })
  .meta({ id: 'ExternalRef' });
export type ExternalRef = z.infer<typeof ExternalRefSchema>;

/** The AI's read of the problem. Only `status` is always present. */
export const AssessmentSchema = z
  .object({
    status: AssessmentStatusSchema,
    likelyCause: z.string().optional(),
    confidence: z.number().min(0).max(1).optional(),
    nextSteps: z.array(z.string()).optional(),
    model: z.string().optional(),
    completedAt: isoDateTime.optional(),
  })
  .meta({ id: 'Assessment' });
export type Assessment = z.infer<typeof AssessmentSchema>;

/** A person as other people see them on a handoff. */
export const UserRefSchema = z.object({ id: z.string(), name: z.string() }).meta({ id: 'UserRef' });
export type UserRef = z.infer<typeof UserRefSchema>;

/** One escalation (or shift handoff) of one host session, with all four sections. */
export const HandoffSchema = z
  .object({
    id: z.string().uuid(),
    intent: IntentSchema,
    status: HandoffStatusSchema,
    priority: PrioritySchema,
    title: z.string(),
    problemSummary: z.string(),
    tried: z.array(TriedStepSchema),
    context: HandoffContextSchema,
    hostSessionId: z.string().nullable(),
    assessment: AssessmentSchema,
    createdBy: UserRefSchema,
    claimedBy: UserRefSchema.nullable(),
    createdAt: isoDateTime,
    claimedAt: isoDateTime.nullable(),
    startedAt: isoDateTime.nullable(),
    resolvedAt: isoDateTime.nullable(),
    cancelledAt: isoDateTime.nullable(),
    /** The host ticket, when the create named one. */
    externalRef: ExternalRefSchema.optional(),
    /** When the account's policy first found it still waiting (present only then): the queue marks it. */
    overdueAt: isoDateTime.optional(),
  })
  .meta({ id: 'Handoff' });
export type Handoff = z.infer<typeof HandoffSchema>;
