import { z } from '@hono/zod-openapi';
import { createRoute } from '@hono/zod-openapi';
import { createRouter, jsonResponse } from '../http/router.js';
import { createEmbedToken } from '../token.js';
import { DEMO_PERSONAS, type DemoPersona } from './personas.js';
import type { DemoContext } from './seed.js';

const DemoTokenQuery = z.strictObject({
  persona: z.enum(Object.keys(DEMO_PERSONAS) as [DemoPersona, ...DemoPersona[]]),
});

const DemoTokenResponse = z.object({
  token: z.string(),
  expiresIn: z.number(),
  user: z.object({ id: z.string(), name: z.string(), role: z.string() }),
});

/** Demo mode only: mints short-lived tokens for the demo personas. */
export function demoRouter(demo: DemoContext) {
  const router = createRouter();
  router.openapi(
    createRoute({
      method: 'get',
      path: '/token',
      summary: 'A token for a demo persona (demo mode only)',
      request: { query: DemoTokenQuery },
      responses: { 200: jsonResponse(DemoTokenResponse, 'A fresh embed token') },
    }),
    async (c) => {
      const persona = DEMO_PERSONAS[c.req.valid('query').persona];
      const ttl = 15 * 60;
      const token = await createEmbedToken({
        privateKey: demo.privateJwk,
        user: persona,
        role: persona.role,
        ttl,
        now: Math.floor(c.get('deps').clock.now() / 1000),
      });
      c.header('Cache-Control', 'no-store');
      return c.json(
        { token, expiresIn: ttl, user: { id: persona.id, name: persona.name, role: persona.role } },
        200,
      );
    },
  );
  return router;
}
