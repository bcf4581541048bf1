import type { ServerResponse } from 'node:http';
import type { Handoff } from '@resolutionflow/types';
import { describe, expect, it } from 'vitest';
import { assessorFor } from '../services.js';
import { assessmentOf, escalate, worldWith } from '../test/assessment-world.js';
import { chatAnswer, chatCompletionsStub, goodAnswer } from '../test/chat-completions-stub.js';
import { eventTypesOf } from '../test/event-log.js';
import { testConfig } from '../test/harness.js';
import { OpenAiAssessor } from './openai-assessor.js';

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
    const provider = await chatCompletionsStub(reply);
    const world = await worldWith(new OpenAiAssessor({ baseUrl: provider.baseUrl, model: 'bad-1' }));
    const created = await escalate(world);
    expect(created.assessment.status).toBe('pending');
    await world.services.assessments!.idle();
    expect(provider.requests).toHaveLength(1);
    expect(await assessmentOf(world, created.id)).toEqual({ status: 'failed' });
    expect(await eventTypesOf(world.database, world.a.id, created.id)).toEqual([
      'handoff.created',
      'handoff.assessed',
    ]);
  });
});

describe('assessment with a working provider', () => {
  it('should record ready from structured JSON asked for with the configured key and model', async () => {
    const provider = await chatCompletionsStub(chatAnswer(JSON.stringify(goodAnswer)));
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
    expect(await eventTypesOf(world.database, world.a.id, created.id)).toEqual([
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
    const provider = await chatCompletionsStub(chatAnswer(JSON.stringify(goodAnswer)));
    const world = await worldWith(new OpenAiAssessor({ baseUrl: `${provider.baseUrl}/`, model: 'local-1' }));
    const created = await escalate(world);
    await world.services.assessments!.idle();
    expect(provider.requests[0]!.headers.authorization).toBeUndefined();
    expect(await assessmentOf(world, created.id)).toMatchObject({ status: 'ready', model: 'local-1' });
  });
});
