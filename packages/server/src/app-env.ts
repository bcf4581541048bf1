import type { HttpBindings } from '@hono/node-server';
import type { Handoff } from '@resolutionflow/types';
import type { Logger } from 'pino';
import type { Principal } from './auth/permissions.js';
import type { SigningKeyResolver } from './auth/signing-keys.js';
import type { Bus } from './bus.js';
import type { Clock } from './clock.js';
import type { Config } from './config.js';
import type { Database } from './db/database.js';
import type { Metrics } from './metrics/metrics.js';
import type { AccountOrigins } from './domain/account-origins.js';
import type { CreateBatcher } from './domain/create-batcher.js';
import type { QueueCache } from './domain/queue-cache.js';
import type { StreamHub } from './stream/hub.js';
import type { AddressPolicy } from './webhooks/address-guard.js';

/** The parts `createApp` is built from; tests pass real, local ones. */
export interface AppDeps {
  database: Database;
  bus: Bus;
  clock: Clock;
  config: Config;
  logger: Logger;
  /** Runs AI assessments beside the request; without it, assessments are `disabled`. */
  assessments?: { start(accountId: string, handoff: Handoff): void };
  /** Open live streams; without it `/v1/stream` is unavailable (e.g. under `app.request`). */
  streams?: StreamHub;
  /** Woken after an escalation so queued e-mail goes out promptly. */
  notifier?: { wake(): void };
  /** Outbound webhooks: woken after a change so deliveries go out promptly; where they may go. */
  webhooks?: { wake(): void; addresses: AddressPolicy };
  /** Records request durations and serves `/metrics`; without it nothing is measured. */
  metrics?: Metrics;
}

/** What the app derives from its deps once and shares with every request. */
export interface RequestDeps extends AppDeps {
  signingKeys: SigningKeyResolver;
  origins: AccountOrigins;
  creates: CreateBatcher;
  queueCache: QueueCache;
}

/** Hono's environment type for this app. */
export interface AppEnv {
  /** Present under @hono/node-server; the stream writes to `outgoing` directly. */
  Bindings: Partial<HttpBindings>;
  Variables: {
    deps: RequestDeps;
    principal: Principal;
    requestId: string;
  };
}
