import { createRoute } from '@hono/zod-openapi';
import { MeResponseSchema } from '@resolutionflow/types';
import { permissionsOf } from '../auth/permissions.js';
import { findAccount } from '../domain/accounts.js';
import { notFound } from '../errors.js';
import { AUTH_ERRORS, BEARER, createRouter, jsonResponse } from '../http/router.js';

/** `/v1/me`: who the token says you are and what you may do. */
export const meRouter = createRouter();

meRouter.openapi(
  createRoute({
    method: 'get',
    path: '/',
    summary: 'The caller: user, role, account and permissions',
    security: BEARER,
    responses: { 200: jsonResponse(MeResponseSchema, 'The caller'), ...AUTH_ERRORS },
  }),
  async (c) => {
    const principal = c.get('principal');
    const account = await findAccount(c.get('deps').database, principal.accountId);
    if (!account) throw notFound('Account');
    return c.json(
      {
        auth: principal.kind,
        user: principal.user,
        account: { id: account.id, name: account.name },
        permissions: permissionsOf(principal),
      },
      200,
    );
  },
);
