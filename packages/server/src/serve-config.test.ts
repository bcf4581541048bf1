import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { assertCliBuilt, runCli, STACK } from './test/run-cli.js';

let dir: string;
let notPem: string;
beforeAll(() => {
  assertCliBuilt();
  dir = mkdtempSync(join(tmpdir(), 'rf-serve-'));
  notPem = join(dir, 'not-a-certificate.txt');
  writeFileSync(notPem, 'hello\n');
});
afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe('resolutionflow-server serve with TLS', () => {
  it.each([
    ['a certificate without its key', () => ({ TLS_CERT_PATH: notPem }), /^ {2}- TLS_KEY_PATH: required/m],
    [
      'a certificate file that is not there',
      () => ({ TLS_CERT_PATH: join(dir, 'missing.pem'), TLS_KEY_PATH: join(dir, 'missing.key') }),
      /^ {2}- TLS_CERT_PATH: cannot read .*missing\.pem \(ENOENT\)/m,
    ],
    [
      'files that are not PEM',
      () => ({ TLS_CERT_PATH: notPem, TLS_KEY_PATH: notPem }),
      /^ {2}- TLS_CERT_PATH, TLS_KEY_PATH: not a certificate and its key/m,
    ],
  ])('should refuse to start with %s, in one line naming the variable', async (_case, env, message) => {
    const result = await runCli({ DATABASE_PATH: join(dir, 'serve.db') }, ['serve', '--port', '0'], env());
    expect(result.code).toBe(1);
    expect(result.stderr).toMatch(message);
    expect(result.stderr).not.toMatch(STACK);
  });
});

describe('resolutionflow-server with a database it cannot use', () => {
  it.each([
    [
      'serve',
      'an unreachable PostgreSQL',
      { DATABASE_URL: 'postgres://nobody:secret@127.0.0.1:1/none' },
      /^error: Cannot open PostgreSQL at DATABASE_URL \(postgres:\/\/nobody:\*\*\*@127\.0\.0\.1:1\/none\): .+$/m,
    ],
    [
      'migrate',
      'an unreachable PostgreSQL',
      { DATABASE_URL: 'postgres://nobody@127.0.0.1:1/none' },
      /^error: Cannot open PostgreSQL at DATABASE_URL/m,
    ],
    [
      'serve',
      'a URL that is not PostgreSQL',
      { DATABASE_URL: 'mysql://db/rf' },
      /^ {2}- DATABASE_URL: a postgres:\/\/ URL/m,
    ],
    [
      'accounts list',
      'a URL with SQLite chosen',
      { DATABASE_URL: 'postgres://db/rf', DATABASE_DIALECT: 'sqlite' },
      /^ {2}- DATABASE_URL: set for PostgreSQL while DATABASE_DIALECT is sqlite/m,
    ],
  ])(
    'should stop `%s` on %s in one line naming the variable, no password, no stack',
    async (command, _case, env, message) => {
      const result = await runCli({ DATABASE_PATH: join(dir, 'db.db') }, [...command.split(' ')], env);
      expect(result.code).toBe(1);
      expect(result.stderr).toMatch(message);
      expect(result.stderr).not.toContain('secret');
      expect(result.stderr).not.toMatch(STACK);
    },
  );
});
