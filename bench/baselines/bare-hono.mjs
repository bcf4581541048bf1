// The floor for the HTTP benchmarks: Hono on @hono/node-server doing only JSON in and out.
import { randomUUID } from 'node:crypto';
import { serve } from '@hono/node-server';
import { Hono } from 'hono';
import { escalationBody } from '../lib/setup-shapes.mjs';

const page = {
  items: Array.from({ length: 50 }, (_, n) => ({
    id: randomUUID(),
    intent: 'escalate',
    status: 'open',
    ...escalationBody(n),
    hostSessionId: null,
    assessment: { status: 'disabled' },
    createdBy: { id: 'bench-user', name: 'Bench User' },
    claimedBy: null,
    createdAt: new Date().toISOString(),
    claimedAt: null,
    startedAt: null,
    resolvedAt: null,
    cancelledAt: null,
  })),
  nextCursor: 'eyJyIjozLCJ0IjoxNzAwMDAwMDAwMDAwLCJpIjoiYWJjIn0',
};

const app = new Hono();
app.get('/healthz', (c) => c.json({ status: 'ok' }));
app.post('/v1/handoffs', async (c) => {
  const body = await c.req.json();
  return c.json({ id: randomUUID(), status: 'open', ...body }, 201);
});
app.get('/v1/handoffs', (c) => c.json(page));
serve({ fetch: app.fetch, port: Number(process.env.PORT), hostname: '127.0.0.1' });
