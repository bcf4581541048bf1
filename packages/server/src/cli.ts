#!/usr/bin/env node
import { readFileSync, writeFileSync } from 'node:fs';
import { Command, InvalidArgumentError, Option } from 'commander';
import { OriginSchema, ROLES, type Role } from '@resolutionflow/types';
import { createApiKey } from './auth/api-keys.js';
import { createSigningKey, revokeSigningKey } from './auth/signing-keys.js';
import { ConfigError, loadConfig, type Config } from './config.js';
import type { Database } from './db/database.js';
import { DatabaseUnavailableError, migrateDatabase, openDatabase } from './db/open-database.js';
import { addWebhookCommands } from './cli-webhooks.js';
import { createAccount, findAccount, listAccounts } from './domain/accounts.js';
import { createLogger } from './logger.js';
import { closeOnSignals, startServer } from './serve.js';
import { createEmbedToken } from './token.js';

function fail(message: string): never {
  process.stderr.write(`error: ${message}\n`);
  process.exit(1);
}

function config(overrides: Record<string, string | undefined> = {}): Config {
  try {
    return loadConfig({ ...process.env, ...overrides });
  } catch (error) {
    if (error instanceof ConfigError) fail(error.message);
    throw error;
  }
}

/** Opens the configured database, or ends the command with one line saying why it cannot. */
async function open(): Promise<Database> {
  try {
    return await openDatabase(config().database);
  } catch (error) {
    if (error instanceof DatabaseUnavailableError) fail(error.message);
    throw error;
  }
}

async function withDatabase<T>(work: (database: Database) => Promise<T>): Promise<T> {
  const database = await open();
  try {
    return await work(database);
  } finally {
    await database.close();
  }
}

async function requireAccount(database: Database, id: string) {
  const account = await findAccount(database, id);
  if (!account) fail(`no account with id ${id} (list them with: resolutionflow-server accounts list)`);
  return account;
}

const origin = (value: string, previous: string[] = []) => {
  const parsed = OriginSchema.safeParse(value);
  if (!parsed.success)
    throw new InvalidArgumentError(`"${value}" is not an origin like https://portal.example.com`);
  return [...previous, parsed.data];
};

const program = new Command()
  .name('resolutionflow-server')
  .description(
    'Run the ResolutionFlow escalation backend and manage its accounts and keys.\nConfiguration comes from environment variables (see docs/operations.md): DATABASE_PATH picks the SQLite file, DATABASE_URL a PostgreSQL database.',
  )
  .showHelpAfterError();

program
  .command('serve')
  .description('Migrate the database and serve the API')
  .option('--demo', 'demo mode: seed a demo account and serve /demo/token')
  .option('--port <port>', 'port to listen on (overrides PORT)')
  .action(async (options: { demo?: boolean; port?: string }) => {
    const cfg = config({
      ...(options.demo ? { DEMO_MODE: 'true' } : {}),
      ...(options.port ? { PORT: options.port } : {}),
    });
    const logger = createLogger(cfg.logLevel);
    const server = await startServer(cfg, logger).catch((error: unknown) => {
      if (error instanceof ConfigError || error instanceof DatabaseUnavailableError) fail(error.message);
      if ((error as NodeJS.ErrnoException).code === 'EADDRINUSE') {
        fail(`port ${cfg.port} on ${cfg.host} is in use: stop what holds it, or set PORT (or --port)`);
      }
      throw error;
    });
    closeOnSignals(server, logger);
    if (cfg.demoMode)
      process.stderr.write(
        `\n  ResolutionFlow demo running at ${server.url}\n  API reference: ${server.url}/docs\n\n`,
      );
  });

program
  .command('migrate')
  .description('Apply pending database migrations (a no-op when current)')
  .action(async () => {
    await migrateDatabase(config().database).catch((error: unknown) => {
      if (error instanceof DatabaseUnavailableError) fail(error.message);
      throw error;
    });
    process.stdout.write('database is up to date\n');
  });

const accounts = program.command('accounts').description('Manage accounts (one per MSP)');
accounts
  .command('create')
  .description('Create an account')
  .requiredOption('--name <name>', "the MSP's name")
  .option('--origin <origin>', 'a browser origin allowed to embed the widget (repeatable)', origin, [])
  .action(async (options: { name: string; origin: string[] }) => {
    const account = await withDatabase((database) =>
      createAccount(database, { name: options.name, allowedOrigins: options.origin }, Date.now()),
    );
    process.stdout.write(
      `${JSON.stringify({ id: account.id, name: account.name, allowedOrigins: options.origin }, null, 2)}\n`,
    );
  });
accounts
  .command('list')
  .description('List accounts')
  .action(async () => {
    const rows = await withDatabase((database) => listAccounts(database));
    process.stdout.write(
      `${JSON.stringify(
        rows.map(({ id, name }) => ({ id, name })),
        null,
        2,
      )}\n`,
    );
  });

const keys = program.command('keys').description('Manage embed-token signing keys');
keys
  .command('create')
  .description('Create an ES256 key pair; prints the private key ONCE and stores only the public key')
  .requiredOption('--account <id>', 'the account that will own the key')
  .option('--out <file>', 'write the private JWK to this file (mode 600) instead of stdout')
  .action(async (options: { account: string; out?: string }) => {
    await withDatabase(async (database) => {
      const account = await requireAccount(database, options.account);
      const key = await createSigningKey(database, account.id, Date.now());
      const privateJwk = JSON.stringify(key.privateJwk);
      if (options.out) {
        writeFileSync(options.out, privateJwk, { mode: 0o600 });
        process.stdout.write(`kid ${key.kid}: private key written to ${options.out}\n`);
      } else {
        process.stderr.write(
          `kid ${key.kid}. Store this private key in your host backend's secrets; it is not shown again:\n`,
        );
        process.stdout.write(`${privateJwk}\n`);
      }
    });
  });
keys
  .command('revoke <kid>')
  .description('Revoke a key: tokens it signed stop working')
  .action(async (kid: string) => {
    const revoked = await withDatabase((database) => revokeSigningKey(database, kid, Date.now()));
    if (!revoked) fail(`no live key with kid ${kid}`);
    process.stdout.write(`revoked ${kid}\n`);
  });

program
  .command('api-keys')
  .description('Manage API keys for host backends')
  .command('create')
  .description('Create an API key; prints the secret ONCE and stores only its hash')
  .requiredOption('--account <id>', 'the account the key acts for')
  .requiredOption('--name <name>', 'what uses this key, e.g. "PSA backend"')
  .action(async (options: { account: string; name: string }) => {
    const key = await withDatabase(async (database) => {
      const account = await requireAccount(database, options.account);
      return createApiKey(database, account.id, options.name, Date.now());
    });
    process.stderr.write('Store this key in your host backend; it is not shown again:\n');
    process.stdout.write(`${key.secret}\n`);
  });

program
  .command('token')
  .description('Developer conveniences for embed tokens')
  .command('mint')
  .description('Mint an embed token with a private key file (what a host backend does)')
  .requiredOption('--key <file>', 'the private JWK file from `keys create --out`')
  .addOption(new Option('--role <role>', 'the role the token carries').choices(ROLES).makeOptionMandatory())
  .requiredOption('--user <id>', 'the user id (sub)')
  .option('--name <name>', 'display name (default: the user id)')
  .option('--email <email>', 'e-mail address')
  .option('--ttl <seconds>', 'lifetime in seconds, at most 3600', '600')
  .action(
    async (options: {
      key: string;
      role: Role;
      user: string;
      name?: string;
      email?: string;
      ttl: string;
    }) => {
      let privateKey;
      try {
        privateKey = JSON.parse(readFileSync(options.key, 'utf8'));
      } catch {
        fail(`cannot read a JWK from ${options.key}`);
      }
      try {
        const token = await createEmbedToken({
          privateKey,
          role: options.role,
          user: {
            id: options.user,
            name: options.name ?? options.user,
            ...(options.email ? { email: options.email } : {}),
          },
          ttl: Number(options.ttl),
        });
        process.stdout.write(`${token}\n`);
      } catch (error) {
        fail((error as Error).message);
      }
    },
  );

addWebhookCommands(program, { config: () => config(), withDatabase, requireAccount, fail });

await program.parseAsync();
