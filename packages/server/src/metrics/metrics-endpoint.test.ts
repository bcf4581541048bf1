import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it, onTestFinished } from 'vitest';
import { ConfigError } from '../config.js';
import { startServer } from '../serve.js';
import { createWorld, testConfig } from '../test/harness.js';
import { METRICS_TOKEN } from '../test/metrics-scrape.js';
import { assertCliBuilt, runCli, STACK } from '../test/run-cli.js';
import { silentLogger } from '../test/silent-logger.js';
import { bearerMatches } from './metrics-router.js';

async function world(env: Record<string, string>) {
  const created = await createWorld({ env });
  onTestFinished(() => created.close());
  return created;
}

async function server(env: Record<string, string>) {
  const dir = mkdtempSync(join(tmpdir(), 'rf-metrics-'));
  const running = await startServer(
    testConfig({ PORT: '0', DATABASE_PATH: join(dir, 'metrics.db'), ...env }),
    silentLogger(),
  );
  onTestFinished(async () => {
    await running.close();
    rmSync(dir, { recursive: true, force: true });
  });
  return running;
}

describe('GET /metrics: who may read it', () => {
  it('should answer 404 when neither METRICS_TOKEN nor METRICS_PORT is set', async () => {
    const w = await world({});
    const response = await w.call('GET', '/metrics', { token: METRICS_TOKEN });
    expect(response.status).toBe(404);
    expect(w.services.metrics.enabled).toBe(false);
  });

  it('should answer 401 in the error JSON without the token, or with a wrong one', async () => {
    const w = await world({ METRICS_TOKEN });
    const wrong: Record<string, string>[] = [
      {},
      { Authorization: `Bearer ${METRICS_TOKEN}x` },
      { Authorization: METRICS_TOKEN },
    ];
    for (const headers of wrong) {
      const response = await w.call('GET', '/metrics', { headers });
      expect(response.status).toBe(401);
      expect(response.headers.get('WWW-Authenticate')).toMatch(/^Bearer/);
      expect(await response.json()).toEqual({
        error: { code: 'unauthorized', message: 'A valid metrics token is required' },
      });
    }
  });

  it('should answer 200 with Prometheus text, default process metrics included, given the token', async () => {
    const w = await world({ METRICS_TOKEN });
    const response = await w.call('GET', '/metrics', { token: METRICS_TOKEN });
    expect(response.status).toBe(200);
    expect(response.headers.get('Content-Type')).toMatch(/^text\/plain; version=0\.0\.4/);
    const text = await response.text();
    expect(text).toMatch(/^# TYPE rf_stream_connections gauge$/m);
    expect(text).toMatch(/^process_cpu_seconds_total \d/m);
    expect(text).toMatch(/^nodejs_eventloop_lag_seconds \d/m);
  });

  it('should compare tokens whatever their length, and only as a bearer token', () => {
    expect(bearerMatches(`Bearer ${METRICS_TOKEN}`, METRICS_TOKEN)).toBe(true);
    expect(bearerMatches(`bearer ${METRICS_TOKEN}`, METRICS_TOKEN)).toBe(true);
    expect(bearerMatches(`Bearer ${METRICS_TOKEN.slice(0, -1)}`, METRICS_TOKEN)).toBe(false);
    expect(bearerMatches(`Basic ${METRICS_TOKEN}`, METRICS_TOKEN)).toBe(false);
    expect(bearerMatches(undefined, METRICS_TOKEN)).toBe(false);
  });

  it('should serve /metrics only on METRICS_PORT, open there, when no token is set', async () => {
    const running = await server({ METRICS_PORT: '0' });
    expect(running.metricsUrl).toMatch(/^http:\/\/127\.0\.0\.1:\d+$/);
    expect(running.metricsUrl).not.toBe(running.url);
    expect((await fetch(`${running.url}/metrics`)).status).toBe(404);
    const scraped = await fetch(`${running.metricsUrl}/metrics`);
    expect(scraped.status).toBe(200);
    expect(await scraped.text()).toMatch(/^rf_stream_connections 0$/m);
    // Nothing else of the API is reachable through the metrics port.
    const other = await fetch(`${running.metricsUrl}/healthz`);
    expect(other.status).toBe(404);
    expect(await other.json()).toEqual({ error: { code: 'not_found', message: 'No such route' } });
  });

  it('should still ask for the token on METRICS_PORT when both are set', async () => {
    const running = await server({ METRICS_PORT: '0', METRICS_TOKEN });
    expect((await fetch(`${running.metricsUrl}/metrics`)).status).toBe(401);
    const scraped = await fetch(`${running.metricsUrl}/metrics`, {
      headers: { Authorization: `Bearer ${METRICS_TOKEN}` },
    });
    expect(scraped.status).toBe(200);
    expect((await fetch(`${running.url}/metrics`)).status).toBe(404);
  });
});

describe('metrics configuration', () => {
  it('should refuse a short or spaced token, a bad port and the API port, naming the variable', () => {
    const cases: [Record<string, string>, RegExp][] = [
      [{ METRICS_TOKEN: 'short' }, /METRICS_TOKEN: at least 16 printable characters/],
      [{ METRICS_TOKEN: 'sixteen chars with spaces' }, /METRICS_TOKEN: /],
      [{ METRICS_PORT: '70000' }, /METRICS_PORT: /],
      [{ METRICS_PORT: 'nine' }, /METRICS_PORT: /],
      [{ PORT: '9100', METRICS_PORT: '9100' }, /METRICS_PORT: must differ from PORT/],
    ];
    for (const [env, message] of cases) {
      expect(() => testConfig(env)).toThrow(ConfigError);
      expect(() => testConfig(env)).toThrow(message);
    }
  });

  it('should stop `serve` with one line naming METRICS_TOKEN, without a stack trace', async () => {
    assertCliBuilt();
    const dir = mkdtempSync(join(tmpdir(), 'rf-metrics-cli-'));
    onTestFinished(() => rmSync(dir, { recursive: true, force: true }));
    const result = await runCli({ DATABASE_PATH: join(dir, 'cli.db') }, ['serve'], {
      PORT: '0',
      METRICS_TOKEN: 'short',
    });
    expect(result.code).toBe(1);
    expect(result.stderr).toMatch(/METRICS_TOKEN: at least 16 printable characters/);
    expect(result.stderr).not.toMatch(STACK);
  });
});
