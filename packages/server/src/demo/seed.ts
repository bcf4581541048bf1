import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { CreateHandoffRequestSchema } from '@resolutionflow/types';
import type { JWK } from 'jose';
import type { Logger } from 'pino';
import { createSigningKey } from '../auth/signing-keys.js';
import type { Config } from '../config.js';
import type { Database } from '../db/database.js';
import { createAccount, findAccount, updateSettings } from '../domain/accounts.js';
import { createHandoff } from '../domain/handoffs.js';
import { transition } from '../domain/transitions.js';
import { upsertUser } from '../domain/users.js';
import { DEMO_ACCOUNT_ID, DEMO_PERSONAS } from './personas.js';
import { demoScenarios } from './scenarios.js';

/** What the demo routes need: the account and the key that signs its tokens. */
export interface DemoContext {
  accountId: string;
  privateJwk: JWK;
}

const MINUTE = 60_000;

/** Past escalations, so the owner's metrics have something to show on first run. */
async function seedHistory(database: Database, now: number): Promise<void> {
  const alex = DEMO_PERSONAS.alex;
  const seniors = [DEMO_PERSONAS.sam, DEMO_PERSONAS.jordan];
  for (let day = 13; day >= 1; day--) {
    const perDay = 1 + ((day * 7) % 3);
    for (let n = 0; n < perDay; n++) {
      const createdAt = now - day * 24 * 60 * MINUTE + n * 97 * MINUTE;
      const input = CreateHandoffRequestSchema.parse({
        title: ['Mailbox over quota', 'Laptop BitLocker recovery', 'DNS failures on branch LAN'][
          (day + n) % 3
        ],
        problemSummary: 'Historical demo escalation.',
        priority: 'normal',
      });
      const { handoff } = await createHandoff(
        database,
        DEMO_ACCOUNT_ID,
        alex,
        input,
        { status: 'disabled' },
        createdAt,
      );
      if ((day + n) % 5 === 0) {
        // Some escalations were never picked up; the junior withdrew them later.
        const actor = { id: alex.id, name: alex.name, isAdmin: false };
        await transition(database, DEMO_ACCOUNT_ID, handoff.id, 'cancel', actor, createdAt + 45 * MINUTE);
        continue;
      }
      const senior = seniors[(day + n) % 2] ?? DEMO_PERSONAS.sam;
      const actor = { id: senior.id, name: senior.name, isAdmin: false };
      const claimedAt = createdAt + (2 + ((day * 3 + n) % 9)) * MINUTE;
      await transition(database, DEMO_ACCOUNT_ID, handoff.id, 'claim', actor, claimedAt);
      const startedAt = claimedAt + (30 + ((day * 17 + n * 11) % 90)) * 1000;
      await transition(database, DEMO_ACCOUNT_ID, handoff.id, 'start', actor, startedAt);
      await transition(database, DEMO_ACCOUNT_ID, handoff.id, 'resolve', actor, startedAt + 25 * MINUTE);
    }
  }
}

/**
 * Seeds the demo account on first run (key pair, personas, realistic
 * escalations, some history) and loads its signing key on later runs. The
 * private key is kept in a file beside the database: demo mode only.
 */
export async function seedDemo(
  database: Database,
  config: Config,
  now: number,
  logger: Logger,
): Promise<DemoContext> {
  const keyFile =
    config.databasePath === ':memory:'
      ? undefined
      : join(dirname(config.databasePath), 'demo-signing-key.json');
  const existing = await findAccount(database, DEMO_ACCOUNT_ID);
  if (existing)
    await updateSettings(database, DEMO_ACCOUNT_ID, { allowedOrigins: config.demoAllowedOrigins }, now);
  if (existing && keyFile && existsSync(keyFile)) {
    return { accountId: existing.id, privateJwk: JSON.parse(readFileSync(keyFile, 'utf8')) as JWK };
  }
  if (!existing) {
    await createAccount(database, { id: DEMO_ACCOUNT_ID, name: 'Demo MSP' }, now);
    await updateSettings(
      database,
      DEMO_ACCOUNT_ID,
      { manualBaselineMinutes: 5, allowedOrigins: config.demoAllowedOrigins },
      now,
    );
    for (const persona of Object.values(DEMO_PERSONAS))
      await upsertUser(database, DEMO_ACCOUNT_ID, persona, now);
    await seedHistory(database, now);
    const alex = DEMO_PERSONAS.alex;
    for (const [index, scenario] of demoScenarios(now).entries()) {
      const input = CreateHandoffRequestSchema.parse(scenario);
      await createHandoff(
        database,
        DEMO_ACCOUNT_ID,
        alex,
        input,
        { status: 'pending' },
        now - (40 - index * 12) * MINUTE,
      );
    }
    logger.info({ account: DEMO_ACCOUNT_ID }, 'seeded the demo account');
  }
  const key = await createSigningKey(database, DEMO_ACCOUNT_ID, now);
  if (keyFile) {
    // On PostgreSQL nothing else creates the folder DATABASE_PATH names.
    mkdirSync(dirname(keyFile), { recursive: true });
    writeFileSync(keyFile, JSON.stringify(key.privateJwk), { mode: 0o600 });
  }
  return { accountId: DEMO_ACCOUNT_ID, privateJwk: key.privateJwk };
}
