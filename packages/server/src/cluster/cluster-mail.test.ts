// Issue 14, test 8: three instances share one mail outbox. 100 escalations, a slow mail server, and
// one instance SIGKILLed mid-send: every escalation's mail is sent once (the row in flight at the
// kill at most twice: at-least-once across a crash), and no row is left leased or pending.
import { sql } from 'drizzle-orm';
import { afterEach, describe, expect, it } from 'vitest';
import { openDatabase } from '../db/open-database.js';
import { startCluster, escalate, type Cluster } from '../test/instances.js';
import { mimeBodies } from '../test/mime.js';
import { smtpSink } from '../test/smtp-fakes.js';
import { queryRows } from '../test/sql.js';
import { TEST_DIALECT } from '../test/test-database.js';

const ESCALATIONS = 100;
const ROSTER = [
  { id: 'sam', name: 'Sam', email: 'sam@msp.example', role: 'engineer' },
  { id: 'ada', name: 'Ada', email: 'ada@msp.example', role: 'admin' },
];

let cleanup: (() => Promise<void>)[] = [];
afterEach(async () => {
  for (const step of cleanup.reverse()) await step();
  cleanup = [];
});

describe.runIf(TEST_DIALECT === 'postgres')(
  'three instances on one PostgreSQL: mail',
  { timeout: 60_000 },
  () => {
    it('should send each escalation mail once, with one instance killed mid-send', async () => {
      const sink = await smtpSink(0, { delayMs: 40 });
      cleanup.push(sink.close);
      const cluster: Cluster = await startCluster({
        env: {
          SMTP_URL: sink.url,
          MAIL_LEASE_SECONDS: '2',
          MAIL_POLL_SECONDS: '0.5',
          PUBLIC_URL: 'https://rf.example',
        },
      });
      cleanup.push(cluster.close);
      const [account] = cluster.accounts;
      for (const { id, ...body } of ROSTER) {
        const response = await fetch(`${cluster.servers[0]!.url}/v1/users/${id}`, {
          method: 'PUT',
          headers: { Authorization: `Bearer ${account!.apiKey}`, 'Content-Type': 'application/json' },
          body: JSON.stringify(body),
        });
        expect(response.status).toBe(200);
      }
      const technician = await account!.token('technician', 'tech-1');
      const ids: string[] = [];
      await Promise.all(
        Array.from({ length: 4 }, async (_, writer) => {
          for (let n = writer; n < ESCALATIONS; n += 4) {
            const created = await escalate(cluster.servers[n % 3]!.url, technician);
            expect(created.status).toBe(201);
            ids.push(created.id!);
          }
        }),
      );
      // Kill one instance while the outbox is still being worked through.
      await sink.received(20);
      await cluster.servers[1]!.kill();

      const database = await openDatabase(cluster.database.target, { migrate: false });
      cleanup.push(() => database.close());
      // Every row ends sent: the others send the rest, and the killed one's leased row after its lease.
      const unsent = async () =>
        Number(
          (
            await queryRows<{ n: string | number }>(
              database,
              sql`SELECT count(*) AS n FROM notification_outbox WHERE status <> 'sent'`,
            )
          )[0]!.n,
        );
      await expect.poll(unsent, { timeout: 40_000, interval: 100 }).toBe(0);

      // One message per recipient and escalation: count each (escalation, recipient) pair.
      const sent = new Map<string, number>();
      for (const message of sink.messages) {
        const id = /\/handoffs\/([0-9a-f-]{36})/.exec(mimeBodies(message.raw).text)?.[1];
        expect(id).toBeDefined();
        const key = `${id!} ${message.to.join(',')}`;
        sent.set(key, (sent.get(key) ?? 0) + 1);
      }
      const expected = ids.flatMap((id) => ROSTER.map((user) => `${id} ${user.email}`));
      expect([...sent.keys()].sort()).toEqual(expected.sort());
      const twice = [...sent.values()].filter((count) => count === 2).length;
      expect([...sent.values()].every((count) => count <= 2)).toBe(true);
      expect(twice).toBeLessThanOrEqual(1);
      console.log(
        `mail over three instances, one killed: ${sink.messages.length} messages for ${ids.length} escalations (${twice} sent twice)`,
      );
    }, 90_000);
  },
);
