import type { AssessmentStatus, PolicyFiring } from '@resolutionflow/types';

/** Why a live-stream client was cut: too many bytes piled up behind it, or its socket stopped draining. */
export type CutReason = 'buffer' | 'stalled';

/** Which outbox a series is about: escalation e-mail, or webhook deliveries (Slack and Teams included). */
export type OutboxKind = 'mail' | 'webhook';

/** What a fired escalation-policy step did: notified engineers or admins again, reminded, or released. */
export type PolicyAction = PolicyFiring['action'];

/** What became of one send from an outbox: delivered, to be retried, or given up on. */
export type SendOutcome = 'sent' | 'retry' | 'failed';

/** An outbox's queue at the moment of a scrape. */
export interface OutboxBacklog {
  pending: number;
  /** How long the oldest pending row has waited since it was queued; 0 when none is pending. */
  oldestAgeSeconds: number;
}

/**
 * What the server tells its operators about itself. Services call these at the
 * moment something happens (one line at each call site); the Prometheus
 * implementation (`prometheus-metrics.ts`) turns them into series, and
 * {@link noopMetrics} ignores them when `/metrics` is off.
 *
 * No method takes a user, an account or an id: labels only ever carry the
 * small, fixed sets of values typed here (and route templates).
 *
 * @example
 * const metrics = createPrometheusMetrics();
 * metrics.streamCut('stalled');
 * const { body } = await metrics.render();
 */
export interface Metrics {
  /** False for the no-op recorder: nothing is served. */
  readonly enabled: boolean;
  /** Reads how many live streams are open at each scrape (`rf_stream_connections`). */
  watchStreams(count: () => number): void;
  /** The hub cut a client that did not keep up (`rf_stream_cuts_total{reason}`). */
  streamCut(reason: CutReason): void;
  /**
   * One fan-out pass for an account finished writing: `deliveries` events were
   * written to sockets (`rf_events_delivered_total`), and the time since the
   * commit woke the hub (`startedAt`, from `performance.now()`) is observed in
   * `rf_fanout_latency_seconds`.
   */
  fannedOut(deliveries: number, startedAt: number): void;
  /** Events written to one connection while it replays history (`rf_events_delivered_total`). */
  replayed(deliveries: number): void;
  /** Starts timing an assessment; call the returned function with its outcome. */
  assessmentStarted(): (status: AssessmentStatus) => void;
  /** One attempt to send from an outbox ended (`rf_outbox_sends_total{kind,outcome}`). */
  outboxSend(kind: OutboxKind, outcome: SendOutcome): void;
  /** An outbox pass could not read its queue (`rf_outbox_pass_failures_total{kind}`). */
  outboxPassFailed(kind: OutboxKind): void;
  /** Reads an outbox's backlog at each scrape (`rf_outbox_pending`, `rf_outbox_oldest_age_seconds`). */
  watchOutbox(kind: OutboxKind, backlog: () => Promise<OutboxBacklog>): void;
  /** An escalation-policy step fired, once across instances (`rf_policy_steps_total{action}`). */
  policyStepFired(action: PolicyAction): void;
  /** The PostgreSQL bus listener connected (true) or stopped answering (false) (`rf_listener_up`). */
  listenerUp(up: boolean): void;
  /** The bus listener is listening again after losing its connection (`rf_listener_reconnects_total`). */
  listenerReconnected(): void;
  /** One HTTP request answered (`rf_http_request_duration_seconds{route,method,status}`). */
  httpRequest(route: string, method: string, status: number, seconds: number): void;
  /** The exposition text, in Prometheus's text format. */
  render(): Promise<{ contentType: string; body: string }>;
}

const nothing = () => undefined;

/** The recorder used when metrics are off: every call is a no-op, so measuring costs nothing. */
export const noopMetrics: Metrics = {
  enabled: false,
  watchStreams: nothing,
  streamCut: nothing,
  fannedOut: nothing,
  replayed: nothing,
  assessmentStarted: () => nothing,
  outboxSend: nothing,
  outboxPassFailed: nothing,
  watchOutbox: nothing,
  policyStepFired: nothing,
  listenerUp: nothing,
  listenerReconnected: nothing,
  httpRequest: nothing,
  render: () => Promise.resolve({ contentType: 'text/plain; version=0.0.4; charset=utf-8', body: '' }),
};
