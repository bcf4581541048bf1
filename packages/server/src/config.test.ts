import { describe, expect, it } from 'vitest';
import { ConfigError, loadConfig } from './config.js';

/** The ConfigError `loadConfig(env)` throws; fails the test when it does not throw one. */
function configError(env: Record<string, string>): ConfigError {
  try {
    loadConfig(env);
  } catch (error) {
    expect(error).toBeInstanceOf(ConfigError);
    return error as ConfigError;
  }
  throw new Error(`loadConfig accepted ${JSON.stringify(env)}`);
}

describe('loadConfig', () => {
  it('should apply the documented defaults to an empty environment', () => {
    expect(loadConfig({})).toMatchObject({
      port: 8787,
      host: '127.0.0.1',
      databasePath: './data/resolutionflow.db',
      sqliteSynchronous: 'FULL',
      publicUrl: undefined,
      logLevel: 'info',
      demoMode: false,
      demoAllowedOrigins: [
        'http://127.0.0.1:5174',
        'http://localhost:5174',
        'http://127.0.0.1:5173',
        'http://localhost:5173',
      ],
      bodyLimitBytes: 64 * 1024,
      rateLimit: { burst: 60, perSecond: 5 },
      token: { maxLifetimeSeconds: 3600, clockSkewSeconds: 30 },
      stream: { heartbeatMs: 15_000, maxPerUser: 10, slowClientMs: 5000, retentionDays: 30 },
      ai: { provider: 'rules', timeoutMs: 5000, model: 'gpt-4o-mini' },
      mail: { smtpUrl: undefined, handoffUrlTemplate: '{publicUrl}/handoffs/{id}' },
    });
  });

  it('should parse given values, treat empty strings as unset and ignore unknown variables', () => {
    const config = loadConfig({
      PORT: '9000',
      HOST: '',
      DEMO_MODE: 'yes',
      DEMO_ALLOWED_ORIGINS: 'http://localhost:5173, https://portal.example',
      PUBLIC_URL: 'https://rf.example/',
      SSE_HEARTBEAT_SECONDS: '2.5',
      AI_BASE_URL: 'http://127.0.0.1:9999/v1',
      SOMETHING_ELSE: 'whatever',
    });
    expect(config).toMatchObject({
      port: 9000,
      host: '127.0.0.1',
      demoMode: true,
      demoAllowedOrigins: ['http://localhost:5173', 'https://portal.example'],
      publicUrl: 'https://rf.example',
      stream: { heartbeatMs: 2500 },
      ai: { provider: 'openai', baseUrl: 'http://127.0.0.1:9999/v1' },
    });
  });

  it.each([
    ['PORT', 'abc'],
    ['PORT', '70000'],
    ['LOG_LEVEL', 'loud'],
    ['DEMO_MODE', 'maybe'],
    ['DEMO_ALLOWED_ORIGINS', 'https://portal.example/path'],
    ['PUBLIC_URL', 'not a url'],
    ['BODY_LIMIT_BYTES', '10'],
    ['RATE_LIMIT_WRITE_BURST', '0'],
    ['RATE_LIMIT_WRITES_PER_SECOND', '-1'],
    ['TOKEN_MAX_LIFETIME_SECONDS', '7200'],
    ['CLOCK_SKEW_SECONDS', '3600'],
    ['SQLITE_SYNCHRONOUS', 'OFF'],
    ['AI_PROVIDER', 'skynet'],
    ['SSE_HEARTBEAT_SECONDS', '0'],
  ])('should throw a ConfigError naming %s when it is %j', (variable, value) => {
    const error = configError({ [variable]: value });
    expect(error.message).toContain(variable);
    expect(error.problems).toEqual([expect.stringMatching(new RegExp(`^${variable}(\\.\\d+)?: `))]);
  });

  it('should name every wrong variable at once', () => {
    const error = configError({ PORT: 'abc', LOG_LEVEL: 'loud', DEMO_MODE: 'maybe' });
    expect(error.problems.map((problem) => problem.split(':')[0]).sort()).toEqual([
      'DEMO_MODE',
      'LOG_LEVEL',
      'PORT',
    ]);
  });

  it('should require AI_BASE_URL when AI_PROVIDER is openai', () => {
    expect(configError({ AI_PROVIDER: 'openai' }).message).toContain('AI_BASE_URL');
  });

  it('should not echo a rejected value back, which may be a secret', () => {
    const error = configError({ SMTP_URL: 'hunter2-is-my-password' });
    expect(error.message).toContain('SMTP_URL');
    expect(error.message).not.toContain('hunter2');
  });
});
