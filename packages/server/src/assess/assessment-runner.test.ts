import { performance } from 'node:perf_hooks';
import { CreateHandoffRequestSchema, type Handoff } from '@resolutionflow/types';
import { and, eq } from 'drizzle-orm';
import { describe, expect, it, onTestFinished, vi } from 'vitest';
import { InProcessBus } from '../bus.js';
import { systemClock } from '../clock.js';
import { openDatabase } from '../db/open-database.js';
import { createHandoff, getHandoff } from '../domain/handoffs.js';
import { recordAssessment } from '../domain/transitions.js';
import { createServices } from '../services.js';
import { assessmentOf, escalate, worldWith } from '../test/assessment-world.js';
import { chatCompletionsStub, goodAnswer } from '../test/chat-completions-stub.js';
import { eventTypesOf } from '../test/event-log.js';
import { createWorld, escalation, seedHandoff } from '../test/harness.js';
import { TEST_DIALECT } from '../test/test-database.js';
import { silentLogger } from '../test/silent-logger.js';
import type { Assessor, AssessmentResult } from './assessor.js';
import { OpenAiAssessor } from './openai-assessor.js';
import { RULE_BASED_MODEL, RuleBasedAssessor } from './rule-based-assessor.js';

describe('assessment with a hanging provider', () => {
  it('should answer 201 pending at once, then record timed_out with one handoff.assessed event', async () => {
    const provider = await chatCompletionsStub(() => undefined);
    const world = await worldWith(new OpenAiAssessor({ baseUrl: provider.baseUrl, model: 'hang-1' }), '0.5');
    const token = await world.a.token('technician');
    const started = performance.now();
    const response = await world.call('POST', '/v1/handoffs', { token, body: escalation() });
    const elapsed = performance.now() - started;
    console.log(`create while the AI provider hangs: ${elapsed.toFixed(1)} ms (assessment timeout 500 ms)`);
    expect(response.status).toBe(201);
    const created = (await response.json()) as Handoff;
    expect(created.assessment).toEqual({ status: 'pending' });
    expect(elapsed).toBeLessThan(250);

    await world.services.assessments!.idle();
    expect(provider.requests).toHaveLength(1);
    expect(await assessmentOf(world, created.id)).toEqual({ status: 'timed_out' });
    expect(await eventTypesOf(world.database, world.a.id, created.id)).toEqual([
      'handoff.created',
      'handoff.assessed',
    ]);
    const { events } = world.database.tables;
    const [assessed] = await world.database.db
      .select({ at: events.createdAt })
      .from(events)
      .where(and(eq(events.handoffId, created.id), eq(events.type, 'handoff.assessed')))
      .limit(1);
    expect(assessed!.at - Date.parse(created.createdAt)).toBeGreaterThanOrEqual(490);
    // The timeout aborts the provider request instead of leaving it open.
    await vi.waitFor(() => expect(provider.aborted()).toBe(1), { timeout: 2000, interval: 10 });
  });

  it('should leave a timed-out assessment alone when the answer arrives late', async () => {
    let answerLate: (result: AssessmentResult) => void = () => undefined;
    const late = new Promise<AssessmentResult>((resolve) => (answerLate = resolve));
    const world = await worldWith({ assess: () => late }, '0.2');
    const created = await escalate(world);
    await world.services.assessments!.idle();
    expect(await assessmentOf(world, created.id)).toEqual({ status: 'timed_out' });

    answerLate({ ...goodAnswer, model: 'slow-1' });
    await late;
    await new Promise((resolve) => setImmediate(resolve));
    const ready = { status: 'ready' as const, ...goodAnswer, model: 'slow-1' };
    expect(await recordAssessment(world.database, world.a.id, created.id, ready, Date.now())).toBeNull();
    expect(await assessmentOf(world, created.id)).toEqual({ status: 'timed_out' });
    expect(await eventTypesOf(world.database, world.a.id, created.id)).toEqual([
      'handoff.created',
      'handoff.assessed',
    ]);
  });
});

describe('assessments pending at start-up', () => {
  it('should resume assessments a crashed process left pending and make them ready', async () => {
    const hung: ((error: Error) => void)[] = [];
    const hanging: Assessor = { assess: () => new Promise((_, reject) => hung.push(reject)) };
    const first = await worldWith(hanging, '60');
    const ids = [
      (await escalate(first)).id,
      (
        await escalate(
          first,
          escalation({ title: 'Print spooler keeps crashing', problemSummary: 'spoolsv stops' }),
        )
      ).id,
    ];
    // Crash: the database goes away under the running assessments, which then cannot record.
    await first.database.close();
    for (const reject of hung) reject(new Error('process died'));
    await first.services.assessments!.idle();

    const database = await openDatabase(first.config.database, { migrate: false });
    onTestFinished(() => database.close());
    const reopened = { ...first, database };
    expect(await Promise.all(ids.map(async (id) => (await assessmentOf(reopened, id)).status))).toEqual([
      'pending',
      'pending',
    ]);
    // On PostgreSQL another instance could still be running a young pending assessment: only
    // those older than the timeout (60 s here) plus a grace period are resumed, so the restarted
    // instance's clock is put past that. On SQLite everything pending is resumed at once.
    const later = TEST_DIALECT === 'postgres' ? 60_000 + 31_000 : 0;
    const base = {
      database,
      bus: new InProcessBus(),
      clock: { now: () => Date.now() + later },
      config: first.config,
      logger: silentLogger(),
    };
    const services = createServices(base, { assessor: new RuleBasedAssessor(), mailer: null });
    onTestFinished(() => services.stop());
    await services.start();
    await expect
      .poll(async () => Promise.all(ids.map(async (id) => (await assessmentOf(reopened, id)).status)))
      .toEqual(['ready', 'ready']);

    const [outlook, spooler] = await Promise.all(ids.map((id) => assessmentOf(reopened, id)));
    expect(outlook).toMatchObject({
      status: 'ready',
      model: RULE_BASED_MODEL,
      likelyCause: expect.stringMatching(/Outlook/),
    });
    expect(spooler).toMatchObject({ status: 'ready', likelyCause: expect.stringMatching(/spoolsv/) });
    for (const id of ids) {
      expect(await eventTypesOf(database, first.a.id, id)).toEqual(['handoff.created', 'handoff.assessed']);
    }
  });

  it('should mark pending assessments failed, in every account, when AI is off', async () => {
    const world = await createWorld();
    onTestFinished(() => world.close());
    const input = CreateHandoffRequestSchema.parse(escalation());
    const actor = { id: 'tech', name: 'Tech' };
    const pending: { accountId: string; id: string }[] = [];
    for (const accountId of [world.a.id, world.a.id, world.b.id]) {
      const { handoff } = await createHandoff(
        world.database,
        accountId,
        actor,
        input,
        { status: 'pending' },
        // Left behind two minutes ago: past the timeout plus grace (so no live instance can still run
        // it on PostgreSQL), short of the default policy's first step (10 min), which would add events.
        Date.now() - 2 * 60_000,
      );
      pending.push({ accountId, id: handoff.id });
    }
    const disabled = await seedHandoff(world.database, world.a.id);
    const bus = new InProcessBus();
    const wakes = { a: 0, b: 0 };
    bus.subscribe(world.a.id, () => (wakes.a += 1));
    bus.subscribe(world.b.id, () => (wakes.b += 1));

    const base = {
      database: world.database,
      bus,
      clock: systemClock,
      config: world.config,
      logger: silentLogger(),
    };
    const services = createServices(base, { assessor: null, mailer: null });
    onTestFinished(() => services.stop());
    await services.start();
    // On PostgreSQL the sweep runs beside the start-up: wait for its last write.
    await expect.poll(() => wakes).toEqual({ a: 2, b: 1 });

    for (const { accountId, id } of pending) {
      expect((await getHandoff(world.database, accountId, id)).assessment).toEqual({ status: 'failed' });
      expect(await eventTypesOf(world.database, accountId, id)).toEqual([
        'handoff.created',
        'handoff.assessed',
      ]);
    }
    expect(await assessmentOf(world, disabled.id)).toEqual({ status: 'disabled' });
    expect(await eventTypesOf(world.database, world.a.id, disabled.id)).toEqual(['handoff.created']);
    expect(wakes).toEqual({ a: 2, b: 1 });
  });
});
