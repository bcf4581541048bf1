/**
 * The contract's constants, defined once and imported by the server and the widget alike.
 *
 * This module has no dependencies (no zod), so a browser bundle can import it at run time
 * through `@resolutionflow/types/constants` without pulling the schemas in.
 */

/** Roles, least to most privileged. */
export const ROLES = ['viewer', 'technician', 'engineer', 'admin'] as const;
export type Role = (typeof ROLES)[number];

/** Why a handoff was raised: to a more senior tech, or a same-level shift change. */
export const INTENTS = ['escalate', 'handoff'] as const;
export type Intent = (typeof INTENTS)[number];

/** Every status a handoff can be in. */
export const HANDOFF_STATUSES = ['open', 'claimed', 'started', 'resolved', 'cancelled'] as const;
export type HandoffStatus = (typeof HANDOFF_STATUSES)[number];

/** Priorities, least to most urgent; the queue sorts on this order. */
export const PRIORITIES = ['low', 'normal', 'high', 'urgent'] as const;
export type Priority = (typeof PRIORITIES)[number];

/**
 * Sort rank of each priority: 0 (low) … 3 (urgent), its index in {@link PRIORITIES}
 * (a test pins the two together). Written out rather than derived so that bundlers can
 * drop what a bundle does not use.
 *
 * @example
 * const mostUrgentFirst = (a: Priority, b: Priority) => PRIORITY_RANK[b] - PRIORITY_RANK[a];
 */
export const PRIORITY_RANK: Readonly<Record<Priority, number>> = { low: 0, normal: 1, high: 2, urgent: 3 };

/**
 * Views of the queue: `open` (unclaimed), `mine` (claimed or started by the caller, not yet
 * closed) and `active` (open, claimed and started: everything not closed).
 */
export const QUEUE_VIEWS = ['open', 'mine', 'active'] as const;
export type QueueView = (typeof QUEUE_VIEWS)[number];

/** How a step the junior tried turned out. */
export const STEP_OUTCOMES = ['worked', 'failed', 'partial', 'unknown'] as const;
export type StepOutcome = (typeof STEP_OUTCOMES)[number];

/** Every state of a handoff's AI assessment. */
export const ASSESSMENT_STATUSES = ['pending', 'ready', 'timed_out', 'failed', 'disabled'] as const;
export type AssessmentStatus = (typeof ASSESSMENT_STATUSES)[number];

/** The state changes a handoff can go through: `POST /v1/handoffs/:id/<name>`. */
export const TRANSITIONS = ['claim', 'release', 'start', 'resolve', 'cancel'] as const;
export type TransitionName = (typeof TRANSITIONS)[number];

/** The periods analytics can cover, and how many days each spans. */
export const ANALYTICS_PERIODS = ['7d', '30d', '90d'] as const;
export type AnalyticsPeriod = (typeof ANALYTICS_PERIODS)[number];
/** Days in each analytics period. */
export const ANALYTICS_PERIOD_DAYS: Readonly<Record<AnalyticsPeriod, number>> = {
  '7d': 7,
  '30d': 30,
  '90d': 90,
};
/** The period analytics covers when none is asked for. */
export const DEFAULT_ANALYTICS_PERIOD: AnalyticsPeriod = '30d';

/** Event types about one handoff, one per state change. */
export const HANDOFF_EVENT_TYPES = [
  'handoff.created',
  'handoff.assessed',
  'handoff.claimed',
  'handoff.released',
  'handoff.started',
  'handoff.resolved',
  'handoff.cancelled',
  'handoff.overdue',
] as const;
export type HandoffEventType = (typeof HANDOFF_EVENT_TYPES)[number];

/** Why a handoff went back to the queue: its claimer (or an admin) let it go, or the policy did. */
export const RELEASE_REASONS = ['manual', 'policy'] as const;
export type ReleaseReason = (typeof RELEASE_REASONS)[number];

/** Who an `unclaimed` policy step notifies again: the engineers, or the admins (the next tier). */
export const POLICY_AUDIENCES = ['engineers', 'admins'] as const;
export type PolicyAudience = (typeof POLICY_AUDIENCES)[number];

/** What a `claimedNotStarted` policy does: nudge the claimer, or put the escalation back in the queue. */
export const CLAIMED_NOT_STARTED_ACTIONS = ['remind', 'release'] as const;
export type ClaimedNotStartedAction = (typeof CLAIMED_NOT_STARTED_ACTIONS)[number];

/** Event types about webhook endpoints themselves (on the stream and to other endpoints). */
export const WEBHOOK_ENDPOINT_EVENT_TYPES = ['webhook.disabled'] as const;
/** Every event type a webhook endpoint can subscribe to (`webhook.test` is only sent by the test ping). */
export const WEBHOOK_EVENT_TYPES = [...HANDOFF_EVENT_TYPES, ...WEBHOOK_ENDPOINT_EVENT_TYPES] as const;
export type WebhookEventType = (typeof WEBHOOK_EVENT_TYPES)[number];

/** Webhook endpoint formats: Standard Webhooks (signed JSON), Slack Block Kit, Teams Adaptive Card. */
export const WEBHOOK_KINDS = ['standard', 'slack', 'teams'] as const;
export type WebhookKind = (typeof WEBHOOK_KINDS)[number];

/** The events a Slack or Teams endpoint gets unless told otherwise: the ones a person acts on. */
export const CHAT_DEFAULT_EVENTS = ['handoff.created', 'handoff.overdue', 'handoff.claimed'] as const;

/** Control events of the stream itself. */
export const STREAM_EVENT_TYPES = ['stream.reset', 'stream.expired'] as const;
export type StreamEventType = (typeof STREAM_EVENT_TYPES)[number];
