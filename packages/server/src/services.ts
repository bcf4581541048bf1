import type { Logger } from 'pino';
import type { AppDeps } from './app-env.js';
import type { Assessor } from './assess/assessor.js';
import { AssessmentRunner } from './assess/assessment-runner.js';
import { PendingAssessments } from './assess/pending-assessments.js';
import { OpenAiAssessor } from './assess/openai-assessor.js';
import { RuleBasedAssessor } from './assess/rule-based-assessor.js';
import type { Bus } from './bus.js';
import type { Clock } from './clock.js';
import type { Config } from './config.js';
import type { Database } from './db/database.js';
import type { Mailer } from './mail/mailer.js';
import { SmtpMailer } from './mail/mailer.js';
import { DEFAULT_OUTBOX_POLICY, OutboxWorker, type OutboxPolicy } from './mail/outbox-worker.js';
import { mailBacklog } from './mail/outbox-backlog.js';
import { noopMetrics, type Metrics } from './metrics/metrics.js';
import { createPrometheusMetrics } from './metrics/prometheus-metrics.js';
import { StreamHub } from './stream/hub.js';
import { pruneEvents } from './stream/retention.js';
import { pruneIdempotencyKeys } from './domain/idempotency.js';
import { pruneFinished } from './db/prune-finished.js';
import { handoffLink } from './mail/escalation-email.js';
import { PolicyScheduler } from './policy/policy-scheduler.js';
import type { AddressPolicy } from './webhooks/address-guard.js';
import { DEFAULT_WEBHOOK_POLICY, WebhookWorker, type WebhookPolicy } from './webhooks/delivery-worker.js';
import { webhookBacklog } from './webhooks/delivery-backlog.js';

/** The long-lived parts beside the HTTP app: streams, assessments, mail, retention. */
export interface Services {
  streams: StreamHub;
  assessments: AssessmentRunner | undefined;
  outbox: OutboxWorker | undefined;
  /** Runs the accounts' escalation policies. */
  policy: PolicyScheduler;
  /** Sends outbound webhooks (and Slack / Teams messages). */
  webhooks: WebhookWorker;
  /** What `/metrics` serves; the no-op recorder when metrics are off. */
  metrics: Metrics;
  /** The deps to hand `createApp`. */
  deps: AppDeps;
  /** Starts background work: resumes pending assessments, mail polling, pruning (events, idempotency keys). */
  start(): Promise<void>;
  /** Stops background work and closes streams with a `retry` hint. */
  stop(): Promise<void>;
}

/** Picks the assessor the configuration asks for. */
export function assessorFor(config: Config): Assessor | undefined {
  if (config.ai.provider === 'off') return undefined;
  if (config.ai.provider === 'openai' && config.ai.baseUrl) {
    return new OpenAiAssessor({
      baseUrl: config.ai.baseUrl,
      apiKey: config.ai.apiKey,
      model: config.ai.model,
    });
  }
  return new RuleBasedAssessor();
}

/**
 * Builds the services from the configuration; tests override the assessor,
 * the mailer or the outbox policy with real local ones.
 */
export function createServices(
  base: { database: Database; bus: Bus; clock: Clock; config: Config; logger: Logger },
  overrides: {
    assessor?: Assessor | null;
    mailer?: Mailer | null;
    outboxPolicy?: OutboxPolicy;
    publicUrl?: string;
    metrics?: Metrics;
    /** Webhook retry, timing and address settings (tests: fast retries, an allowed address). */
    webhookPolicy?: Partial<WebhookPolicy>;
    /** How often the policy looks for due steps (tests: fast). */
    policyPollMs?: number;
  } = {},
): Services {
  const { database, bus, clock, config, logger } = base;
  const metrics = overrides.metrics ?? (config.metrics ? createPrometheusMetrics() : noopMetrics);
  const streams = new StreamHub({
    database,
    bus,
    clock,
    logger,
    heartbeatMs: config.stream.heartbeatMs,
    slowClientMs: config.stream.slowClientMs,
    bufferBytes: config.stream.bufferBytes,
    maxPerUser: config.stream.maxPerUser,
    metrics,
  });
  const assessor = overrides.assessor === null ? undefined : (overrides.assessor ?? assessorFor(config));
  const assessments = assessor
    ? new AssessmentRunner({
        assessor,
        database,
        bus,
        clock,
        logger,
        timeoutMs: config.ai.timeoutMs,
        metrics,
      })
    : undefined;
  const mailer =
    overrides.mailer === null
      ? undefined
      : (overrides.mailer ??
        (config.mail.smtpUrl
          ? new SmtpMailer(config.mail.smtpUrl, config.mail.from, config.mail.timeoutMs)
          : undefined));
  const publicUrl = overrides.publicUrl ?? config.publicUrl ?? `http://${config.host}:${config.port}`;
  const outbox = mailer
    ? new OutboxWorker({
        database,
        mailer,
        clock,
        logger,
        publicUrl,
        linkTemplate: config.mail.handoffUrlTemplate,
        policy: overrides.outboxPolicy ?? {
          ...DEFAULT_OUTBOX_POLICY,
          maxAttempts: config.mail.maxAttempts,
          pollMs: config.mail.pollMs,
          leaseMs: config.mail.leaseMs,
        },
        metrics,
      })
    : undefined;
  const addresses: AddressPolicy = overrides.webhookPolicy?.addresses ?? {
    allowPrivate: config.webhooks.allowPrivate,
  };
  const webhooks = new WebhookWorker({
    database,
    bus,
    clock,
    logger,
    link: (id) => handoffLink(config.mail.handoffUrlTemplate, publicUrl, id),
    policy: {
      ...DEFAULT_WEBHOOK_POLICY,
      timeoutMs: config.webhooks.timeoutMs,
      maxAttempts: config.webhooks.maxAttempts,
      baseDelayMs: config.webhooks.retryBaseMs,
      disableAfterFailures: config.webhooks.disableAfterFailures,
      ...overrides.webhookPolicy,
      addresses,
    },
    metrics,
  });
  const policy = new PolicyScheduler({
    database,
    bus,
    clock,
    logger,
    pollMs: overrides.policyPollMs ?? config.policyPollMs,
    mail: Boolean(outbox),
    onFired: () => {
      outbox?.wake();
      webhooks.wake();
    },
    metrics,
  });
  metrics.watchStreams(() => streams.size);
  if (outbox) metrics.watchOutbox('mail', () => mailBacklog(database, clock));
  metrics.watchOutbox('webhook', () => webhookBacklog(database, clock));
  let pruner: NodeJS.Timeout | undefined;
  const pending = new PendingAssessments({
    database,
    bus,
    clock,
    logger,
    runner: assessments,
    timeoutMs: config.ai.timeoutMs,
  });

  return {
    streams,
    assessments,
    outbox,
    policy,
    webhooks,
    metrics,
    deps: {
      ...base,
      metrics,
      streams,
      ...(assessments ? { assessments } : {}),
      ...(outbox ? { notifier: outbox } : {}),
      webhooks: { wake: () => webhooks.nudge(), addresses },
    },
    async start() {
      await pending.start();
      outbox?.start();
      webhooks.start();
      policy.start();
      const prune = async () => {
        try {
          await pruneEvents(database, config.stream.retentionDays, clock.now());
          await pruneIdempotencyKeys(database, clock.now());
          await pruneFinished(database, config.stream.retentionDays, clock.now());
        } catch (error) {
          // The database is unreachable for now; the next round prunes.
          logger.warn({ err: (error as Error).message }, 'pruning failed');
        }
      };
      await prune();
      pruner = setInterval(() => void prune(), 60 * 60 * 1000);
      pruner.unref();
    },
    async stop() {
      clearInterval(pruner);
      pending.stop();
      streams.close();
      await Promise.all([outbox?.stop(), assessments?.idle(), policy.stop(), webhooks.stop()]);
    },
  };
}
