import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Assessment, Handoff } from '@resolutionflow/types';
import { sql } from 'drizzle-orm';
import { OpenAiAssessor } from '../assess/openai-assessor.js';
import { SmtpMailer } from '../mail/mailer.js';
import { fakeAiProvider, type ProviderMode } from '../test/fake-ai-provider.js';
import { createWorld, escalation, type TestWorld } from '../test/harness.js';
import { hangingSmtp, smtpSink } from '../test/smtp-fakes.js';
import { Prng } from '../test/prng.js';
import { sized } from '../test/soak.js';
import { queryNumber, queryRows } from '../test/sql.js';
import { latencyBound, latencySummary } from '../test/stats.js';

/** Generous against the ~10–30 s a bounded run takes here; a soak run takes minutes. */
const TIMEOUT_MS = sized(120_000, 900_000);

const CREATES = sized(100, 500);
const WARM_UP = 10;
const AI_TIMEOUT_SECONDS = 0.5;
const SMTP_TIMEOUT_MS = 300;
const prng = Prng.fromEnv();
const POLICY = { maxAttempts: 50, baseDelayMs: 50, maxDelayMs: 200, pollMs: 50, leaseMs: 10_000 };

/** One world per condition, all alive at once, so the creates can be interleaved. */
interface Scenario {
  name: string;
  ai: ProviderMode;
  smtp: 'ok' | 'hang' | '5xx';
  /** How every assessment must end. */
  assessed: Assessment['status'];
  world?: TestWorld;
  provider?: Awaited<ReturnType<typeof fakeAiProvider>>;
  sink?: Awaited<ReturnType<typeof smtpSink>>;
  hanging?: Awaited<ReturnType<typeof hangingSmtp>>;
  token?: string;
  latencies: number[];
  handoffs: Handoff[];
}
const SCENARIOS: Scenario[] = [
  { name: 'healthy', ai: 'ok', smtp: 'ok', assessed: 'ready' },
  { name: 'SMTP hanging', ai: 'ok', smtp: 'hang', assessed: 'ready' },
  { name: 'SMTP answering 550', ai: 'ok', smtp: '5xx', assessed: 'ready' },
  { name: 'AI hanging', ai: 'hang', smtp: 'ok', assessed: 'timed_out' },
  { name: 'AI slow (2 s, timeout 0.5 s)', ai: 'slow', smtp: 'ok', assessed: 'timed_out' },
  { name: 'AI garbage', ai: 'garbage', smtp: 'ok', assessed: 'failed' },
  // A second healthy world: its ratio to the first is the noise of this run's p99 comparison.
  { name: 'healthy again (control)', ai: 'ok', smtp: 'ok', assessed: 'ready' },
].map((scenario) => ({ ...scenario, latencies: [], handoffs: [] }) as Scenario);

beforeAll(async () => {
  for (const scenario of SCENARIOS) {
    scenario.provider = await fakeAiProvider({ mode: scenario.ai, slowMs: 2000 });
    if (scenario.smtp === 'hang') scenario.hanging = await hangingSmtp();
    else {
      scenario.sink = await smtpSink();
      if (scenario.smtp === '5xx')
        scenario.sink.state.rejectWith = { code: 550, message: 'Mailbox unavailable' };
    }
    const smtpUrl = scenario.hanging?.url ?? scenario.sink!.url;
    const world = await createWorld({
      env: { ESCALATION_AI_ASSESSMENT_TIMEOUT_SECONDS: String(AI_TIMEOUT_SECONDS) },
      assessor: new OpenAiAssessor({ baseUrl: scenario.provider.url, model: 'fake-model' }),
      mailer: new SmtpMailer(smtpUrl, 'rf@example.com', SMTP_TIMEOUT_MS),
      outboxPolicy: POLICY,
    });
    const roster = { name: 'Kim', email: 'kim@msp.example', role: 'engineer' };
    expect((await world.call('PUT', '/v1/users/kim', { token: world.a.apiKey, body: roster })).status).toBe(
      200,
    );
    scenario.world = world;
    scenario.token = await world.a.token('technician', { id: 'alex', name: 'Alex' }, 3600);
  }
});
afterAll(async () => {
  for (const scenario of SCENARIOS) {
    await scenario.hanging?.close();
    await scenario.provider?.close();
    await scenario.world?.close();
    await scenario.sink?.close();
  }
});

async function create(scenario: Scenario): Promise<number> {
  const started = performance.now();
  const response = await scenario.world!.call('POST', '/v1/handoffs', {
    token: scenario.token!,
    body: escalation(),
  });
  const ms = performance.now() - started;
  expect(response.status).toBe(201);
  scenario.handoffs.push((await response.json()) as Handoff);
  return ms;
}

const outbox = (scenario: Scenario) =>
  queryRows<{ handoffId: string; status: string; attempts: number; lastError: string | null }>(
    scenario.world!.database,
    sql`SELECT handoff_id AS "handoffId", status, attempts, last_error AS "lastError" FROM notification_outbox`,
  );

/** Polls (a short pacing timer: the outbox worker has no completion event) until `done` or the deadline. */
async function until(done: () => Promise<boolean>, timeoutMs: number, what: string): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!(await done())) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 25));
  }
}

describe(`dependency faults (${CREATES} creates per condition, ${SCENARIOS.length} conditions in a random order each round, seed ${prng.seed})`, () => {
  it(
    'should create as fast with failing AI and SMTP as with healthy ones, record each outcome, and deliver mail on recovery',
    async () => {
      for (let round = 0; round < WARM_UP + CREATES; round++) {
        // A new random order every round. Each create's background work (its assessment, its
        // mail) runs during the next create, so a fixed order would charge one condition's
        // background to the same neighbour every time (a fixed rotation did: ×1.3 on its successors).
        for (const scenario of prng.shuffled(SCENARIOS)) {
          const ms = await create(scenario);
          if (round >= WARM_UP) scenario.latencies.push(ms);
        }
      }
      const healthy = latencySummary(SCENARIOS[0]!.latencies);

      // Outcomes: every assessment settled as its condition dictates, each with exactly one handoff.assessed event.
      const outcomes: string[] = [];
      for (const scenario of SCENARIOS) {
        await scenario.world!.services.assessments!.idle();
        const { database } = scenario.world!;
        const status = database.fragments.jsonText(database.tables.handoffs.assessment, 'status');
        const statuses = (
          await queryRows<{ s: string; n: number | string }>(
            database,
            sql`SELECT ${status} AS s, count(*) AS n FROM handoffs GROUP BY s`,
          )
        ).map((row) => ({ s: row.s, n: Number(row.n) }));
        expect(statuses).toEqual([{ s: scenario.assessed, n: WARM_UP + CREATES }]);
        const assessedEvents = await queryNumber(
          database,
          sql`SELECT count(*) FROM events WHERE type = 'handoff.assessed'`,
        );
        expect(assessedEvents).toBe(WARM_UP + CREATES);
        outcomes.push(`${scenario.name}: ${WARM_UP + CREATES} × ${scenario.assessed}`);
      }

      // While SMTP fails, the mail waits in the outbox with its attempts and the error.
      const hang = SCENARIOS[1]!;
      const refused = SCENARIOS[2]!;
      await until(
        async () =>
          (await outbox(hang)).some((row) => row.attempts > 0) &&
          (await outbox(refused)).some((row) => row.attempts > 0),
        10_000,
        'failed attempts',
      );
      const failing: {
        rows: Awaited<ReturnType<typeof outbox>>;
        tried: Awaited<ReturnType<typeof outbox>>;
        error: string;
      }[] = [];
      for (const scenario of [hang, refused]) {
        const rows = await outbox(scenario);
        expect(rows.every((row) => row.status === 'pending')).toBe(true);
        const tried = rows.filter((row) => row.attempts > 0);
        expect(tried.every((row) => row.lastError !== null)).toBe(true);
        failing.push({ rows, tried, error: tried[0]!.lastError! });
      }
      expect(failing[0]!.error).toMatch(/timeout|greeting/i);
      expect(failing[1]!.error).toMatch(/550/);

      // Recovery: a working server on the same port; then every escalation is mailed exactly once.
      await hang.hanging!.close();
      hang.sink = await smtpSink(hang.hanging!.port);
      refused.sink!.state.rejectWith = null;
      for (const scenario of SCENARIOS) {
        await until(
          async () => (await outbox(scenario)).every((row) => row.status === 'sent'),
          sized(20_000, 300_000),
          `${scenario.name} mail`,
        );
        const mailed = scenario.sink!.messages.map(
          (message) => /handoffs\/([0-9a-f-]{36})/.exec(message.raw)?.[1],
        );
        expect(mailed.sort()).toEqual(scenario.handoffs.map((handoff) => handoff.id).sort());
      }

      const lines = SCENARIOS.map((scenario) => {
        const summary = latencySummary(scenario.latencies);
        return { scenario, summary, ratio: summary.p99 / healthy.p99 };
      });
      console.log(
        `dependency faults: create latency over ${CREATES} creates each (interleaved in a random order each round, seed ${prng.seed}; server in-process, AI provider in its own process): ` +
          lines
            .map(
              ({ scenario, summary, ratio }) => `${scenario.name} ${summary.text} (p99 ×${ratio.toFixed(2)})`,
            )
            .join('; ') +
          `. Assessments: ${outcomes.join(', ')}. Outbox while failing: SMTP hanging ${failing[0]!.tried.length}/${failing[0]!.rows.length} rows tried ` +
          `(lastError "${failing[0]!.error.slice(0, 60)}"), SMTP 550 ${failing[1]!.tried.length}/${failing[1]!.rows.length} tried ` +
          `(lastError "${failing[1]!.error.slice(0, 60)}"); after recovery every escalation mailed exactly once in all ${SCENARIOS.length} conditions`,
      );
      // Goal: p99 within 20% of healthy (the ratio is printed). Asserted as 1.2 × healthy + 10 ms, with
      // healthy the larger of the two healthy worlds' p99s: p99 of 100 in-process samples is the
      // 2nd-worst one, and under `npm test` other files share the 2 cores.
      const reference = Math.max(healthy.p99, latencySummary(SCENARIOS.at(-1)!.latencies).p99);
      for (const { scenario, summary } of lines) {
        expect(summary.p99, scenario.name).toBeLessThan(100);
        expect(summary.p99, scenario.name).toBeLessThan(latencyBound(reference));
      }
    },
    TIMEOUT_MS,
  );
});
