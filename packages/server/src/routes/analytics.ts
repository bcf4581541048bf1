import { createRoute } from '@hono/zod-openapi';
import { AnalyticsQuerySchema, EscalationAnalyticsSchema } from '@resolutionflow/types';
import { requirePermission } from '../auth/require.js';
import { escalationAnalytics } from '../domain/analytics.js';
import { AUTH_ERRORS, BEARER, createRouter, jsonResponse } from '../http/router.js';

/** `/v1/analytics`: the owner's view of escalations (engineer and up). */
export const analyticsRouter = createRouter();

analyticsRouter.openapi(
  createRoute({
    method: 'get',
    path: '/escalations',
    summary: 'Escalation figures for a period',
    description:
      'Created, claimed, conversion, time to claim (median, p90), in-product time from claim to first action (median), a zero-filled daily trend, and minutes recovered only when the account has a manual baseline.',
    security: BEARER,
    request: { query: AnalyticsQuerySchema },
    responses: { 200: jsonResponse(EscalationAnalyticsSchema, 'The figures'), ...AUTH_ERRORS },
  }),
  async (c) => {
    const principal = requirePermission(c, 'analytics');
    const deps = c.get('deps');
    return c.json(
      await escalationAnalytics(
        deps.database,
        principal.accountId,
        c.req.valid('query').period,
        deps.clock.now(),
      ),
      200,
    );
  },
);
