import { createRoute } from '@hono/zod-openapi';
import { AccountSettingsSchema, UpdateAccountSettingsRequestSchema } from '@resolutionflow/types';
import { requirePermission } from '../auth/require.js';
import { getSettings, updateSettings } from '../domain/accounts.js';
import { AUTH_ERRORS, BEARER, createRouter, jsonBody, jsonResponse } from '../http/router.js';

/** `/v1/account/settings`: the manual baseline and allowed origins (admin). */
export const accountRouter = createRouter();

accountRouter.openapi(
  createRoute({
    method: 'get',
    path: '/settings',
    summary: "The account's settings",
    security: BEARER,
    responses: { 200: jsonResponse(AccountSettingsSchema, 'The settings'), ...AUTH_ERRORS },
  }),
  async (c) => {
    const principal = requirePermission(c, 'manageAccount');
    return c.json(await getSettings(c.get('deps').database, principal.accountId), 200);
  },
);

accountRouter.openapi(
  createRoute({
    method: 'put',
    path: '/settings',
    summary: "Update the account's settings",
    description:
      'Fields left out stay as they are. `manualBaselineMinutes` is the stopwatch-measured length of a verbal handoff; `null` removes it.',
    security: BEARER,
    request: { body: jsonBody(UpdateAccountSettingsRequestSchema) },
    responses: { 200: jsonResponse(AccountSettingsSchema, 'The settings after the change'), ...AUTH_ERRORS },
  }),
  async (c) => {
    const principal = requirePermission(c, 'manageAccount');
    const deps = c.get('deps');
    const settings = await updateSettings(
      deps.database,
      principal.accountId,
      c.req.valid('json'),
      deps.clock.now(),
    );
    deps.origins.invalidate();
    return c.json(settings, 200);
  },
);
