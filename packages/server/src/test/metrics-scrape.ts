import { expect } from 'vitest';
import type { TestWorld } from './harness.js';

/** The metrics token test worlds are given (`METRICS_TOKEN`). */
export const METRICS_TOKEN = 'test-metrics-token-0123456789';

/** One sample line of the exposition: `name{labels} value`. */
export interface Sample {
  name: string;
  labels: Record<string, string>;
  value: number;
}

/** A parsed scrape: every sample, and the families its `# TYPE` lines declare. */
export interface Scrape {
  samples: Sample[];
  families: Map<string, string>;
}

const SAMPLE = /^([a-zA-Z_:][a-zA-Z0-9_:]*)(?:\{(.*)\})?\s+(\S+)(?:\s+-?\d+)?$/;
const LABEL = /([a-zA-Z_][a-zA-Z0-9_]*)="((?:[^"\\]|\\.)*)"/g;
const UNESCAPE: Record<string, string> = { '\\\\': '\\', '\\"': '"', '\\n': '\n' };

/**
 * Parses Prometheus's text format (0.0.4). Written here because the npm parser
 * tried first drops the labels of histograms whose `le` comes first, as
 * prom-client writes them.
 */
export function parseExposition(text: string): Scrape {
  const samples: Sample[] = [];
  const families = new Map<string, string>();
  for (const line of text.split('\n')) {
    const type = /^# TYPE (\S+) (\S+)$/.exec(line);
    if (type) families.set(type[1]!, type[2]!);
    if (line === '' || line.startsWith('#')) continue;
    const match = SAMPLE.exec(line);
    if (!match) throw new Error(`not a sample line: ${line}`);
    const labels: Record<string, string> = {};
    for (const [, name, raw] of (match[2] ?? '').matchAll(LABEL)) {
      labels[name!] = raw!.replace(/\\[\\"n]/g, (escape) => UNESCAPE[escape]!);
    }
    samples.push({ name: match[1]!, labels, value: Number(match[3]) });
  }
  return { samples, families };
}

/** A world's `/metrics`, scraped with the token and parsed. */
export async function scrape(world: TestWorld): Promise<Scrape> {
  const response = await world.call('GET', '/metrics', { token: METRICS_TOKEN });
  expect(response.status).toBe(200);
  return parseExposition(await response.text());
}

/**
 * The value of one series: a counter's or gauge's value, a histogram's count.
 * `labels` must match the series' labels exactly; 0 when there is no such series yet.
 *
 * @throws when the family is not exported at all, so a renamed series fails the test.
 */
export function valueOf(scraped: Scrape, name: string, labels: Record<string, string> = {}): number {
  const type = scraped.families.get(name);
  if (!type) throw new Error(`${name} is not exported`);
  const sampleName = type === 'histogram' ? `${name}_count` : name;
  const wanted = JSON.stringify(Object.entries(labels).sort());
  const sample = scraped.samples.find(
    (candidate) =>
      candidate.name === sampleName && JSON.stringify(Object.entries(candidate.labels).sort()) === wanted,
  );
  return sample?.value ?? 0;
}
