// Issue 14, test 5: the listener connections of all three instances are terminated every 2 s
// (pg_terminate_backend) under load: no reader on any instance misses or repeats an event, and the
// worst delay stays within the poll interval + 1 s. With LISTEN off altogether, the poll alone
// still delivers everything. The listener's metrics show it.
import { sql } from 'drizzle-orm';
import { describe, expect, it } from 'vitest';
import type { HandoffEventData } from '@resolutionflow/types';
import { openDatabase } from '../db/open-database.js';
import { parseExposition, valueOf, METRICS_TOKEN } from '../test/metrics-scrape.js';
import { CLUSTER_ENV, escalate, heads, startCluster, type Cluster } from '../test/instances.js';
import { queryNumber } from '../test/sql.js';
import { SseClient } from '../test/sse-client.js';
import { latencySummary } from '../test/stats.js';
import { TEST_DIALECT } from '../test/test-database.js';

const POLL_MS = Number(CLUSTER_ENV.BUS_POLL_MS);
const SECONDS = 8;
const PER_SECOND = 40;

/** Creates at a steady rate over the instances; resolves with when each handoff was acknowledged. */
async function steadyLoad(cluster: Cluster, token: string, during: () => Promise<void>) {
  const acked = new Map<string, number>();
  const pending: Promise<void>[] = [];
  let n = 0;
  const timer = setInterval(() => {
    const server = cluster.servers[n++ % cluster.servers.length]!;
    pending.push(
      escalate(server.url, token).then(({ status, id }) => {
        expect(status).toBe(201);
        acked.set(id!, performance.now());
      }),
    );
  }, 1000 / PER_SECOND);
  try {
    await during();
  } finally {
    clearInterval(timer);
  }
  await Promise.all(pending);
  return acked;
}

/** Scrapes an instance's /metrics. */
async function metricsOf(url: string) {
  const response = await fetch(`${url}/metrics`, { headers: { Authorization: `Bearer ${METRICS_TOKEN}` } });
  return parseExposition(await response.text());
}

/** Runs the load with a reader per instance; returns each reader's seqs and the worst delay. */
async function readAll(cluster: Cluster, during: () => Promise<void>) {
  const [account] = cluster.accounts;
  const readers = await Promise.all(
    cluster.servers.map(async (server, index) =>
      SseClient.connect(`${server.url}/v1/stream`, {
        Authorization: `Bearer ${await account!.token('viewer', `viewer-${index}`)}`,
      }),
    ),
  );
  const acked = await steadyLoad(cluster, await account!.token('technician', 'tech-1'), during);
  const head = (await heads(cluster.database)).get(account!.id)!;
  expect(head).toBe(acked.size);
  const delays: number[] = [];
  for (const reader of readers) {
    await reader.until((c) => c.ids.at(-1) === head, 20_000);
    reader.close();
    expect(reader.ids).toEqual(Array.from({ length: head }, (_, i) => i + 1));
    reader.frames.forEach((frame, i) => {
      if (frame.event !== 'handoff.created') return;
      const { handoff } = JSON.parse(frame.data!) as HandoffEventData;
      // A frame can beat its own 201 to the test (the response is written after the publish).
      delays.push(Math.max(0, reader.arrivals[i]! - acked.get(handoff.id)!));
    });
  }
  return latencySummary(delays);
}

describe.runIf(TEST_DIALECT === 'postgres')(
  'three instances on one PostgreSQL: losing the listener',
  { timeout: 60_000 },
  () => {
    it('should deliver everything, in time, while the listener connections are terminated every 2 s', async () => {
      const cluster = await startCluster({ env: { METRICS_TOKEN } });
      const database = await openDatabase(cluster.database.target, { migrate: false });
      try {
        for (const server of cluster.servers)
          expect(valueOf(await metricsOf(server.url), 'rf_listener_up')).toBe(1);
        let terminated = 0;
        const delays = await readAll(cluster, async () => {
          for (let round = 0; round < SECONDS / 2; round++) {
            await new Promise((resolve) => setTimeout(resolve, 2000));
            terminated += await queryNumber(
              database,
              sql`SELECT count(pg_terminate_backend(pid)) FROM pg_stat_activity
              WHERE datname = current_database() AND application_name LIKE 'rf-listener-%'`,
            );
          }
        });
        expect(terminated).toBeGreaterThanOrEqual(3 * (SECONDS / 2));
        expect(delays.max).toBeLessThanOrEqual(POLL_MS + 1000);
        console.log(`listener terminated ${terminated} times: delivery delay ${delays.text}`);
        for (const server of cluster.servers) {
          const scraped = await metricsOf(server.url);
          expect(valueOf(scraped, 'rf_listener_reconnects_total')).toBeGreaterThan(0);
        }
      } finally {
        await database.close();
        await cluster.close();
      }
    });

    it('should still deliver everything with LISTEN off (the poll alone)', async () => {
      const cluster = await startCluster({ env: { BUS_LISTEN: 'false', METRICS_TOKEN } });
      try {
        const delays = await readAll(cluster, () => new Promise((resolve) => setTimeout(resolve, 4000)));
        expect(delays.max).toBeLessThanOrEqual(POLL_MS + 1000);
        console.log(`LISTEN off: delivery delay ${delays.text}`);
        // No listener, so no listener series to alert on.
        expect((await metricsOf(cluster.servers[0]!.url)).families.has('rf_listener_up')).toBe(false);
      } finally {
        await cluster.close();
      }
    });
  },
);
