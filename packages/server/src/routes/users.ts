import { createRoute } from '@hono/zod-openapi';
import { UpsertUserRequestSchema, UserIdParamSchema, UserSchema } from '@resolutionflow/types';
import { requirePermission } from '../auth/require.js';
import { toUser, upsertUser } from '../domain/users.js';
import { AUTH_ERRORS, BEARER, createRouter, jsonBody, jsonResponse } from '../http/router.js';

/** `/v1/users`: roster sync from the host (who is an engineer, where to mail them). */
export const usersRouter = createRouter();

usersRouter.openapi(
  createRoute({
    method: 'put',
    path: '/{id}',
    summary: 'Create or update a user of the account',
    description: 'API key or admin. Engineers and admins with an e-mail get escalation mail.',
    security: BEARER,
    request: { params: UserIdParamSchema, body: jsonBody(UpsertUserRequestSchema) },
    responses: { 200: jsonResponse(UserSchema, 'The user as stored'), ...AUTH_ERRORS },
  }),
  async (c) => {
    const principal = requirePermission(c, 'manageUsers');
    const body = c.req.valid('json');
    const deps = c.get('deps');
    const row = await upsertUser(
      deps.database,
      principal.accountId,
      { id: c.req.valid('param').id, name: body.name, email: body.email ?? null, role: body.role },
      deps.clock.now(),
    );
    return c.json(toUser(row), 200);
  },
);
