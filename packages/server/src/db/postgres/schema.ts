// The PostgreSQL twin of ../schema.ts: same tables, columns and indexes, so both infer the same row
// types (schema-parity.test.ts) and one set of repositories serves both. Differences: times and
// sequence numbers are `bigint`, JSON is `json` (kept as written, like SQLite's text).
// Types only: drizzle-kit loads this file with `require`, and the contract package is ESM-only.
import type {
  Assessment,
  DeliveryAttempt,
  EscalationPolicy,
  ExternalRef,
  HandoffContext,
  HandoffStatus,
  Intent,
  Priority,
  Role,
  TriedStep,
  WebhookEventType,
  WebhookKind,
} from '@resolutionflow/types';
import { sql } from 'drizzle-orm';
import type { JWK } from 'jose';
import {
  bigint,
  bigserial,
  boolean,
  doublePrecision,
  index,
  integer,
  json,
  pgTable,
  primaryKey,
  text,
  uniqueIndex,
} from 'drizzle-orm/pg-core';

/** Times are stored as integer milliseconds since the epoch (UTC). */
const millis = (name: string) => bigint(name, { mode: 'number' });

/** An MSP: the tenant. Every other row belongs to exactly one account. */
export const accounts = pgTable('accounts', {
  id: text('id').primaryKey(),
  name: text('name').notNull(),
  createdAt: millis('created_at').notNull(),
});

/** Per-account settings an admin edits. */
export const accountSettings = pgTable('account_settings', {
  accountId: text('account_id')
    .primaryKey()
    .references(() => accounts.id, { onDelete: 'cascade' }),
  manualBaselineMinutes: doublePrecision('manual_baseline_minutes'),
  allowedOrigins: json('allowed_origins')
    .$type<string[]>()
    .notNull()
    .default(sql`'[]'::json`),
  /** The escalation policy (DESIGN §12); null: the documented default. */
  policy: json('policy').$type<EscalationPolicy>(),
  updatedAt: millis('updated_at').notNull(),
});

/** Public halves of embed-token signing keys. Private keys are never stored. */
export const signingKeys = pgTable(
  'signing_keys',
  {
    kid: text('kid').primaryKey(),
    accountId: text('account_id')
      .notNull()
      .references(() => accounts.id, { onDelete: 'cascade' }),
    alg: text('alg').notNull(),
    publicJwk: json('public_jwk').$type<JWK>().notNull(),
    createdAt: millis('created_at').notNull(),
    revokedAt: millis('revoked_at'),
  },
  (table) => [index('signing_keys_account').on(table.accountId)],
);

/** Server-to-server keys, stored as SHA-256 hashes of the secret. */
export const apiKeys = pgTable(
  'api_keys',
  {
    id: text('id').primaryKey(),
    accountId: text('account_id')
      .notNull()
      .references(() => accounts.id, { onDelete: 'cascade' }),
    name: text('name').notNull(),
    prefix: text('prefix').notNull(),
    secretHash: text('secret_hash').notNull(),
    createdAt: millis('created_at').notNull(),
    revokedAt: millis('revoked_at'),
  },
  (table) => [uniqueIndex('api_keys_hash').on(table.secretHash)],
);

/** People, known from embed-token claims or the host's roster sync. */
export const users = pgTable(
  'users',
  {
    accountId: text('account_id')
      .notNull()
      .references(() => accounts.id, { onDelete: 'cascade' }),
    id: text('id').notNull(),
    name: text('name').notNull(),
    email: text('email'),
    role: text('role').$type<Role>().notNull(),
    createdAt: millis('created_at').notNull(),
    updatedAt: millis('updated_at').notNull(),
  },
  (table) => [primaryKey({ columns: [table.accountId, table.id] })],
);

/** One escalation or shift handoff, with its tried steps, context and assessment. */
export const handoffs = pgTable(
  'handoffs',
  {
    id: text('id').primaryKey(),
    accountId: text('account_id')
      .notNull()
      .references(() => accounts.id, { onDelete: 'cascade' }),
    intent: text('intent').$type<Intent>().notNull(),
    status: text('status').$type<HandoffStatus>().notNull(),
    priority: text('priority').$type<Priority>().notNull(),
    /** 0 (low) … 3 (urgent): lets the queue sort by priority in SQL. */
    priorityRank: integer('priority_rank').notNull(),
    title: text('title').notNull(),
    problemSummary: text('problem_summary').notNull(),
    tried: json('tried').$type<TriedStep[]>().notNull(),
    context: json('context').$type<HandoffContext>().notNull(),
    hostSessionId: text('host_session_id'),
    assessment: json('assessment').$type<Assessment>().notNull(),
    createdById: text('created_by_id').notNull(),
    createdByName: text('created_by_name').notNull(),
    claimedById: text('claimed_by_id'),
    claimedByName: text('claimed_by_name'),
    createdAt: millis('created_at').notNull(),
    claimedAt: millis('claimed_at'),
    startedAt: millis('started_at'),
    resolvedAt: millis('resolved_at'),
    cancelledAt: millis('cancelled_at'),
    /** The host ticket in a PSA, set at create. */
    externalRef: json('external_ref').$type<ExternalRef>(),
    /** When the policy's first `unclaimed` step fired for it: the queue marks the card. */
    overdueAt: millis('overdue_at'),
  },
  (table) => [
    // Matches the queue order exactly, so a page is read straight off the index.
    index('handoffs_queue').on(
      table.accountId,
      table.status,
      sql`${table.priorityRank} desc`,
      table.createdAt,
      table.id,
    ),
    index('handoffs_created').on(table.accountId, table.createdAt, table.id),
  ],
);

/**
 * The head of an account's event sequence. Every append advances `last_seq` in
 * the transaction that inserts the events, as its last statement: the row lock
 * (on PostgreSQL; the one writer on SQLite) makes numbers dense and commit in
 * order per account. `epoch` changes when the numbering does (a renumbering
 * migration, a restore), so an id from before cannot be mistaken for one after.
 */
export const accountStreams = pgTable('account_streams', {
  accountId: text('account_id')
    .primaryKey()
    .references(() => accounts.id, { onDelete: 'cascade' }),
  epoch: integer('epoch').notNull().default(1),
  /** The newest event's `seq` (0 before the first). */
  lastSeq: bigint('last_seq', { mode: 'number' }).notNull().default(0),
  /** Events with `seq` up to this were pruned: a Last-Event-ID below it gets `stream.reset`. */
  prunedThrough: bigint('pruned_through', { mode: 'number' }).notNull().default(0),
});

/**
 * The live stream's source of truth: one row per state change, written in the
 * same transaction as the change. `seq` is dense per account (taken from
 * {@link accountStreams}); the SSE id is `<epoch>.<seq>`.
 */
export const events = pgTable(
  'events',
  {
    accountId: text('account_id')
      .notNull()
      .references(() => accounts.id, { onDelete: 'cascade' }),
    seq: bigint('seq', { mode: 'number' }).notNull(),
    type: text('type').$type<WebhookEventType>().notNull(),
    handoffId: text('handoff_id'),
    data: text('data').notNull(),
    createdAt: millis('created_at').notNull(),
  },
  // The key makes a write that bypasses the head row fail loudly instead of leaving a hole.
  (table) => [primaryKey({ columns: [table.accountId, table.seq] })],
);

/**
 * The first answer to each `Idempotency-Key` a create was sent with, per
 * account, for 24 h: a retry (from any instance) gets it again instead of a
 * second handoff. The unique index is what decides between concurrent retries.
 */
export const idempotencyKeys = pgTable(
  'idempotency_keys',
  {
    accountId: text('account_id')
      .notNull()
      .references(() => accounts.id, { onDelete: 'cascade' }),
    key: text('key').notNull(),
    /** A digest of the request body, so the same key with another body is told apart. */
    fingerprint: text('fingerprint').notNull(),
    handoffId: text('handoff_id')
      .notNull()
      .references(() => handoffs.id, { onDelete: 'cascade' }),
    status: integer('status').notNull(),
    /** The response body as first sent. */
    body: text('body').notNull(),
    createdAt: millis('created_at').notNull(),
  },
  (table) => [
    uniqueIndex('idempotency_keys_account_key').on(table.accountId, table.key),
    index('idempotency_keys_created').on(table.createdAt),
  ],
);

/** Where an escalation e-mail stands: waiting (or retrying), sent, or given up on. */
export const OUTBOX_STATUSES = ['pending', 'sent', 'failed'] as const;

/** Where a webhook delivery stands: waiting (or retrying), delivered, or given up on. */
export const DELIVERY_STATUSES = ['pending', 'delivered', 'failed'] as const;

/** The e-mails the outbox sends. */
export const MAIL_KINDS = ['escalation', 'overdue', 'reminder'] as const;

/** Escalation e-mails waiting to be sent, sent, or given up on. */
export const notificationOutbox = pgTable(
  'notification_outbox',
  {
    id: bigserial('id', { mode: 'number' }).primaryKey(),
    accountId: text('account_id')
      .notNull()
      .references(() => accounts.id, { onDelete: 'cascade' }),
    handoffId: text('handoff_id')
      .notNull()
      .references(() => handoffs.id, { onDelete: 'cascade' }),
    recipientId: text('recipient_id').notNull(),
    recipientEmail: text('recipient_email').notNull(),
    /** Which e-mail: the escalation, a policy re-notification, or a reminder to the claimer. */
    kind: text('kind', { enum: MAIL_KINDS }).notNull().default('escalation'),
    status: text('status', { enum: OUTBOX_STATUSES }).notNull(),
    attempts: integer('attempts').notNull().default(0),
    nextAttemptAt: millis('next_attempt_at').notNull(),
    lastError: text('last_error'),
    createdAt: millis('created_at').notNull(),
    sentAt: millis('sent_at'),
  },
  (table) => [index('outbox_due').on(table.status, table.nextAttemptAt)],
);

/**
 * Policy steps that fired, one row per step per escalation (per claim for a
 * `claimedNotStarted` step). The primary key is what makes a step fire once,
 * whatever the number of instances or restarts: the firing inserts its row in
 * the transaction that writes its event.
 */
export const policyFirings = pgTable(
  'policy_firings',
  {
    handoffId: text('handoff_id')
      .notNull()
      .references(() => handoffs.id, { onDelete: 'cascade' }),
    /** `unclaimed:<step>` or `claimed:<claimedAt>:<step>`. */
    stepKey: text('step_key').notNull(),
    accountId: text('account_id')
      .notNull()
      .references(() => accounts.id, { onDelete: 'cascade' }),
    firedAt: millis('fired_at').notNull(),
  },
  (table) => [primaryKey({ columns: [table.handoffId, table.stepKey] })],
);

/** Outbound webhook endpoints (Standard Webhooks, Slack, Teams), per account. */
export const webhookEndpoints = pgTable(
  'webhook_endpoints',
  {
    id: text('id').primaryKey(),
    accountId: text('account_id')
      .notNull()
      .references(() => accounts.id, { onDelete: 'cascade' }),
    url: text('url').notNull(),
    kind: text('kind').$type<WebhookKind>().notNull(),
    events: json('events').$type<WebhookEventType[]>().notNull(),
    description: text('description'),
    /** `whsec_…`; null for chat kinds, which are not signed. Kept to sign with, so stored as is. */
    secret: text('secret'),
    /** The secret before the last rotation: still signs (beside the new one) until it expires. */
    previousSecret: text('previous_secret'),
    previousSecretExpiresAt: millis('previous_secret_expires_at'),
    enabled: boolean('enabled').notNull(),
    disabledReason: text('disabled_reason'),
    consecutiveFailures: integer('consecutive_failures').notNull().default(0),
    /** The account's events up to here (in `cursorEpoch`) have been turned into deliveries. */
    cursorEpoch: integer('cursor_epoch').notNull(),
    cursorSeq: bigint('cursor_seq', { mode: 'number' }).notNull(),
    createdAt: millis('created_at').notNull(),
    updatedAt: millis('updated_at').notNull(),
  },
  (table) => [index('webhook_endpoints_account').on(table.accountId)],
);

/**
 * The webhook outbox and delivery log: one message to one endpoint, every
 * attempt in `log`. `id` is the `webhook-id` header, the same on every retry
 * and redelivery, so receivers can drop duplicates.
 */
export const webhookDeliveries = pgTable(
  'webhook_deliveries',
  {
    id: text('id').primaryKey(),
    accountId: text('account_id')
      .notNull()
      .references(() => accounts.id, { onDelete: 'cascade' }),
    endpointId: text('endpoint_id')
      .notNull()
      .references(() => webhookEndpoints.id, { onDelete: 'cascade' }),
    eventType: text('event_type').notNull(),
    /** The event's `data`, as JSON: each kind formats its own body from it. */
    payload: text('payload').notNull(),
    status: text('status', { enum: DELIVERY_STATUSES }).notNull(),
    /** Attempts since the delivery was queued (or last redelivered): drives the backoff. */
    attempts: integer('attempts').notNull().default(0),
    nextAttemptAt: millis('next_attempt_at').notNull(),
    log: json('log').$type<DeliveryAttempt[]>().notNull(),
    createdAt: millis('created_at').notNull(),
    deliveredAt: millis('delivered_at'),
  },
  (table) => [
    index('webhook_deliveries_due').on(table.status, table.nextAttemptAt),
    index('webhook_deliveries_endpoint').on(table.endpointId, table.createdAt),
  ],
);

export type AccountRow = typeof accounts.$inferSelect;
export type HandoffRow = typeof handoffs.$inferSelect;
export type UserRow = typeof users.$inferSelect;
export type EventRow = typeof events.$inferSelect;
export type AccountStreamRow = typeof accountStreams.$inferSelect;
export type OutboxInsert = typeof notificationOutbox.$inferInsert;
export type WebhookEndpointRow = typeof webhookEndpoints.$inferSelect;
export type WebhookDeliveryRow = typeof webhookDeliveries.$inferSelect;
