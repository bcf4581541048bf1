import { createServer, type IncomingHttpHeaders, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';
import { CreateHandoffRequestSchema, type Handoff } from '@resolutionflow/types';
import { and, eq } from 'drizzle-orm';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { InProcessBus } from '../bus.js';
import { systemClock } from '../clock.js';
import { openDatabase } from '../db/database.js';
import { events } from '../db/schema.js';
import { eventTypesOf } from '../test/event-log.js';
import { createHandoff, getHandoff } from '../domain/handoffs.js';
import { recordAssessment } from '../domain/transitions.js';
import { silentLogger } from '../test/silent-logger.js';
import { assessorFor, createServices } from '../services.js';
import { createWorld, escalation, seedHandoff, testConfig, type TestWorld } from '../test/harness.js';
import type { Assessor, AssessmentResult } from './assessor.js';
import { OpenAiAssessor } from './openai-assessor.js';
import { RULE_BASED_MODEL, RuleBasedAssessor } from './rule-based-assessor.js';

interface ProviderRequest {
  method: string;
  url: string;
  headers: IncomingHttpHeaders;
  body: { model: string; response_format: unknown; messages: { role: string; content: string }[] };
}

const cleanups: (() => unknown)[] = [];
afterEach(async () => {
  for (const cleanup of cleanups.splice(0).reverse()) await cleanup();
});

/** A real OpenAI-compatible endpoint on loopback; `reply` may never answer. */
async function fakeProvider(reply: (res: ServerResponse) => void) {
  const requests: ProviderRequest[] = [];
  let aborted = 0;
  const server = createServer((req, res) => {
    let raw = '';
    req.setEncoding('utf8');
    req.on('data', (chunk: string) => (raw += chunk));
    req.on('end', () => {
      const { method = '', url = '', headers } = req;
      requests.push({ method, url, headers, body: JSON.parse(raw) });
      res.on('close', () => {
        if (!res.writableEnded) aborted += 1;
      });
      reply(res);
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  cleanups.push(
    () => new Promise<void>((resolve) => (server.closeAllConnections(), server.close(() => resolve()))),
  );
  const { port } = server.address() as AddressInfo;
  return { baseUrl: `http://127.0.0.1:${port}/v1`, requests, aborted: () => aborted };
}

const chatAnswer = (content: string) => (res: ServerResponse) => {
  res.writeHead(200, { 'Content-Type': 'application/json' });
  res.end(
    JSON.stringify({ id: 'chatcmpl-1', choices: [{ index: 0, message: { role: 'assistant', content } }] }),
  );
};
const goodAnswer = {
  likelyCause: 'Stale modern-auth tokens after the tenant move',
  confidence: 0.72,
  nextSteps: ['Clear the AAD broker cache', 'Test autodiscover'],
};

async function worldWith(assessor: Assessor, timeoutSeconds = '5'): Promise<TestWorld> {
  const world = await createWorld({
    assessor,
    env: { ESCALATION_AI_ASSESSMENT_TIMEOUT_SECONDS: timeoutSeconds },
  });
  cleanups.push(() => world.close());
  return world;
}

async function escalate(world: TestWorld, body: Record<string, unknown> = escalation()): Promise<Handoff> {
  const response = await world.call('POST', '/v1/handoffs', {
    token: await world.a.token('technician'),
    body,
  });
  expect(response.status).toBe(201);
  return (await response.json()) as Handoff;
}

const assessmentOf = (world: TestWorld, id: string) => getHandoff(world.database, world.a.id, id).assessment;

describe('assessment with a hanging provider', () => {
  it('should answer 201 pending at once, then record timed_out with one handoff.assessed event', async () => {
    const provider = await fakeProvider(() => undefined);
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
    expect(assessmentOf(world, created.id)).toEqual({ status: 'timed_out' });
    expect(eventTypesOf(world.database.db, world.a.id, created.id)).toEqual([
      'handoff.created',
      'handoff.assessed',
    ]);
    const assessed = world.database.db
      .select({ at: events.createdAt })
      .from(events)
      .where(and(eq(events.handoffId, created.id), eq(events.type, 'handoff.assessed')))
      .get()!;
    expect(assessed.at - Date.parse(created.createdAt)).toBeGreaterThanOrEqual(490);
    // The timeout aborts the provider request instead of leaving it open.
    await vi.waitFor(() => expect(provider.aborted()).toBe(1), { timeout: 2000, interval: 10 });
  });

  it('should leave a timed-out assessment alone when the answer arrives late', async () => {
    let answerLate: (result: AssessmentResult) => void = () => undefined;
    const late = new Promise<AssessmentResult>((resolve) => (answerLate = resolve));
    const world = await worldWith({ assess: () => late }, '0.2');
    const created = await escalate(world);
    await world.services.assessments!.idle();
    expect(assessmentOf(world, created.id)).toEqual({ status: 'timed_out' });

    answerLate({ ...goodAnswer, model: 'slow-1' });
    await late;
    await new Promise((resolve) => setImmediate(resolve));
    const ready = { status: 'ready' as const, ...goodAnswer, model: 'slow-1' };
    expect(recordAssessment(world.database, world.a.id, created.id, ready, Date.now())).toBeNull();
    expect(assessmentOf(world, created.id)).toEqual({ status: 'timed_out' });
    expect(eventTypesOf(world.database.db, world.a.id, created.id)).toEqual([
      'handoff.created',
      'handoff.assessed',
    ]);
  });
});

describe('assessment with a misbehaving provider', () => {
  it.each([
    ['text that is not JSON', chatAnswer('Probably DNS, try flushing it.')],
    [
      'JSON that does not match the schema',
      chatAnswer(JSON.stringify({ likelyCause: 'x', confidence: 1.7, nextSteps: [] })),
    ],
    ['a body without message content', (res: ServerResponse) => res.end(JSON.stringify({ choices: [] }))],
    ['HTTP 500', (res: ServerResponse) => (res.writeHead(500), res.end('{"error":"upstream exploded"}'))],
  ])('should record failed for %s', async (_case, reply) => {
    const provider = await fakeProvider(reply);
    const world = await worldWith(new OpenAiAssessor({ baseUrl: provider.baseUrl, model: 'bad-1' }));
    const created = await escalate(world);
    expect(created.assessment.status).toBe('pending');
    await world.services.assessments!.idle();
    expect(provider.requests).toHaveLength(1);
    expect(assessmentOf(world, created.id)).toEqual({ status: 'failed' });
    expect(eventTypesOf(world.database.db, world.a.id, created.id)).toEqual([
      'handoff.created',
      'handoff.assessed',
    ]);
  });
});

describe('assessment with a working provider', () => {
  it('should record ready from structured JSON asked for with the configured key and model', async () => {
    const provider = await fakeProvider(chatAnswer(JSON.stringify(goodAnswer)));
    const config = testConfig({
      AI_BASE_URL: provider.baseUrl,
      AI_API_KEY: 'sk-test-123',
      AI_MODEL: 'gpt-test',
    });
    const world = await worldWith(assessorFor(config)!);
    const created = await escalate(world);
    await world.services.assessments!.idle();

    const read = (await (
      await world.call('GET', `/v1/handoffs/${created.id}`, { token: world.a.apiKey })
    ).json()) as Handoff;
    expect(read.assessment).toEqual({
      status: 'ready',
      ...goodAnswer,
      model: 'gpt-test',
      completedAt: expect.any(String),
    });
    expect(eventTypesOf(world.database.db, world.a.id, created.id)).toEqual([
      'handoff.created',
      'handoff.assessed',
    ]);

    const [request] = provider.requests;
    expect(request).toMatchObject({ method: 'POST', url: '/v1/chat/completions' });
    expect(request!.headers.authorization).toBe('Bearer sk-test-123');
    expect(request!.body).toMatchObject({
      model: 'gpt-test',
      response_format: {
        type: 'json_schema',
        json_schema: { strict: true, schema: { required: ['likelyCause', 'confidence', 'nextSteps'] } },
      },
    });
    const user = request!.body.messages.find((message) => message.role === 'user')!;
    expect(JSON.parse(user.content)).toMatchObject({
      title: created.title,
      problemSummary: created.problemSummary,
    });
  });

  it('should send no Authorization header without an API key', async () => {
    const provider = await fakeProvider(chatAnswer(JSON.stringify(goodAnswer)));
    const world = await worldWith(new OpenAiAssessor({ baseUrl: `${provider.baseUrl}/`, model: 'local-1' }));
    const created = await escalate(world);
    await world.services.assessments!.idle();
    expect(provider.requests[0]!.headers.authorization).toBeUndefined();
    expect(assessmentOf(world, created.id)).toMatchObject({ status: 'ready', model: 'local-1' });
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
    first.database.close();
    for (const reject of hung) reject(new Error('process died'));
    await first.services.assessments!.idle();

    const database = openDatabase(join(first.dir, 'test.db'));
    cleanups.push(() => database.close());
    const reopened = { ...first, database };
    expect(ids.map((id) => assessmentOf(reopened, id).status)).toEqual(['pending', 'pending']);
    const base = {
      database,
      bus: new InProcessBus(),
      clock: systemClock,
      config: first.config,
      logger: silentLogger(),
    };
    const services = createServices(base, { assessor: new RuleBasedAssessor(), mailer: null });
    cleanups.push(() => services.stop());
    services.start();
    await services.assessments!.idle();

    const [outlook, spooler] = ids.map((id) => assessmentOf(reopened, id));
    expect(outlook).toMatchObject({
      status: 'ready',
      model: RULE_BASED_MODEL,
      likelyCause: expect.stringMatching(/Outlook/),
    });
    expect(spooler).toMatchObject({ status: 'ready', likelyCause: expect.stringMatching(/spoolsv/) });
    for (const id of ids) {
      expect(eventTypesOf(database.db, first.a.id, id)).toEqual(['handoff.created', 'handoff.assessed']);
    }
  });

  it('should mark pending assessments failed, in every account, when AI is off', async () => {
    const world = await createWorld();
    cleanups.push(() => world.close());
    const input = CreateHandoffRequestSchema.parse(escalation());
    const actor = { id: 'tech', name: 'Tech' };
    const pending = [world.a.id, world.a.id, world.b.id].map((accountId) => ({
      accountId,
      id: createHandoff(world.database, accountId, actor, input, { status: 'pending' }, Date.now()).handoff
        .id,
    }));
    const disabled = seedHandoff(world.database, world.a.id);
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
    cleanups.push(() => services.stop());
    services.start();

    for (const { accountId, id } of pending) {
      expect(getHandoff(world.database, accountId, id).assessment).toEqual({ status: 'failed' });
      expect(eventTypesOf(world.database.db, accountId, id)).toEqual(['handoff.created', 'handoff.assessed']);
    }
    expect(assessmentOf(world, disabled.id)).toEqual({ status: 'disabled' });
    expect(eventTypesOf(world.database.db, world.a.id, disabled.id)).toEqual(['handoff.created']);
    expect(wakes).toEqual({ a: 2, b: 1 });
  });
});
