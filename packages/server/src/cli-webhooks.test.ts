import { afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import type { Webhook, WebhookWithSecret } from '@resolutionflow/types';
import { tempDatabase, type TempDatabase } from './test/child-server.js';
import { assertCliBuilt, runCli } from './test/run-cli.js';

let database: TempDatabase;
beforeAll(assertCliBuilt);
beforeEach(async () => {
  database = await tempDatabase('rf-cli-hooks-');
});
afterEach(() => database.remove());

const cli = (args: string[], env: Record<string, string> = {}) => runCli(database.env, args, env);

describe('resolutionflow-server webhooks', () => {
  // Eleven CLI processes, each starting Node and opening the database: on a busy machine that is more than the default 30 s.
  it('should create (secret once), list (no secret), rotate and delete, and refuse a private target', async () => {
    const account = (
      JSON.parse((await cli(['accounts', 'create', '--name', 'Northwind'])).stdout) as { id: string }
    ).id;

    const created = await cli([
      'webhooks',
      'create',
      '--account',
      account,
      '--url',
      'https://psa-bridge.example.com/hooks',
      '--event',
      'handoff.claimed',
      '--event',
      'handoff.resolved',
      '--description',
      'ConnectWise bridge',
    ]);
    expect(created.code, created.stderr).toBe(0);
    expect(created.stderr).toMatch(/not shown again/);
    const hook = JSON.parse(created.stdout) as WebhookWithSecret;
    expect(hook).toMatchObject({
      kind: 'standard',
      events: ['handoff.claimed', 'handoff.resolved'],
      description: 'ConnectWise bridge',
      secret: expect.stringMatching(/^whsec_/),
    });

    const listed = await cli(['webhooks', 'list', '--account', account]);
    expect(listed.code, listed.stderr).toBe(0);
    expect((JSON.parse(listed.stdout) as Webhook[]).map((item) => item.id)).toEqual([hook.id]);
    expect(listed.stdout).not.toContain(hook.secret!);

    const rotated = await cli(['webhooks', 'rotate', hook.id, '--account', account]);
    expect(rotated.code, rotated.stderr).toBe(0);
    const after = JSON.parse(rotated.stdout) as WebhookWithSecret;
    expect(after.secret).toMatch(/^whsec_/);
    expect(after.secret).not.toBe(hook.secret);
    expect(after.previousSecretExpiresAt).not.toBeNull();

    const slack = await cli([
      'webhooks',
      'create',
      '--account',
      account,
      '--url',
      'https://hooks.slack.com/services/T/B/x',
      '--kind',
      'slack',
    ]);
    expect(slack.code, slack.stderr).toBe(0);
    const slackHook = JSON.parse(slack.stdout) as WebhookWithSecret;
    expect(slackHook).toMatchObject({ kind: 'slack', secret: null });
    const noSecret = await cli(['webhooks', 'rotate', slackHook.id, '--account', account]);
    expect(noSecret.code).toBe(1);
    expect(noSecret.stderr).toMatch(/not signed/);

    const refused = await cli(
      ['webhooks', 'create', '--account', account, '--url', 'http://169.254.169.254/latest'],
      {
        WEBHOOK_ALLOW_PRIVATE: 'false',
      },
    );
    expect(refused.code).toBe(1);
    expect(refused.stderr).toMatch(/169\.254\.169\.254.*WEBHOOK_ALLOW_PRIVATE/);
    const badEvent = await cli([
      'webhooks',
      'create',
      '--account',
      account,
      '--url',
      'https://a.example/h',
      '--event',
      'handoff.exploded',
    ]);
    expect(badEvent.code).toBe(1);
    expect(badEvent.stderr).toMatch(/^error: events\.0/);

    const deleted = await cli(['webhooks', 'delete', hook.id, '--account', account]);
    expect(deleted.code, deleted.stderr).toBe(0);
    expect((await cli(['webhooks', 'delete', hook.id, '--account', account])).stderr).toMatch(
      /Webhook not found/,
    );
    expect(
      (JSON.parse((await cli(['webhooks', 'list', '--account', account])).stdout) as Webhook[]).map(
        (w) => w.id,
      ),
    ).toEqual([slackHook.id]);
  }, 120_000);
});
