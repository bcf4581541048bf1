import { readFileSync } from 'node:fs';
import { parser } from '@prometheus-io/lezer-promql';
import { describe, expect, it } from 'vitest';
import { parse as parseYaml } from 'yaml';
import { mailWorld, testSmtpSink } from '../test/mail-world.js';
import { METRICS_TOKEN, scrape } from '../test/metrics-scrape.js';
import { LISTENER_SERIES } from './prometheus-metrics.js';

const docs = new URL('../../../../docs/monitoring/', import.meta.url);
/** Series Prometheus itself makes for every target: an alert may name them, a server never exports them. */
const PROMETHEUS_OWN = new Set(['up']);

/** The metric names a PromQL expression selects; throws on an expression that does not parse. */
function seriesIn(expr: string): string[] {
  // Grafana's variables are not PromQL: give them a value of the right kind first.
  const promql = expr.replaceAll('$__rate_interval', '5m').replace(/\$\w+/g, 'x');
  const names: string[] = [];
  parser.parse(promql).iterate({
    enter(node) {
      if (node.type.isError) throw new Error(`not PromQL at ${node.from}: ${promql}`);
      if (node.name === 'Identifier' && node.node.parent?.name === 'VectorSelector') {
        names.push(promql.slice(node.from, node.to));
      }
    },
  });
  return names;
}

/** Every sample name a server with mail, streams and requests exports. */
async function exportedNames(): Promise<Set<string>> {
  const sink = await testSmtpSink();
  const world = await mailWorld(sink.url, { env: { METRICS_TOKEN } });
  const { samples, families } = await scrape(world);
  const names = new Set(samples.map((sample) => sample.name));
  for (const [name, type] of families) {
    names.add(name);
    if (type === 'histogram') for (const suffix of ['_bucket', '_sum', '_count']) names.add(name + suffix);
  }
  // Exported only with a PostgreSQL LISTEN connection; cluster/listener-loss.test.ts scrapes them
  // from three instances and sees them move.
  for (const name of LISTENER_SERIES) names.add(name);
  return names;
}

interface Panel {
  title: string;
  targets?: { expr: string }[];
  panels?: Panel[];
}

describe('monitoring docs', () => {
  it('should only name series the server exports in the Grafana dashboard', async () => {
    const dashboard = JSON.parse(readFileSync(new URL('grafana-dashboard.json', docs), 'utf8')) as {
      panels: Panel[];
      templating: { list: { definition?: string }[] };
    };
    const panels = dashboard.panels.flatMap((panel) => [panel, ...(panel.panels ?? [])]);
    expect(panels.length).toBeGreaterThanOrEqual(6);
    const exprs = panels.flatMap((panel) => {
      expect(panel.targets?.length, panel.title).toBeGreaterThan(0);
      return panel.targets!.map((target) => target.expr);
    });
    const named = new Set(exprs.flatMap(seriesIn));
    for (const variable of dashboard.templating.list) {
      const selector = /label_values\((\w+)/.exec(variable.definition ?? '')?.[1];
      if (selector) named.add(selector);
    }
    const exported = await exportedNames();
    expect([...named].filter((name) => !exported.has(name))).toEqual([]);
    // What the issue asks the dashboard to show.
    for (const series of [
      'rf_stream_connections',
      'rf_fanout_latency_seconds_bucket',
      'rf_stream_cuts_total',
      'rf_outbox_pending',
      'rf_assessments_total',
      'rf_http_request_duration_seconds_bucket',
    ]) {
      expect(named).toContain(series);
    }
  });

  it('should only name series the server exports in the alert rules', async () => {
    const rules = parseYaml(readFileSync(new URL('prometheus-alerts.yml', docs), 'utf8')) as {
      groups: { rules: { alert: string; expr: string }[] }[];
    };
    const alerts = rules.groups.flatMap((group) => group.rules);
    expect(alerts.length).toBeGreaterThanOrEqual(5);
    const named = new Set(alerts.flatMap((rule) => seriesIn(rule.expr)));
    const exported = await exportedNames();
    expect([...named].filter((name) => !exported.has(name) && !PROMETHEUS_OWN.has(name))).toEqual([]);
  });
});
