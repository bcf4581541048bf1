import { existsSync, mkdtempSync, readFileSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import type { MeResponse } from '@resolutionflow/types';
import { decodeProtectedHeader, type JWK } from 'jose';
import { createApp } from './app.js';
import { InProcessBus } from './bus.js';
import { systemClock } from './clock.js';
import { eq } from 'drizzle-orm';
import { openDatabase } from './db/open-database.js';
import { tempDatabase, type TempDatabase } from './test/child-server.js';
import { testConfig } from './test/harness.js';
import { assertCliBuilt, runCli, STACK } from './test/run-cli.js';
import { silentLogger } from './test/silent-logger.js';

let dir: string;
let database: TempDatabase;
beforeAll(assertCliBuilt);
beforeEach(async () => {
  dir = mkdtempSync(join(tmpdir(), 'rf-cli-'));
  database = await tempDatabase('rf-cli-db-');
});
afterEach(async () => {
  rmSync(dir, { recursive: true, force: true });
  await database.remove();
});

/** Runs the CLI to completion against this test's database. */
const cli = (args: string[], env: Record<string, string> = {}) => runCli(database.env, args, env);

async function createAccount(): Promise<string> {
  const created = await cli([
    'accounts',
    'create',
    '--name',
    'Northwind MSP',
    '--origin',
    'https://a.example',
  ]);
  expect(created.code, created.stderr).toBe(0);
  return (JSON.parse(created.stdout) as { id: string }).id;
}

/** Asks an app over the CLI's database who `token` is. */
async function me(token: string) {
  const opened = await openDatabase(database.target);
  try {
    const deps = {
      database: opened,
      bus: new InProcessBus(),
      clock: systemClock,
      config: testConfig(database.env),
      logger: silentLogger(),
    };
    const response = await createApp(deps).request('/v1/me', {
      headers: { Authorization: `Bearer ${token}` },
    });
    return { status: response.status, body: (await response.json()) as MeResponse };
  } finally {
    await opened.close();
  }
}

describe('resolutionflow-server CLI', () => {
  it('should list its commands in --help', async () => {
    const help = await cli(['--help']);
    expect(help.code).toBe(0);
    for (const command of ['serve', 'migrate', 'accounts', 'keys', 'api-keys', 'token']) {
      expect(help.stdout).toMatch(new RegExp(`^\\s+${command}\\b`, 'm'));
    }
    const mint = await cli(['token', 'mint', '--help']);
    expect(mint.stdout).toMatch(/--role.*viewer.*technician.*engineer.*admin/s);
  });

  it('should migrate, and migrate again as a no-op', async () => {
    for (let run = 0; run < 2; run++) {
      const migrated = await cli(['migrate']);
      expect(migrated, migrated.stderr).toMatchObject({ code: 0, stdout: 'database is up to date\n' });
    }
    if (database.target.dialect === 'sqlite') expect(existsSync(database.target.path)).toBe(true);
  });

  it('should create an account, a key, an API key and a token the app accepts', async () => {
    const created = await cli([
      'accounts',
      'create',
      '--name',
      'X',
      '--origin',
      'https://a.example',
      '--origin',
      'http://localhost:5173',
    ]);
    expect(created.code, created.stderr).toBe(0);
    const account = JSON.parse(created.stdout) as { id: string; name: string; allowedOrigins: string[] };
    expect(account).toEqual({
      id: expect.stringMatching(/^[0-9a-f-]{36}$/),
      name: 'X',
      allowedOrigins: ['https://a.example', 'http://localhost:5173'],
    });

    const keyFile = join(dir, 'private.jwk');
    const key = await cli(['keys', 'create', '--account', account.id, '--out', keyFile]);
    expect(key.code, key.stderr).toBe(0);
    const jwk = JSON.parse(readFileSync(keyFile, 'utf8')) as JWK;
    expect(jwk).toMatchObject({
      kty: 'EC',
      crv: 'P-256',
      alg: 'ES256',
      d: expect.any(String),
      kid: expect.any(String),
    });
    expect(statSync(keyFile).mode & 0o777).toBe(0o600);
    expect(key.stdout).toContain(jwk.kid);
    const opened = await openDatabase(database.target);
    const { signingKeys } = opened.tables;
    const [stored] = await opened.db
      .select({ jwk: signingKeys.publicJwk })
      .from(signingKeys)
      .where(eq(signingKeys.kid, jwk.kid!));
    await opened.close();
    expect(stored?.jwk).toMatchObject({ kty: 'EC', kid: jwk.kid });
    expect(stored?.jwk).not.toHaveProperty('d');

    const apiKey = await cli(['api-keys', 'create', '--account', account.id, '--name', 'PSA backend']);
    expect(apiKey.code, apiKey.stderr).toBe(0);
    expect(apiKey.stdout).toMatch(/^rf_sk_[A-Za-z0-9_-]{40,}\n$/);

    const minted = await cli([
      'token',
      'mint',
      '--key',
      keyFile,
      '--role',
      'engineer',
      '--user',
      'u1',
      '--name',
      'Uma',
    ]);
    expect(minted.code, minted.stderr).toBe(0);
    const token = minted.stdout.trim();
    expect(decodeProtectedHeader(token)).toMatchObject({ alg: 'ES256', kid: jwk.kid });

    const byToken = await me(token);
    expect(byToken.status).toBe(200);
    expect(byToken.body).toMatchObject({
      auth: 'embed_token',
      user: { id: 'u1', name: 'Uma', role: 'engineer' },
      account: { id: account.id, name: 'X' },
    });
    const byKey = await me(apiKey.stdout.trim());
    expect(byKey.body).toMatchObject({ auth: 'api_key', account: { id: account.id } });

    const revoked = await cli(['keys', 'revoke', jwk.kid!]);
    expect(revoked.code, revoked.stderr).toBe(0);
    expect((await me(token)).status).toBe(401);
  });

  it('should print the private key once on stdout when no --out is given', async () => {
    const id = await createAccount();
    const key = await cli(['keys', 'create', '--account', id]);
    expect(key.code).toBe(0);
    expect(JSON.parse(key.stdout)).toMatchObject({ kty: 'EC', d: expect.any(String) });
    expect(key.stderr).toMatch(/not shown again/);
  });

  it.each([
    [
      'an unknown account for keys',
      ['keys', 'create', '--account', '6f1c2d3e-0000-4000-8000-000000000000'],
      /no account with id/,
    ],
    [
      'an unknown account for api-keys',
      ['api-keys', 'create', '--account', 'nope', '--name', 'x'],
      /no account with id/,
    ],
    [
      'a bad origin',
      ['accounts', 'create', '--name', 'X', '--origin', 'javascript:alert(1)'],
      /not an origin/,
    ],
    ['a missing --name', ['accounts', 'create'], /required option.*--name/],
    [
      'a bad role',
      ['token', 'mint', '--key', 'k.json', '--role', 'god', '--user', 'u1'],
      /god.*Allowed choices/s,
    ],
    [
      'a missing key file',
      ['token', 'mint', '--key', 'missing.jwk', '--role', 'admin', '--user', 'u1'],
      /cannot read a JWK/,
    ],
    ['an unknown command', ['frobnicate'], /unknown command/],
    ['a wrong PORT', ['migrate'], /PORT/, { PORT: 'abc' }],
  ] as [string, string[], RegExp, Record<string, string>?][])(
    'should exit non-zero on %s with a clear message and no stack trace',
    async (_name, args, message, env) => {
      const result = await cli(
        args.map((arg) => (arg.endsWith('.jwk') ? join(dir, arg) : arg)),
        env,
      );
      expect(result.code).not.toBe(0);
      expect(result.stderr).toMatch(message);
      expect(result.stderr).not.toMatch(STACK);
      expect(result.stdout).toBe('');
    },
  );

  it('should refuse to mint a token living longer than an hour', async () => {
    const id = await createAccount();
    const keyFile = join(dir, 'k.jwk');
    await cli(['keys', 'create', '--account', id, '--out', keyFile]);
    const result = await cli([
      'token',
      'mint',
      '--key',
      keyFile,
      '--role',
      'admin',
      '--user',
      'u1',
      '--ttl',
      '7200',
    ]);
    expect(result.code).not.toBe(0);
    expect(result.stderr).toMatch(/ttl/);
    expect(result.stderr).not.toMatch(STACK);
    expect(result.stdout).toBe('');
  });
});
