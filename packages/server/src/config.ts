import { randomBytes } from 'node:crypto';
import { hostname } from 'node:os';
import { z } from 'zod';
import type { DatabaseTarget } from './db/open-database.js';

const boolean = z
  .enum(['true', 'false', '1', '0', 'yes', 'no'])
  .transform((value) => value === 'true' || value === '1' || value === 'yes');

const seconds = (fallback: number) => z.coerce.number().positive().default(fallback);

/** Every environment variable the server reads, with its default. */
const EnvSchema = z.object({
  PORT: z.coerce.number().int().min(0).max(65535).default(8787),
  HOST: z.string().min(1).default('127.0.0.1'),
  DATABASE_PATH: z.string().min(1).default('./data/resolutionflow.db'),
  SQLITE_SYNCHRONOUS: z.enum(['FULL', 'NORMAL']).default('FULL'),
  DATABASE_URL: z
    .string()
    .regex(/^postgres(ql)?:\/\/\S+$/, 'a postgres:// URL (unset for SQLite at DATABASE_PATH)')
    .optional(),
  DATABASE_DIALECT: z.enum(['sqlite', 'postgres']).optional(),
  DATABASE_POOL_SIZE: z.coerce.number().int().min(1).max(500).default(10),
  DATABASE_READ_POOL_SIZE: z.coerce.number().int().min(1).max(500).default(4),
  SQLITE_CHECKPOINTS: z.enum(['background', 'inline']).default('background'),
  PUBLIC_URL: z.url().optional(),
  LOG_LEVEL: z.enum(['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent']).default('info'),
  DEMO_MODE: boolean.default(false),
  DEMO_ALLOWED_ORIGINS: z
    .string()
    .default('')
    .transform((value) =>
      value
        .split(',')
        .map((origin) => origin.trim())
        .filter(Boolean),
    )
    .pipe(z.array(z.string().regex(/^https?:\/\/[A-Za-z0-9.-]+(:\d{1,5})?$/, 'comma-separated origins'))),
  BODY_LIMIT_BYTES: z.coerce
    .number()
    .int()
    .min(1024)
    .default(64 * 1024),
  RATE_LIMIT_WRITE_BURST: z.coerce.number().int().min(1).default(60),
  RATE_LIMIT_WRITES_PER_SECOND: z.coerce.number().positive().default(5),
  TOKEN_MAX_LIFETIME_SECONDS: z.coerce.number().int().min(60).max(3600).default(3600),
  CLOCK_SKEW_SECONDS: z.coerce.number().int().min(0).max(300).default(30),
  SSE_HEARTBEAT_SECONDS: seconds(15),
  STREAM_MAX_PER_USER: z.coerce.number().int().min(1).default(10),
  STREAM_SLOW_CLIENT_SECONDS: seconds(5),
  STREAM_BUFFER_BYTES: z.coerce
    .number()
    .int()
    .min(4096)
    .default(1024 * 1024),
  EVENT_RETENTION_DAYS: z.coerce.number().int().min(1).default(30),
  ESCALATION_AI_ASSESSMENT_TIMEOUT_SECONDS: seconds(5),
  AI_PROVIDER: z.enum(['rules', 'openai', 'off']).optional(),
  AI_BASE_URL: z.url().optional(),
  AI_API_KEY: z.string().optional(),
  AI_MODEL: z.string().default('gpt-4o-mini'),
  SMTP_URL: z.url().optional(),
  SMTP_TIMEOUT_SECONDS: seconds(5),
  MAIL_MAX_ATTEMPTS: z.coerce.number().int().min(1).max(50).default(8),
  MAIL_POLL_SECONDS: seconds(5),
  MAIL_LEASE_SECONDS: seconds(60),
  MAIL_FROM: z.string().default('ResolutionFlow <escalations@resolutionflow.local>'),
  WEBHOOK_ALLOW_PRIVATE: boolean.optional(),
  WEBHOOK_TIMEOUT_SECONDS: seconds(10),
  WEBHOOK_MAX_ATTEMPTS: z.coerce.number().int().min(1).max(50).default(8),
  WEBHOOK_RETRY_BASE_SECONDS: seconds(10),
  WEBHOOK_DISABLE_AFTER_FAILURES: z.coerce.number().int().min(1).max(1000).default(20),
  POLICY_POLL_SECONDS: seconds(5),
  HANDOFF_URL_TEMPLATE: z.string().default('{publicUrl}/handoffs/{id}'),
  API_REFERENCE_CDN: z.url().optional(),
  TLS_CERT_PATH: z.string().optional(),
  TLS_KEY_PATH: z.string().optional(),
  METRICS_TOKEN: z
    .string()
    .regex(/^[\x21-\x7e]{16,}$/, 'at least 16 printable characters, no spaces')
    .optional(),
  METRICS_PORT: z.coerce.number().int().min(0).max(65535).optional(),
  INSTANCE_ID: z
    .string()
    .regex(/^[A-Za-z0-9._-]{1,40}$/, 'letters, digits, dot, dash or underscore, at most 40')
    .optional(),
  BUS_LISTEN: boolean.default(true),
  BUS_POLL_MS: z.coerce.number().int().min(100).max(60_000).default(1000),
  BUS_HEARTBEAT_SECONDS: seconds(10),
  BUS_HEARTBEAT_TIMEOUT_SECONDS: seconds(3),
});

/** Where the examples run (`npm run example:portal`, the React dev server): allowed by the demo account. */
const DEMO_EXAMPLE_ORIGINS = [
  'http://127.0.0.1:5174',
  'http://localhost:5174',
  'http://127.0.0.1:5173',
  'http://localhost:5173',
];

/** The server's configuration, parsed once at start-up. */
export interface Config {
  port: number;
  host: string;
  databasePath: string;
  /** FULL (default): an acknowledged write survives power loss. NORMAL: for benchmarks only. */
  sqliteSynchronous: 'FULL' | 'NORMAL';
  /** The database to open: SQLite at `databasePath`, or PostgreSQL (`DATABASE_URL` or the `PG*` variables). */
  database: DatabaseTarget;
  /** background (default): WAL checkpoints in a worker thread; inline: SQLite's, inside a commit. */
  sqliteCheckpoints: 'background' | 'inline';
  publicUrl: string | undefined;
  logLevel: z.infer<typeof EnvSchema>['LOG_LEVEL'];
  demoMode: boolean;
  /** Origins the demo account allows (demo mode only), e.g. example pages on other ports. */
  demoAllowedOrigins: string[];
  bodyLimitBytes: number;
  rateLimit: { burst: number; perSecond: number };
  token: { maxLifetimeSeconds: number; clockSkewSeconds: number };
  stream: {
    heartbeatMs: number;
    maxPerUser: number;
    slowClientMs: number;
    bufferBytes: number;
    retentionDays: number;
  };
  ai: {
    /** `rules`: the built-in offline assessor; `openai`: an OpenAI-compatible API; `off`: disabled. */
    provider: 'rules' | 'openai' | 'off';
    timeoutMs: number;
    baseUrl: string | undefined;
    apiKey: string | undefined;
    model: string;
  };
  mail: {
    smtpUrl: string | undefined;
    from: string;
    handoffUrlTemplate: string;
    timeoutMs: number;
    maxAttempts: number;
    /** How often due mail is looked for besides the wake-up after each escalation. */
    pollMs: number;
    /** How long a claimed row is left to the instance sending it before another may (it died). */
    leaseMs: number;
  };
  webhooks: {
    /** Deliveries may reach loopback, private and link-local addresses (default: only in demo mode). */
    allowPrivate: boolean;
    timeoutMs: number;
    maxAttempts: number;
    retryBaseMs: number;
    disableAfterFailures: number;
  };
  /** How often the escalation policy looks for due steps. */
  policyPollMs: number;
  apiReferenceCdn: string | undefined;
  /** PEM files of a certificate and its key: HTTPS with HTTP/2 (and HTTP/1.1 for old clients). */
  tls: { certPath: string; keyPath: string } | undefined;
  /**
   * `GET /metrics` (Prometheus): behind a bearer token on the API's port, or on a
   * port of its own (with the token too when both are set); undefined: off (404).
   */
  metrics: { token: string | undefined; port: number | undefined } | undefined;
  /** How instances on one PostgreSQL wake each other's streams (DESIGN §10); unused on SQLite. */
  bus: {
    /** This instance's name in notifications and in its listener's application_name. */
    instance: string;
    /** LISTEN/NOTIFY on (default); off: other instances' events arrive through the poll only. */
    listen: boolean;
    pollMs: number;
    heartbeatMs: number;
    heartbeatTimeoutMs: number;
  };
}

/** Host name, process id and a random tag: unique per process, readable in pg_stat_activity. */
function defaultInstanceId(): string {
  const host =
    hostname()
      .replace(/[^A-Za-z0-9.-]/g, '')
      .slice(0, 20) || 'host';
  return `${host}-${process.pid}-${randomBytes(2).toString('hex')}`;
}

/** A configuration problem, naming each variable at fault. */
export class ConfigError extends Error {
  constructor(readonly problems: string[]) {
    super(`Invalid configuration:\n${problems.map((problem) => `  - ${problem}`).join('\n')}`);
    this.name = 'ConfigError';
  }
}

/**
 * Parses the environment. Empty strings count as unset so `FOO=` in a shell
 * does not override a default with nothing.
 *
 * @throws ConfigError naming every variable with a wrong value.
 */
export function loadConfig(env: Record<string, string | undefined> = process.env): Config {
  const present = Object.fromEntries(
    Object.entries(env).filter(([, value]) => value !== undefined && value !== ''),
  );
  const parsed = EnvSchema.safeParse(present);
  if (!parsed.success) {
    throw new ConfigError(parsed.error.issues.map((issue) => `${issue.path.join('.')}: ${issue.message}`));
  }
  const e = parsed.data;
  if (e.AI_PROVIDER === 'openai' && !e.AI_BASE_URL) {
    throw new ConfigError(['AI_BASE_URL: required when AI_PROVIDER is openai']);
  }
  if (Boolean(e.TLS_CERT_PATH) !== Boolean(e.TLS_KEY_PATH)) {
    const missing = e.TLS_CERT_PATH ? 'TLS_KEY_PATH' : 'TLS_CERT_PATH';
    throw new ConfigError([
      `${missing}: required with ${missing === 'TLS_KEY_PATH' ? 'TLS_CERT_PATH' : 'TLS_KEY_PATH'}`,
    ]);
  }
  if (e.DATABASE_DIALECT === 'sqlite' && e.DATABASE_URL) {
    throw new ConfigError(['DATABASE_URL: set for PostgreSQL while DATABASE_DIALECT is sqlite']);
  }
  const database: DatabaseTarget =
    e.DATABASE_URL || e.DATABASE_DIALECT === 'postgres'
      ? {
          dialect: 'postgres',
          url: e.DATABASE_URL,
          poolSize: e.DATABASE_POOL_SIZE,
          readPoolSize: e.DATABASE_READ_POOL_SIZE,
        }
      : {
          dialect: 'sqlite',
          path: e.DATABASE_PATH,
          synchronous: e.SQLITE_SYNCHRONOUS,
          checkpoints: e.SQLITE_CHECKPOINTS,
        };
  if (e.METRICS_PORT !== undefined && e.METRICS_PORT !== 0 && e.METRICS_PORT === e.PORT) {
    throw new ConfigError(['METRICS_PORT: must differ from PORT']);
  }
  return {
    port: e.PORT,
    host: e.HOST,
    databasePath: e.DATABASE_PATH,
    sqliteSynchronous: e.SQLITE_SYNCHRONOUS,
    database,
    sqliteCheckpoints: e.SQLITE_CHECKPOINTS,
    publicUrl: e.PUBLIC_URL?.replace(/\/$/, ''),
    logLevel: e.LOG_LEVEL,
    demoMode: e.DEMO_MODE,
    demoAllowedOrigins: e.DEMO_ALLOWED_ORIGINS.length > 0 ? e.DEMO_ALLOWED_ORIGINS : DEMO_EXAMPLE_ORIGINS,
    bodyLimitBytes: e.BODY_LIMIT_BYTES,
    rateLimit: { burst: e.RATE_LIMIT_WRITE_BURST, perSecond: e.RATE_LIMIT_WRITES_PER_SECOND },
    token: {
      maxLifetimeSeconds: e.TOKEN_MAX_LIFETIME_SECONDS,
      clockSkewSeconds: e.CLOCK_SKEW_SECONDS,
    },
    stream: {
      heartbeatMs: e.SSE_HEARTBEAT_SECONDS * 1000,
      maxPerUser: e.STREAM_MAX_PER_USER,
      slowClientMs: e.STREAM_SLOW_CLIENT_SECONDS * 1000,
      bufferBytes: e.STREAM_BUFFER_BYTES,
      retentionDays: e.EVENT_RETENTION_DAYS,
    },
    ai: {
      provider: e.AI_PROVIDER ?? (e.AI_BASE_URL ? 'openai' : 'rules'),
      timeoutMs: e.ESCALATION_AI_ASSESSMENT_TIMEOUT_SECONDS * 1000,
      baseUrl: e.AI_BASE_URL,
      apiKey: e.AI_API_KEY,
      model: e.AI_MODEL,
    },
    mail: {
      smtpUrl: e.SMTP_URL,
      from: e.MAIL_FROM,
      handoffUrlTemplate: e.HANDOFF_URL_TEMPLATE,
      timeoutMs: e.SMTP_TIMEOUT_SECONDS * 1000,
      maxAttempts: e.MAIL_MAX_ATTEMPTS,
      pollMs: e.MAIL_POLL_SECONDS * 1000,
      leaseMs: e.MAIL_LEASE_SECONDS * 1000,
    },
    webhooks: {
      allowPrivate: e.WEBHOOK_ALLOW_PRIVATE ?? e.DEMO_MODE,
      timeoutMs: e.WEBHOOK_TIMEOUT_SECONDS * 1000,
      maxAttempts: e.WEBHOOK_MAX_ATTEMPTS,
      retryBaseMs: e.WEBHOOK_RETRY_BASE_SECONDS * 1000,
      disableAfterFailures: e.WEBHOOK_DISABLE_AFTER_FAILURES,
    },
    policyPollMs: e.POLICY_POLL_SECONDS * 1000,
    apiReferenceCdn: e.API_REFERENCE_CDN,
    tls:
      e.TLS_CERT_PATH && e.TLS_KEY_PATH ? { certPath: e.TLS_CERT_PATH, keyPath: e.TLS_KEY_PATH } : undefined,
    metrics:
      e.METRICS_TOKEN !== undefined || e.METRICS_PORT !== undefined
        ? { token: e.METRICS_TOKEN, port: e.METRICS_PORT }
        : undefined,
    bus: {
      instance: e.INSTANCE_ID ?? defaultInstanceId(),
      listen: e.BUS_LISTEN,
      pollMs: e.BUS_POLL_MS,
      heartbeatMs: e.BUS_HEARTBEAT_SECONDS * 1000,
      heartbeatTimeoutMs: e.BUS_HEARTBEAT_TIMEOUT_SECONDS * 1000,
    },
  };
}
