// Issue 14: each instance caches queue pages per account and drops them when the account has a new
// event. With three instances, the event may be another instance's: its notification (or, failing
// that, the poll) must reach the cache too. The negative control shows the cache really serves a
// stale page when nothing tells it otherwise.
import { describe, expect, it, onTestFinished } from 'vitest';
import type { HandoffPage } from '@resolutionflow/types';
import { escalate, startCluster } from '../test/instances.js';
import { TEST_DIALECT } from '../test/test-database.js';

/** The open queue's ids as instance `url` serves it. */
async function queueIds(url: string, token: string): Promise<string[]> {
  const response = await fetch(`${url}/v1/handoffs?status=open`, {
    headers: { Authorization: `Bearer ${token}` },
  });
  expect(response.status).toBe(200);
  return ((await response.json()) as HandoffPage).items.map((item) => item.id);
}

describe.runIf(TEST_DIALECT === 'postgres')(
  'three instances on one PostgreSQL: the queue page cache',
  { timeout: 60_000 },
  () => {
    it('should show an escalation created on another instance in the next queue read', async () => {
      const cluster = await startCluster({ count: 2 });
      onTestFinished(() => cluster.close());
      const [account] = cluster.accounts;
      const engineer = await account!.token('engineer', 'sam');
      const [a, b] = cluster.servers.map((server) => server.url);
      // Warm B's cache (the second read is served from it).
      expect(await queueIds(b!, engineer)).toEqual([]);
      expect(await queueIds(b!, engineer)).toEqual([]);
      const created = await escalate(a!, await account!.token('technician', 'tech-1'));
      await expect.poll(() => queueIds(b!, engineer), { timeout: 2000, interval: 20 }).toEqual([created.id]);
    });

    it('negative control: without the bus, another instance keeps serving its cached page', async () => {
      const cluster = await startCluster({ count: 2, env: { BUS_LISTEN: 'false', BUS_POLL_MS: '60000' } });
      onTestFinished(() => cluster.close());
      const [account] = cluster.accounts;
      const engineer = await account!.token('engineer', 'sam');
      const [a, b] = cluster.servers.map((server) => server.url);
      expect(await queueIds(b!, engineer)).toEqual([]);
      const created = await escalate(a!, await account!.token('technician', 'tech-1'));
      await expect.poll(() => queueIds(a!, engineer)).toEqual([created.id]);
      // B never learns of it within the time the test above allows.
      await expect(
        expect.poll(() => queueIds(b!, engineer), { timeout: 2000, interval: 100 }).toEqual([created.id]),
      ).rejects.toThrow();
    });
  },
);
