// The floor for durable creates on PostgreSQL: the bare Hono POST of bare-hono.mjs plus the least
// durable work a create can do: one INSERT of the request body per request, in its own transaction
// (autocommit, so one commit flush each, shared with concurrent commits as PostgreSQL does), over
// postgres.js with the pool size our server uses. No validation, no auth, no event, nothing of ours.
// DATABASE_URL: a database of the benchmark's durable cluster; the table is created here.
import { randomUUID } from 'node:crypto';
import { serve } from '@hono/node-server';
import { Hono } from 'hono';
import postgres from 'postgres';

const sql = postgres(process.env.DATABASE_URL, {
  max: Number(process.env.DATABASE_POOL_SIZE ?? 10),
  onnotice: () => undefined,
});
await sql`CREATE TABLE IF NOT EXISTS floor_creates (id uuid PRIMARY KEY, body jsonb NOT NULL)`;

const app = new Hono();
app.get('/healthz', (c) => c.json({ status: 'ok' }));
app.post('/v1/handoffs', async (c) => {
  const body = await c.req.json();
  const id = randomUUID();
  await sql`INSERT INTO floor_creates (id, body) VALUES (${id}, ${sql.json(body)})`;
  return c.json({ id, status: 'open', ...body }, 201);
});
serve({ fetch: app.fetch, port: Number(process.env.PORT), hostname: '127.0.0.1' });
