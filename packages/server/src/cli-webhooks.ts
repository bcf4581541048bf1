import type { Command } from 'commander';
import { Option } from 'commander';
import { CreateWebhookRequestSchema, WEBHOOK_EVENT_TYPES, WEBHOOK_KINDS } from '@resolutionflow/types';
import type { Config } from './config.js';
import type { Database } from './db/database.js';
import { ApiError } from './errors.js';
import { refusedAddressOf } from './webhooks/address-guard.js';
import { createWebhook, deleteWebhook, listWebhooks, rotateSecret } from './webhooks/endpoints.js';

/** What the webhook commands borrow from the CLI: its database, account check and way to fail. */
export interface CliHelpers {
  config(): Config;
  withDatabase<T>(work: (database: Database) => Promise<T>): Promise<T>;
  requireAccount(database: Database, id: string): Promise<{ id: string }>;
  fail(message: string): never;
}

const print = (value: unknown) => process.stdout.write(`${JSON.stringify(value, null, 2)}\n`);

/** Runs `work`, turning a not-found or a refusal into the CLI's one-line error. */
async function orFail<T>(helpers: CliHelpers, id: string, work: () => Promise<T>): Promise<T> {
  // Not an id at all (PostgreSQL refuses a NUL byte outright): the same answer as an unknown one.
  if (!/^[A-Za-z0-9_]{1,64}$/.test(id)) helpers.fail('Webhook not found');
  try {
    return await work();
  } catch (error) {
    if (error instanceof ApiError) helpers.fail(error.message);
    throw error;
  }
}

/** `webhooks create|list|rotate|delete`: the same operations as `/v1/webhooks`, for operators. */
export function addWebhookCommands(program: Command, helpers: CliHelpers): void {
  const webhooks = program
    .command('webhooks')
    .description('Manage outbound webhooks (Standard Webhooks, Slack, Teams)');
  webhooks
    .command('create')
    .description('Add an endpoint; prints its signing secret ONCE')
    .requiredOption('--account <id>', 'the account whose events it receives')
    .requiredOption('--url <url>', 'where deliveries are POSTed (https://…)')
    .option(
      '--event <type>',
      `an event type to send (repeatable; default: all). One of ${WEBHOOK_EVENT_TYPES.join(', ')}`,
      (value: string, previous: string[] = []) => [...previous, value],
    )
    .addOption(new Option('--kind <kind>', 'the message format').choices(WEBHOOK_KINDS).default('standard'))
    .option('--description <text>', 'what it is for, e.g. "ConnectWise bridge"')
    .action(
      async (options: {
        account: string;
        url: string;
        event?: string[];
        kind: string;
        description?: string;
      }) => {
        const parsed = CreateWebhookRequestSchema.safeParse({
          url: options.url,
          kind: options.kind,
          ...(options.event ? { events: options.event } : {}),
          ...(options.description ? { description: options.description } : {}),
        });
        if (!parsed.success)
          helpers.fail(
            parsed.error.issues.map((issue) => `${issue.path.join('.')}: ${issue.message}`).join('; '),
          );
        const refused = await refusedAddressOf(new URL(parsed.data.url), {
          allowPrivate: helpers.config().webhooks.allowPrivate,
        });
        if (refused)
          helpers.fail(
            `${options.url} reaches ${refused}, a private address (set WEBHOOK_ALLOW_PRIVATE=true to allow it)`,
          );
        const created = await helpers.withDatabase(async (database) => {
          const account = await helpers.requireAccount(database, options.account);
          return createWebhook(database, account.id, parsed.data, Date.now());
        });
        if (created.secret)
          process.stderr.write(
            'Store the secret where the receiver verifies signatures; it is not shown again:\n',
          );
        print(created);
      },
    );
  webhooks
    .command('list')
    .description("List an account's endpoints (never their secrets)")
    .requiredOption('--account <id>', 'the account')
    .action(async (options: { account: string }) => {
      print(
        await helpers.withDatabase(async (database) => {
          const account = await helpers.requireAccount(database, options.account);
          return listWebhooks(database, account.id, Date.now());
        }),
      );
    });
  webhooks
    .command('rotate <id>')
    .description('Rotate the signing secret; prints the new one ONCE (the old one signs too for 24 h)')
    .requiredOption('--account <id>', 'the account that owns the endpoint')
    .action(async (id: string, options: { account: string }) => {
      const rotated = await helpers.withDatabase(async (database) => {
        const account = await helpers.requireAccount(database, options.account);
        return orFail(helpers, id, () => rotateSecret(database, account.id, id, Date.now()));
      });
      process.stderr.write('The old secret keeps signing for 24 hours. The new one, not shown again:\n');
      print(rotated);
    });
  webhooks
    .command('delete <id>')
    .description('Delete an endpoint and its delivery log')
    .requiredOption('--account <id>', 'the account that owns the endpoint')
    .action(async (id: string, options: { account: string }) => {
      await helpers.withDatabase(async (database) => {
        const account = await helpers.requireAccount(database, options.account);
        await orFail(helpers, id, () => deleteWebhook(database, account.id, id));
      });
      process.stdout.write(`deleted ${id}\n`);
    });
}
