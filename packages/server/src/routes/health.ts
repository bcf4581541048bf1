import { createRoute } from '@hono/zod-openapi';
import { HealthSchema } from '@resolutionflow/types';
import { createRouter, jsonResponse } from '../http/router.js';

/** `/healthz` (the process answers) and `/readyz` (the database answers). */
export const healthRouter = createRouter();

healthRouter.openapi(
  createRoute({
    method: 'get',
    path: '/healthz',
    summary: 'Liveness',
    responses: { 200: jsonResponse(HealthSchema, 'The process is up') },
  }),
  (c) => c.json({ status: 'ok' as const }, 200),
);

healthRouter.openapi(
  createRoute({
    method: 'get',
    path: '/readyz',
    summary: 'Readiness: the database answers',
    responses: {
      200: jsonResponse(HealthSchema, 'Ready'),
      503: jsonResponse(HealthSchema, 'The database does not answer'),
    },
  }),
  async (c) => {
    try {
      await c.get('deps').database.ping();
      return c.json({ status: 'ok' as const }, 200);
    } catch {
      return c.json({ status: 'unavailable' as const }, 503);
    }
  },
);
