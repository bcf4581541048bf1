import type { Handoff } from '@resolutionflow/types';
import { describe, expect, it } from 'vitest';
import { escalation, listen } from '../test/harness.js';
import { mailWorld, testSmtpSink } from '../test/mail-world.js';
import { METRICS_TOKEN, parseExposition } from '../test/metrics-scrape.js';
import { SseClient } from '../test/sse-client.js';
import { UNMATCHED_ROUTE } from './request-metrics.js';

/** Label values that belong to small, fixed sets (prom-client's process metrics included). */
const SHAPE = /^[A-Za-z0-9_.+:/-]{0,48}$/;
const FREE_TEXT = 'Printer on fire at Northwind HQ';

describe('metrics labels', () => {
  it('should carry no id, e-mail or free text in any label, whatever the traffic', async () => {
    const sink = await testSmtpSink();
    const world = await mailWorld(sink.url, { env: { METRICS_TOKEN } });
    const server = await listen(world.app);
    const userId = 'u-7f3c9e2a-labelscan';
    const email = 'label.scan@msp.example';
    const token = await world.a.token('engineer', { id: userId, name: 'Label Scan', email });
    const stream = await SseClient.connect(`${server.url}/v1/stream`, { Authorization: `Bearer ${token}` });
    try {
      const created = await world.call('POST', '/v1/handoffs', {
        token,
        body: escalation({ title: FREE_TEXT }),
      });
      expect(created.status).toBe(201);
      const handoff = (await created.json()) as Handoff;
      await stream.until((c) => c.frames.some((frame) => frame.event === 'handoff.created'));
      // Ids in paths (found and not), an e-mail in a path and a query, a method nobody registered.
      const calls: [string, string][] = [
        ['GET', `/v1/handoffs/${handoff.id}`],
        ['POST', `/v1/handoffs/${handoff.id}/claim`],
        ['GET', `/v1/handoffs/${handoff.id}x`],
        ['PUT', `/v1/users/${userId}`],
        ['GET', `/v1/users/${encodeURIComponent(email)}`],
        ['GET', `/no/such/${handoff.id}?email=${encodeURIComponent(email)}`],
        ['PROPFIND', `/v1/handoffs/${handoff.id}`],
      ];
      for (const [method, path] of calls) {
        const body = method === 'PUT' ? { name: 'Label Scan', email, role: 'engineer' } : undefined;
        await world.call(method, path, { token, ...(body ? { body } : {}) });
      }
      await world.services.outbox!.idle();

      const text = await (await world.call('GET', '/metrics', { token: METRICS_TOKEN })).text();
      for (const secret of [handoff.id, world.a.id, userId, email, FREE_TEXT, 'Northwind', '@']) {
        expect(text).not.toContain(secret);
      }
      const routes = new Set([...world.app.routes.map((route) => route.path), UNMATCHED_ROUTE]);
      const { samples } = parseExposition(text);
      const seen = new Set<string>();
      for (const { name, labels } of samples) {
        for (const [label, value] of Object.entries(labels)) {
          expect(value, `${name}{${label}}`).toMatch(SHAPE);
          if (label === 'route') {
            expect(routes.has(value), `route ${value} is a registered template`).toBe(true);
            seen.add(value);
          }
        }
      }
      // The scan saw templates, not just the unmatched bucket.
      expect(seen).toContain('/v1/handoffs/:id');
      expect(seen).toContain('/v1/users/:id');
      expect(seen).toContain(UNMATCHED_ROUTE);
      const methods = samples.filter((sample) => sample.name === 'rf_http_request_duration_seconds_count');
      expect(methods.some((sample) => sample.labels.method === 'other')).toBe(true);
    } finally {
      stream.close();
      await server.close();
    }
  });
});
