import { createRoute } from '@hono/zod-openapi';
import {
  CreateHandoffRequestSchema,
  HandoffIdParamSchema,
  HandoffPageSchema,
  type Handoff,
  type HandoffPage,
  HandoffSchema,
  ListHandoffsQuerySchema,
  QueueCountsSchema,
  TRANSITIONS,
  type TransitionName,
} from '@resolutionflow/types';
import type { Context, TypedResponse } from 'hono';
import type { AppEnv } from '../app-env.js';
import { atLeast, actorOf } from '../auth/permissions.js';
import { requirePermission, requireUser } from '../auth/require.js';
import { getHandoff, listHandoffs, type Change } from '../domain/handoffs.js';
import { handoffJson } from '../domain/handoff-json.js';
import { queueCounts } from '../domain/queue-views.js';
import { findAnswer, fingerprintOf, IdempotencyKeyTaken } from '../domain/idempotency.js';
import { IdempotencyKeyHeaderSchema, replayAnswer } from '../http/idempotency-key.js';
import { transition } from '../domain/transitions.js';
import {
  AUTH_ERRORS,
  BEARER,
  HANDOFF_ERRORS,
  createRouter,
  errorContent,
  jsonBody,
  jsonResponse,
} from '../http/router.js';

/** `/v1/handoffs`: create, list, read, and every state change. */
export const handoffsRouter = createRouter();

/** Publishes after commit: the bus only wakes streams, the row is already durable. */
function published(c: Context<AppEnv>, change: Change): Change {
  if (change.eventSeq !== null) {
    c.get('deps').bus.publish(c.get('principal').accountId);
    c.get('deps').webhooks?.wake();
  }
  return change;
}

handoffsRouter.openapi(
  createRoute({
    method: 'post',
    path: '/',
    summary: 'Escalate: create a handoff',
    description:
      'Answers 201 at once with `assessment.status = pending`; the assessment arrives later as `handoff.assessed`. With `Idempotency-Key`, a retry within 24 h answers the first 201 again (marked `Idempotent-Replayed: true`) and creates, mails and assesses nothing.',
    security: BEARER,
    request: { headers: IdempotencyKeyHeaderSchema, body: jsonBody(CreateHandoffRequestSchema) },
    responses: {
      201: jsonResponse(HandoffSchema, 'The new handoff (or, for a retry, the first answer again)'),
      ...AUTH_ERRORS,
      422: errorContent('`idempotency_key_reused`: the key was sent with a different body in the last 24 h'),
    },
  }),
  async (c) => {
    const principal = requirePermission(c, 'create');
    const deps = c.get('deps');
    const input = c.req.valid('json');
    const key = c.req.valid('header')['idempotency-key'];
    const idempotency = key === undefined ? undefined : { key, fingerprint: fingerprintOf(input) };
    const earlier = () => findAnswer(deps.database, principal.accountId, key!, deps.clock.now());
    const answered = idempotency && (await earlier());
    if (answered) return replayAnswer(c, answered, idempotency);
    let change: Change;
    try {
      // Group commit: answered after the shared transaction commits (durable), which also publishes.
      change = await deps.creates.create({
        accountId: principal.accountId,
        actor: actorOf(principal),
        input,
        initialAssessment: deps.assessments ? { status: 'pending' } : { status: 'disabled' },
        now: deps.clock.now(),
        notify: deps.notifier !== undefined,
        idempotency,
      });
    } catch (error) {
      // A concurrent retry took the key first and has committed: answer with its result.
      const stored = idempotency && error instanceof IdempotencyKeyTaken ? await earlier() : undefined;
      if (!stored || !idempotency) throw error;
      return replayAnswer(c, stored, idempotency);
    }
    deps.assessments?.start(principal.accountId, change.handoff);
    deps.notifier?.wake();
    deps.webhooks?.wake();
    // The JSON its event was written with: `c.json` would serialise the handoff a second time.
    return c.body(handoffJson(change.handoff), 201, {
      'Content-Type': 'application/json',
    }) as unknown as TypedResponse<Handoff, 201, 'json'>;
  },
);

handoffsRouter.openapi(
  createRoute({
    method: 'get',
    path: '/',
    summary: 'The queue',
    description:
      'Cursor-paginated: follow `nextCursor` to reach every item. `order=priority` (default) is most urgent first, then longest waiting. With `view` (`open`, `mine`, `active`) the page also carries the `counts` of every view; `view=mine` needs a user (an embed token, or an API key acting as one).',
    security: BEARER,
    request: { query: ListHandoffsQuerySchema },
    responses: { 200: jsonResponse(HandoffPageSchema, 'A page of handoffs'), ...AUTH_ERRORS },
  }),
  async (c) => {
    const principal = requirePermission(c, 'read');
    const { database, queueCache } = c.get('deps');
    const query = c.req.valid('query');
    const userId = query.view === 'mine' ? requireUser(c).id : undefined;
    // `mine` differs per caller; every other page is the same for the whole account.
    const key = JSON.stringify([query, userId ?? null]);
    // The page and a view's counts are independent: read together.
    const [page, counts] = await Promise.all([
      queueCache.read(principal.accountId, key, async () =>
        JSON.stringify(await listHandoffs(database, principal.accountId, query, userId)),
      ),
      query.view && queueCounts(database, queueCache, principal.accountId, principal.user?.id ?? null),
    ]);
    const body = counts ? `${page.slice(0, -1)},"counts":${JSON.stringify(counts)}}` : page;
    return c.body(body, 200, { 'Content-Type': 'application/json' }) as unknown as TypedResponse<
      HandoffPage,
      200,
      'json'
    >;
  },
);

handoffsRouter.openapi(
  createRoute({
    method: 'get',
    path: '/counts',
    summary: 'How many handoffs each view of the queue holds',
    description:
      "`open`, `mine` (the caller's claimed and started handoffs; 0 without a user) and `active`. Cheap: a live queue refetches it after events.",
    security: BEARER,
    responses: { 200: jsonResponse(QueueCountsSchema, 'The counts'), ...AUTH_ERRORS },
  }),
  async (c) => {
    const principal = requirePermission(c, 'read');
    const { database, queueCache } = c.get('deps');
    return c.json(
      await queueCounts(database, queueCache, principal.accountId, principal.user?.id ?? null),
      200,
    );
  },
);

handoffsRouter.openapi(
  createRoute({
    method: 'get',
    path: '/{id}',
    summary: 'One handoff with all four sections',
    security: BEARER,
    request: { params: HandoffIdParamSchema },
    responses: { 200: jsonResponse(HandoffSchema, 'The handoff'), ...HANDOFF_ERRORS },
  }),
  async (c) => {
    const principal = requirePermission(c, 'read');
    return c.json(
      await getHandoff(c.get('deps').database, principal.accountId, c.req.valid('param').id),
      200,
    );
  },
);

/** The documentation of each `POST /v1/handoffs/{id}/<transition>`. */
const TRANSITION_DOCS: Record<TransitionName, { summary: string; description: string }> = {
  claim: {
    summary: 'Pick up',
    description:
      'Atomic: of many concurrent claims exactly one wins; the rest get 409 naming who holds it. Safe to retry: the engineer who holds it claiming again gets 200 with the handoff as it is. Engineer or admin.',
  },
  release: { summary: 'Put back in the queue', description: 'The claimer or an admin.' },
  start: {
    summary: 'Record the first action',
    description: 'The claimer only. Idempotent: a second call answers the handoff as it is.',
  },
  resolve: { summary: 'Close as resolved', description: 'The claimer or an admin.' },
  cancel: { summary: 'Withdraw an open escalation', description: 'The creator or an admin.' },
};

for (const name of TRANSITIONS) {
  const { summary, description } = TRANSITION_DOCS[name];
  handoffsRouter.openapi(
    createRoute({
      method: 'post',
      path: `/{id}/${name}`,
      summary,
      description,
      security: BEARER,
      request: { params: HandoffIdParamSchema },
      responses: { 200: jsonResponse(HandoffSchema, 'The handoff after the change'), ...HANDOFF_ERRORS },
    }),
    async (c) => {
      const principal = requirePermission(c, name === 'cancel' ? 'create' : 'claim');
      const user = name === 'cancel' && !principal.user ? null : requireUser(c);
      const actor = user
        ? { id: user.id, name: user.name, isAdmin: atLeast(user.role, 'admin') }
        : { ...actorOf(principal), isAdmin: false };
      const deps = c.get('deps');
      const change = await transition(
        deps.database,
        principal.accountId,
        c.req.valid('param').id,
        name,
        actor,
        deps.clock.now(),
      );
      return c.json(published(c, change).handoff, 200);
    },
  );
}
