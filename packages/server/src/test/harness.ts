import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { AddressInfo } from 'node:net';
import { serve, type ServerType } from '@hono/node-server';
import { CreateHandoffRequestSchema, type Handoff, type Role, type UserRef } from '@resolutionflow/types';
import { sql } from 'drizzle-orm';
import type { JWK } from 'jose';
import type { Logger } from 'pino';
import { createApp, type AppExtensions } from '../app.js';
import type { AppDeps } from '../app-env.js';
import { createApiKey } from '../auth/api-keys.js';
import { createSigningKey } from '../auth/signing-keys.js';
import { InProcessBus } from '../bus.js';
import { ManualClock, systemClock, type Clock } from '../clock.js';
import { loadConfig, type Config } from '../config.js';
import type { Database } from '../db/database.js';
import { createAccount } from '../domain/accounts.js';
import { createHandoff } from '../domain/handoffs.js';
import { transition } from '../domain/transitions.js';
import { createServices, type Services } from '../services.js';
import type { Assessor } from '../assess/assessor.js';
import type { Mailer } from '../mail/mailer.js';
import type { OutboxPolicy } from '../mail/outbox-worker.js';
import type { WebhookPolicy } from '../webhooks/delivery-worker.js';
import { createEmbedToken } from '../token.js';
import { silentLogger } from './silent-logger.js';
import { openTestDatabase } from './test-database.js';

/** One tenant of a test: its id, its signing key and an API key. */
export interface TestAccount {
  id: string;
  privateJwk: JWK;
  kid: string;
  apiKey: string;
  /** Mints an embed token for a user of this account. */
  token(role: Role, user?: { id?: string; name?: string; email?: string }, ttl?: number): Promise<string>;
}

/** A test world: a real database of the run's dialect (SQLite file or PostgreSQL), the app, two accounts. */
export interface TestWorld {
  dir: string;
  database: Database;
  deps: AppDeps;
  services: Services;
  app: ReturnType<typeof createApp>;
  clock: Clock;
  config: Config;
  a: TestAccount;
  b: TestAccount;
  /** `app.request` with a bearer token and JSON body. */
  call(
    method: string,
    path: string,
    options?: { token?: string; body?: unknown; headers?: Record<string, string> },
  ): Promise<Response>;
  close(): Promise<void>;
}

/** Test configuration: defaults, with rate limits high enough not to interfere unless asked. */
export function testConfig(env: Record<string, string> = {}): Config {
  return loadConfig({
    LOG_LEVEL: 'silent',
    // Test receivers listen on loopback; the tests of the refusal turn this off.
    WEBHOOK_ALLOW_PRIVATE: 'true',
    // The policy looks once at start and then hourly: only the tests of it (which poll fast) see it fire,
    // so no other test's database changes behind its back when a run is slow.
    POLICY_POLL_SECONDS: '3600',
    RATE_LIMIT_WRITE_BURST: '100000',
    RATE_LIMIT_WRITES_PER_SECOND: '100000',
    ...env,
  });
}

export async function addAccount(
  database: Database,
  name: string,
  now: number,
  origins: string[] = [],
): Promise<TestAccount> {
  const account = await createAccount(database, { name, allowedOrigins: origins }, now);
  const key = await createSigningKey(database, account.id, now);
  const apiKey = (await createApiKey(database, account.id, `${name} backend`, now)).secret;
  return {
    id: account.id,
    privateJwk: key.privateJwk,
    kid: key.kid,
    apiKey,
    token: (role, user = {}, ttl = 600) =>
      createEmbedToken({
        privateKey: key.privateJwk,
        role,
        ttl,
        user: {
          id: user.id ?? `${role}-1`,
          name: user.name ?? `${role[0]?.toUpperCase()}${role.slice(1)} One`,
          ...(user.email ? { email: user.email } : {}),
        },
      }),
  };
}

/** Builds a world on a fresh database (a SQLite file under the OS temp dir, or a PostgreSQL database). */
export async function createWorld(
  options: {
    env?: Record<string, string>;
    clock?: Clock;
    /** Assessments are disabled unless an assessor is given. */
    assessor?: Assessor;
    /** E-mail is off unless a mailer is given. */
    mailer?: Mailer;
    outboxPolicy?: OutboxPolicy;
    /** Webhook retry and address settings (tests: fast retries). */
    webhookPolicy?: Partial<WebhookPolicy>;
    /** How often the escalation policy looks for due steps (default: the configuration's 5 s). */
    policyPollMs?: number;
    /** Silent unless given (tests that check what is logged pass their own). */
    logger?: Logger;
    extend?: (deps: AppDeps) => Partial<AppDeps>;
    extensions?: (deps: AppDeps) => AppExtensions;
  } = {},
): Promise<TestWorld> {
  const dir = mkdtempSync(join(tmpdir(), 'rf-test-'));
  const opened = await openTestDatabase(dir);
  const config = testConfig({ ...opened.env, ...options.env });
  const { database } = opened;
  const clock = options.clock ?? systemClock;
  const services = createServices(
    { database, bus: new InProcessBus(), clock, config, logger: options.logger ?? silentLogger() },
    {
      assessor: options.assessor ?? null,
      mailer: options.mailer ?? null,
      publicUrl: 'https://rf.example',
      ...(options.outboxPolicy ? { outboxPolicy: options.outboxPolicy } : {}),
      ...(options.webhookPolicy ? { webhookPolicy: options.webhookPolicy } : {}),
      ...(options.policyPollMs ? { policyPollMs: options.policyPollMs } : {}),
    },
  );
  await services.start();
  const base = services.deps;
  const deps: AppDeps = { ...base, ...options.extend?.(base) };
  const app = createApp(deps, options.extensions?.(deps));
  const now = clock.now();
  const a = await addAccount(database, 'Account A', now, ['https://portal-a.example']);
  const b = await addAccount(database, 'Account B', now, ['https://portal-b.example']);
  return {
    dir,
    database,
    deps,
    services,
    app,
    clock,
    config,
    a,
    b,
    call(method, path, { token, body, headers = {} } = {}) {
      const init: RequestInit = { method, headers: { ...headers } };
      if (token) (init.headers as Record<string, string>).Authorization = `Bearer ${token}`;
      if (body !== undefined) {
        (init.headers as Record<string, string>)['Content-Type'] = 'application/json';
        init.body = typeof body === 'string' ? body : JSON.stringify(body);
      }
      return Promise.resolve(app.request(path, init));
    },
    async close() {
      await services.stop();
      await opened.close();
      rmSync(dir, { recursive: true, force: true });
    },
  };
}

/** Serves an app (a world's, or any Hono app) on a real loopback port. */
export async function listen(
  app: Pick<TestWorld['app'], 'fetch'>,
): Promise<{ url: string; server: ServerType; close(): Promise<void> }> {
  const server: ServerType = await new Promise((resolve) => {
    const s = serve({ fetch: app.fetch, port: 0, hostname: '127.0.0.1' }, () => resolve(s));
  });
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}`,
    server,
    close: () =>
      new Promise((resolve) => {
        server.close(() => resolve());
        if ('closeAllConnections' in server) server.closeAllConnections();
      }),
  };
}

/** A minimal valid escalation body. */
export const escalation = (overrides: Record<string, unknown> = {}) => ({
  title: 'Outlook keeps prompting for a password',
  problemSummary: 'Since the migration Outlook prompts every few minutes.',
  priority: 'high',
  tried: [{ action: 'Cleared cached credentials', outcome: 'failed', at: '2026-11-20T14:05:00Z' }],
  context: { client: 'Northwind', device: 'NW-LT-0142', ticketUrl: 'https://psa.example.com/t/1' },
  ...overrides,
});

export { ManualClock };

/**
 * Puts a handoff straight into an account (no HTTP, no permission checks), created
 * by `createdBy` and, when given, claimed by `claimedBy`: the state a test needs.
 */
export async function seedHandoff(
  database: Database,
  accountId: string,
  options: { createdBy?: UserRef; claimedBy?: UserRef; body?: Record<string, unknown>; now?: number } = {},
): Promise<Handoff> {
  const now = options.now ?? Date.now();
  const createdBy = options.createdBy ?? { id: 'seed-tech', name: 'Seed Tech' };
  const input = CreateHandoffRequestSchema.parse(escalation(options.body));
  const { handoff: created } = await createHandoff(
    database,
    accountId,
    createdBy,
    input,
    { status: 'disabled' },
    now,
  );
  if (!options.claimedBy) return created;
  const claimer = { ...options.claimedBy, isAdmin: false };
  return (await transition(database, accountId, created.id, 'claim', claimer, now)).handoff;
}

/** Row counts of the tables a rejected request must leave alone. */
export async function rowCounts(
  database: Database,
): Promise<{ handoffs: number; events: number; users: number }> {
  const { handoffs, events, users } = database.tables;
  const count = async (table: typeof handoffs | typeof events | typeof users) =>
    (await database.db.select({ n: sql<number>`count(*)` }).from(table))[0]!.n;
  return {
    handoffs: Number(await count(handoffs)),
    events: Number(await count(events)),
    users: Number(await count(users)),
  };
}
