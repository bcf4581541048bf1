import { createRoute, z } from '@hono/zod-openapi';
import {
  CreateWebhookRequestSchema,
  DeliveryListQuerySchema,
  UpdateWebhookRequestSchema,
  WebhookDeliveryListSchema,
  WebhookDeliverySchema,
  WebhookListSchema,
  WebhookSchema,
  WebhookWithSecretSchema,
} from '@resolutionflow/types';
import type { Context } from 'hono';
import type { AppEnv } from '../app-env.js';
import { requirePermission } from '../auth/require.js';
import { ApiError } from '../errors.js';
import { AUTH_ERRORS, BEARER, createRouter, errorContent, jsonBody, jsonResponse } from '../http/router.js';
import { refusedAddressOf } from '../webhooks/address-guard.js';
import { listDeliveries, queueTestPing, redeliver } from '../webhooks/deliveries.js';
import {
  createWebhook,
  deleteWebhook,
  getWebhookRow,
  listWebhooks,
  rotateSecret,
  toWebhook,
  updateWebhook,
} from '../webhooks/endpoints.js';

/** `/v1/webhooks`: outbound endpoints (DESIGN §12), for admins and the host backend's API key. */
export const webhooksRouter = createRouter();

const ERRORS = {
  ...AUTH_ERRORS,
  404: errorContent('No such webhook (or delivery) in this account'),
  409: errorContent('Not possible in the endpoint’s state (disabled; a chat endpoint has no secret)'),
} as const;

/** Ids are `wh_…` and `msg_…` (letters, digits, `_`): anything else (a NUL byte PostgreSQL refuses) is a 400. */
const id = z.string().regex(/^[A-Za-z0-9_]{1,64}$/, 'Not a webhook or delivery id');
const IdParam = z.object({ id });
const DeliveryParam = IdParam.extend({ deliveryId: id });

/** The same people who sync the roster: admins and the host backend's API key. */
const manager = (c: Context<AppEnv>) => requirePermission(c, 'manageUsers');

/** 400 when the URL's host is (or resolves to) an address the operator does not allow. */
async function refuseForbiddenTarget(c: Context<AppEnv>, url: string | undefined): Promise<void> {
  if (url === undefined) return;
  const { webhooks } = c.get('deps');
  const refused = await refusedAddressOf(new URL(url), webhooks?.addresses ?? { allowPrivate: false });
  if (refused) {
    throw new ApiError(
      400,
      'url_not_allowed',
      `The URL reaches ${refused}: a loopback, private or link-local address`,
      {
        details: {
          fields: [{ path: 'url', message: 'Not a public address (WEBHOOK_ALLOW_PRIVATE is off)' }],
        },
      },
    );
  }
}

webhooksRouter.openapi(
  createRoute({
    method: 'post',
    path: '/',
    summary: 'Create a webhook endpoint',
    description:
      'The answer carries the signing secret (`whsec_…`): the only time it is shown, besides rotation. Slack and Teams endpoints are not signed (no secret).',
    security: BEARER,
    request: { body: jsonBody(CreateWebhookRequestSchema) },
    responses: { 201: jsonResponse(WebhookWithSecretSchema, 'The endpoint with its secret'), ...ERRORS },
  }),
  async (c) => {
    const principal = manager(c);
    const body = c.req.valid('json');
    await refuseForbiddenTarget(c, body.url);
    const deps = c.get('deps');
    return c.json(await createWebhook(deps.database, principal.accountId, body, deps.clock.now()), 201);
  },
);

webhooksRouter.openapi(
  createRoute({
    method: 'get',
    path: '/',
    summary: "The account's webhook endpoints",
    security: BEARER,
    responses: { 200: jsonResponse(WebhookListSchema, 'Every endpoint, oldest first'), ...ERRORS },
  }),
  async (c) => {
    const principal = manager(c);
    const deps = c.get('deps');
    return c.json({ items: await listWebhooks(deps.database, principal.accountId, deps.clock.now()) }, 200);
  },
);

webhooksRouter.openapi(
  createRoute({
    method: 'get',
    path: '/{id}',
    summary: 'One webhook endpoint',
    security: BEARER,
    request: { params: IdParam },
    responses: { 200: jsonResponse(WebhookSchema, 'The endpoint'), ...ERRORS },
  }),
  async (c) => {
    const principal = manager(c);
    const deps = c.get('deps');
    const row = await getWebhookRow(deps.database, principal.accountId, c.req.valid('param').id);
    return c.json(toWebhook(row, deps.clock.now()), 200);
  },
);

webhooksRouter.openapi(
  createRoute({
    method: 'patch',
    path: '/{id}',
    summary: 'Change a webhook endpoint',
    description:
      '`enabled: true` brings back an endpoint disabled after failures; what it missed is still queued.',
    security: BEARER,
    request: { params: IdParam, body: jsonBody(UpdateWebhookRequestSchema) },
    responses: { 200: jsonResponse(WebhookSchema, 'The endpoint after the change'), ...ERRORS },
  }),
  async (c) => {
    const principal = manager(c);
    const body = c.req.valid('json');
    await refuseForbiddenTarget(c, body.url);
    const deps = c.get('deps');
    const updated = await updateWebhook(
      deps.database,
      principal.accountId,
      c.req.valid('param').id,
      body,
      deps.clock.now(),
    );
    deps.webhooks?.wake();
    return c.json(updated, 200);
  },
);

webhooksRouter.openapi(
  createRoute({
    method: 'delete',
    path: '/{id}',
    summary: 'Delete a webhook endpoint and its delivery log',
    security: BEARER,
    request: { params: IdParam },
    responses: { 204: { description: 'Deleted' }, ...ERRORS },
  }),
  async (c) => {
    const principal = manager(c);
    await deleteWebhook(c.get('deps').database, principal.accountId, c.req.valid('param').id);
    return c.body(null, 204);
  },
);

webhooksRouter.openapi(
  createRoute({
    method: 'post',
    path: '/{id}/rotate-secret',
    summary: 'Rotate the signing secret',
    description: 'The answer carries the new secret. The old one keeps signing, beside it, for 24 hours.',
    security: BEARER,
    request: { params: IdParam },
    responses: { 200: jsonResponse(WebhookWithSecretSchema, 'The endpoint with its new secret'), ...ERRORS },
  }),
  async (c) => {
    const principal = manager(c);
    const deps = c.get('deps');
    return c.json(
      await rotateSecret(deps.database, principal.accountId, c.req.valid('param').id, deps.clock.now()),
      200,
    );
  },
);

webhooksRouter.openapi(
  createRoute({
    method: 'post',
    path: '/{id}/test',
    summary: 'Send a test ping (`webhook.test`)',
    security: BEARER,
    request: { params: IdParam },
    responses: {
      202: jsonResponse(WebhookDeliverySchema, 'The queued delivery: follow it in the log'),
      ...ERRORS,
    },
  }),
  async (c) => {
    const principal = manager(c);
    const deps = c.get('deps');
    const delivery = await queueTestPing(
      deps.database,
      principal.accountId,
      c.req.valid('param').id,
      deps.clock.now(),
    );
    deps.webhooks?.wake();
    return c.json(delivery, 202);
  },
);

webhooksRouter.openapi(
  createRoute({
    method: 'get',
    path: '/{id}/deliveries',
    summary: 'The delivery log, newest first, with every attempt',
    security: BEARER,
    request: { params: IdParam, query: DeliveryListQuerySchema },
    responses: { 200: jsonResponse(WebhookDeliveryListSchema, 'Deliveries'), ...ERRORS },
  }),
  async (c) => {
    const principal = manager(c);
    const items = await listDeliveries(
      c.get('deps').database,
      principal.accountId,
      c.req.valid('param').id,
      c.req.valid('query'),
    );
    return c.json({ items }, 200);
  },
);

webhooksRouter.openapi(
  createRoute({
    method: 'post',
    path: '/{id}/deliveries/{deliveryId}/redeliver',
    summary: 'Send a delivery again (same `webhook-id`)',
    security: BEARER,
    request: { params: DeliveryParam },
    responses: { 202: jsonResponse(WebhookDeliverySchema, 'The delivery, due again'), ...ERRORS },
  }),
  async (c) => {
    const principal = manager(c);
    const deps = c.get('deps');
    const { id, deliveryId } = c.req.valid('param');
    const delivery = await redeliver(deps.database, principal.accountId, id, deliveryId, deps.clock.now());
    deps.webhooks?.wake();
    return c.json(delivery, 202);
  },
);
