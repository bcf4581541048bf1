// Issue 14: assessments happen once across instances. Three instances on one PostgreSQL, a real
// OpenAI-compatible provider on loopback that answers after 3 s, and one instance restarted while
// escalations are being assessed: every escalation ends `ready`, and the provider was asked about
// each exactly once (the restarted instance does not re-run assessments still running elsewhere).
import { sql } from 'drizzle-orm';
import { describe, expect, it, onTestFinished } from 'vitest';
import { openDatabase } from '../db/open-database.js';
import { chatAnswer, chatCompletionsStub, goodAnswer } from '../test/chat-completions-stub.js';
import { escalate, startCluster } from '../test/instances.js';
import { queryRows } from '../test/sql.js';
import { TEST_DIALECT } from '../test/test-database.js';

const ESCALATIONS = 30;

describe.runIf(TEST_DIALECT === 'postgres')(
  'three instances on one PostgreSQL: assessments',
  { timeout: 60_000 },
  () => {
    it('should assess each escalation once while an instance restarts', async () => {
      const answer = chatAnswer(JSON.stringify(goodAnswer));
      const provider = await chatCompletionsStub((res) => setTimeout(() => answer(res), 3000));
      const cluster = await startCluster({
        env: {
          AI_PROVIDER: 'openai',
          AI_BASE_URL: provider.baseUrl,
          ESCALATION_AI_ASSESSMENT_TIMEOUT_SECONDS: '10',
        },
      });
      onTestFinished(() => cluster.close());
      const [account] = cluster.accounts;
      const technician = await account!.token('technician', 'tech-1');
      const escalateOn = (instances: number[], from: number, count: number) =>
        Promise.all(
          Array.from({ length: count }, async (_, n) => {
            const url = cluster.servers[instances[n % instances.length]!]!.url;
            const created = await escalate(url, technician, { title: `Case ${from + n}` });
            expect(created.status).toBe(201);
            return created.id!;
          }),
        );
      // Instance 2 takes some and stops gracefully (finishing its own assessments); while it is
      // down the others take more, and it starts again while those are still being assessed.
      const ids = await escalateOn([2], 0, 10);
      await cluster.servers[2]!.stop();
      ids.push(...(await escalateOn([0, 1], 10, ESCALATIONS - 10)));
      await cluster.restart(2);

      const database = await openDatabase(cluster.database.target, { migrate: false });
      onTestFinished(() => database.close());
      const statuses = async () =>
        (
          await queryRows<{ status: string }>(
            database,
            sql`SELECT assessment::jsonb ->> 'status' AS status FROM handoffs WHERE account_id = ${account!.id}`,
          )
        ).map((row) => row.status);
      await expect.poll(statuses, { timeout: 20_000 }).toEqual(Array(ESCALATIONS).fill('ready'));

      const asked = new Map<string, number>();
      for (const request of provider.requests) {
        const title = /Case \d+/.exec(request.body.messages.map((m) => m.content).join('\n'))?.[0];
        asked.set(title!, (asked.get(title!) ?? 0) + 1);
      }
      expect(asked.size).toBe(ids.length);
      expect([...asked.values()].filter((count) => count !== 1)).toEqual([]);
    }, 60_000);
  },
);
