import { ASSESSMENT_STATUSES, PolicyFiringSchema } from '@resolutionflow/types';
import { collectDefaultMetrics, Counter, Gauge, Histogram, Registry } from 'prom-client';
import type { CutReason, Metrics, OutboxBacklog, OutboxKind, PolicyAction, SendOutcome } from './metrics.js';

/** Every series name this server exports besides prom-client's default process metrics. */
export const SERIES = [
  'rf_stream_connections',
  'rf_events_delivered_total',
  'rf_fanout_latency_seconds',
  'rf_stream_cuts_total',
  'rf_outbox_pending',
  'rf_outbox_oldest_age_seconds',
  'rf_outbox_sends_total',
  'rf_outbox_pass_failures_total',
  'rf_assessments_total',
  'rf_assessment_duration_seconds',
  'rf_policy_steps_total',
  'rf_http_request_duration_seconds',
] as const;

/** The series only a PostgreSQL deployment with its LISTEN connection exports. */
export const LISTENER_SERIES = ['rf_listener_up', 'rf_listener_reconnects_total'] as const;

const CUT_REASONS: readonly CutReason[] = ['buffer', 'stalled'];
const OUTBOX_KINDS: readonly OutboxKind[] = ['mail', 'webhook'];
const SEND_OUTCOMES: readonly SendOutcome[] = ['sent', 'retry', 'failed'];
const POLICY_ACTIONS: readonly PolicyAction[] = PolicyFiringSchema.shape.action.options;
/** The outcomes an assessment can end with (`pending` and `disabled` are not outcomes of a run). */
const ASSESSMENT_OUTCOMES = ASSESSMENT_STATUSES.filter(
  (status) => status !== 'pending' && status !== 'disabled',
);
/** Methods get their own label value; anything else is `other`, so a client cannot mint label values. */
const METHODS = new Set(['GET', 'HEAD', 'POST', 'PUT', 'PATCH', 'DELETE', 'OPTIONS']);

/**
 * Metrics in a registry of their own (not prom-client's global one, so several
 * servers in one process — tests — never share series), with Node's default
 * process metrics, served in Prometheus's text format.
 *
 * Counters with a small, fixed set of label values start at 0 for each value,
 * so `rate()` and alerts see a series from the first scrape, not from the
 * first incident.
 *
 * @example
 * const metrics = createPrometheusMetrics();
 * const services = createServices({ ...base, metrics });
 */
export function createPrometheusMetrics(options: { listener?: boolean } = {}): Metrics {
  const registry = new Registry();
  collectDefaultMetrics({ register: registry });
  const registers = [registry];
  const listener = options.listener ? listenerSeries(registers) : undefined;

  let streams = () => 0;
  // Read from the hub at scrape time: it cannot drift, whichever way a stream ends.
  new Gauge({
    name: 'rf_stream_connections',
    help: 'Live streams open in this process.',
    registers,
    collect() {
      this.set(streams());
    },
  });
  const delivered = new Counter({
    name: 'rf_events_delivered_total',
    help: 'Events written to live-stream sockets (one per event per connection), replays included.',
    registers,
  });
  const fanout = new Histogram({
    name: 'rf_fanout_latency_seconds',
    help: "From the commit waking the stream hub to the event written to the last of an account's sockets.",
    buckets: [0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5],
    registers,
  });
  const cuts = new Counter({
    name: 'rf_stream_cuts_total',
    help: 'Live-stream clients cut for not keeping up: buffer (too many bytes behind) or stalled (not draining).',
    labelNames: ['reason'] as const,
    registers,
  });
  const backlogs = new Map<OutboxKind, () => Promise<OutboxBacklog>>();
  // Read at scrape time from the table (the truth), never tracked by hand: once per scrape, shared
  // by both gauges. render() starts each scrape afresh: a scrape that reused the last one's reading
  // (as an earlier timer-based reset did, when nothing yielded to the event loop in between) showed
  // a backlog that was already gone.
  let reading: Promise<[OutboxKind, OutboxBacklog][]> | undefined;
  const readBacklogs = () =>
    (reading ??= Promise.all(
      [...backlogs].map(async ([kind, read]) => [kind, await read()] as [OutboxKind, OutboxBacklog]),
    ));
  new Gauge({
    name: 'rf_outbox_pending',
    help: 'Outbox rows waiting to be sent (first attempt or a retry).',
    labelNames: ['kind'] as const,
    registers,
    async collect() {
      for (const [kind, backlog] of await readBacklogs()) this.set({ kind }, backlog.pending);
    },
  });
  new Gauge({
    name: 'rf_outbox_oldest_age_seconds',
    help: 'Age of the oldest pending outbox row; 0 when none is pending.',
    labelNames: ['kind'] as const,
    registers,
    async collect() {
      for (const [kind, backlog] of await readBacklogs()) this.set({ kind }, backlog.oldestAgeSeconds);
    },
  });
  const sends = new Counter({
    name: 'rf_outbox_sends_total',
    help: 'Attempts to send from an outbox, by outcome: sent, retry (failed, will retry) or failed (given up).',
    labelNames: ['kind', 'outcome'] as const,
    registers,
  });
  const passFailures = new Counter({
    name: 'rf_outbox_pass_failures_total',
    help: 'Outbox passes that could not read their queue (a busy or closing database).',
    labelNames: ['kind'] as const,
    registers,
  });
  const assessments = new Counter({
    name: 'rf_assessments_total',
    help: 'AI assessments finished, by outcome: ready, timed_out or failed.',
    labelNames: ['status'] as const,
    registers,
  });
  const assessmentDuration = new Histogram({
    name: 'rf_assessment_duration_seconds',
    help: 'How long an AI assessment ran, whatever its outcome.',
    buckets: [0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30],
    registers,
  });
  const policySteps = new Counter({
    name: 'rf_policy_steps_total',
    help: 'Escalation-policy steps fired, by action: engineers or admins notified again, remind, release.',
    labelNames: ['action'] as const,
    registers,
  });
  const requests = new Histogram({
    name: 'rf_http_request_duration_seconds',
    help: 'HTTP requests by route template, method and status (a stream counts until its headers are sent).',
    labelNames: ['route', 'method', 'status'] as const,
    buckets: [0.001, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5],
    registers,
  });

  for (const reason of CUT_REASONS) cuts.inc({ reason }, 0);
  for (const kind of OUTBOX_KINDS) {
    passFailures.inc({ kind }, 0);
    for (const outcome of SEND_OUTCOMES) sends.inc({ kind, outcome }, 0);
  }
  for (const status of ASSESSMENT_OUTCOMES) assessments.inc({ status }, 0);
  for (const action of POLICY_ACTIONS) policySteps.inc({ action }, 0);

  return {
    enabled: true,
    watchStreams: (count) => void (streams = count),
    streamCut: (reason) => cuts.inc({ reason }),
    fannedOut(deliveries, startedAt) {
      delivered.inc(deliveries);
      fanout.observe((performance.now() - startedAt) / 1000);
    },
    replayed: (deliveries) => delivered.inc(deliveries),
    assessmentStarted() {
      const end = assessmentDuration.startTimer();
      return (status) => {
        end();
        assessments.inc({ status });
      };
    },
    outboxSend: (kind, outcome) => sends.inc({ kind, outcome }),
    outboxPassFailed: (kind) => passFailures.inc({ kind }),
    watchOutbox: (kind, backlog) => void backlogs.set(kind, backlog),
    policyStepFired: (action) => policySteps.inc({ action }),
    listenerUp: (up) => listener?.up.set(up ? 1 : 0),
    listenerReconnected: () => listener?.reconnects.inc(),
    httpRequest(route, method, status, seconds) {
      requests.observe(
        { route, method: METHODS.has(method) ? method : 'other', status: String(status) },
        seconds,
      );
    },
    async render() {
      reading = undefined;
      return { contentType: registry.contentType, body: await registry.metrics() };
    },
  };
}

/** The bus listener's state: exported only where there is one (PostgreSQL with LISTEN on). */
function listenerSeries(registers: Registry[]) {
  return {
    up: new Gauge({
      name: 'rf_listener_up',
      help: "1 while this instance's PostgreSQL LISTEN connection is connected and its heartbeat comes back.",
      registers,
    }),
    reconnects: new Counter({
      name: 'rf_listener_reconnects_total',
      help: 'Times the LISTEN connection was listening again after losing its connection (each followed by a catch-up).',
      registers,
    }),
  };
}
