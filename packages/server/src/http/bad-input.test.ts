import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { ErrorResponse } from '@resolutionflow/types';
import { getSettings } from '../domain/accounts.js';
import { createWorld, escalation, rowCounts, seedHandoff, type TestWorld } from '../test/harness.js';

type As = 'technician' | 'engineer' | 'admin' | 'apiKey';
interface Case {
  name: string;
  method?: string;
  path?: string;
  /** A string is sent as is (raw JSON); anything else is JSON-encoded. */
  body?: unknown;
  headers?: Record<string, string>;
  as?: As;
  status: number | number[];
  /** Field names `details.fields` must mention. */
  fields?: string[];
}

const step = (overrides: Record<string, unknown> = {}) => ({
  action: 'Restarted the spooler',
  outcome: 'failed',
  at: '2026-11-20T14:05:00Z',
  ...overrides,
});
const withTop = (raw: string) => `{${raw},${JSON.stringify(escalation()).slice(1)}`;
const withContext = (context: Record<string, unknown>) => escalation({ context });
const b64 = (value: unknown) => Buffer.from(JSON.stringify(value)).toString('base64url');
const ID = '3f0c6a2e-8d7b-4c1e-9a55-0b6f1d2e3c4a';

// prettier-ignore
const CASES: Case[] = [
  { name: 'malformed JSON', body: '{"title": ', status: 400 },
  { name: 'JSON with trailing garbage', body: '{"title":"x"} tail', status: 400 },
  { name: 'a JSON array', body: '[]', status: 400 },
  { name: 'JSON null', body: 'null', status: 400 },
  { name: 'no body at all', body: undefined, status: 400, fields: ['title', 'problemSummary'] },
  { name: 'a text/plain body', body: JSON.stringify(escalation()), headers: { 'Content-Type': 'text/plain' }, status: [400, 415] },
  { name: 'wrong types', body: escalation({ title: 42, priority: 'sometimes', tried: 'lots', context: 'x' }), status: 400, fields: ['title', 'priority', 'tried', 'context'] },
  { name: 'wrong types in a tried step', body: escalation({ tried: [{ action: 1, outcome: 'maybe', at: 'yesterday' }] }), status: 400, fields: ['action', 'outcome', 'at'] },
  { name: 'missing fields', body: {}, status: 400, fields: ['title', 'problemSummary'] },
  { name: 'missing fields in a tried step', body: escalation({ tried: [{}] }), status: 400, fields: ['action', 'outcome', 'at'] },
  { name: 'an extra top-level field', body: escalation({ admin: true }), status: 400, fields: ['admin'] },
  { name: 'an extra field in context', body: withContext({ client: 'Northwind', owner: 'me' }), status: 400, fields: ['owner'] },
  { name: 'an extra field in a tried step', body: escalation({ tried: [step({ score: 3 })] }), status: 400, fields: ['score'] },
  { name: 'a 5,000-character title', body: escalation({ title: 'x'.repeat(5000) }), status: 400, fields: ['title'] },
  { name: 'a 60,000-character summary', body: escalation({ problemSummary: 'x'.repeat(60_000) }), status: 400, fields: ['problemSummary'] },
  { name: 'a 1,000-character context value', body: withContext({ fields: { site: 'x'.repeat(1000) } }), status: 400, fields: ['site'] },
  { name: '101 tried steps', body: escalation({ tried: Array.from({ length: 101 }, () => step()) }), status: 400, fields: ['tried'] },
  { name: '10,000 tried steps', body: escalation({ tried: Array.from({ length: 10_000 }, () => step()) }), status: [400, 413] },
  { name: 'a body over 64 KB', body: escalation({ problemSummary: 'x'.repeat(70_000) }), status: 413 },
  { name: 'a roster body over 64 KB', method: 'PUT', path: '/v1/users/u-1', as: 'admin', body: { name: 'x'.repeat(70_000), role: 'engineer' }, status: 413 },
  { name: 'a bell in the title', body: escalation({ title: 'Printer\u0007' }), status: 400, fields: ['title'] },
  { name: 'a line break in the title', body: escalation({ title: 'two\nlines' }), status: 400, fields: ['title'] },
  { name: 'a NUL in a tried action', body: escalation({ tried: [step({ action: 'Reset\u0000' })] }), status: 400, fields: ['action'] },
  { name: 'an escape sequence in the summary', body: escalation({ problemSummary: '\u001b[31mred' }), status: 400, fields: ['problemSummary'] },
  { name: 'a lone high surrogate in the title', body: escalation({ title: 'a\uD800b' }), status: 400, fields: ['title'] },
  { name: 'a lone low surrogate in the summary', body: escalation({ problemSummary: '\uDC00 alone' }), status: 400, fields: ['problemSummary'] },
  { name: 'a lone surrogate in a tried action', body: escalation({ tried: [step({ action: 'x\uD83D' })] }), status: 400, fields: ['action'] },
  { name: '__proto__ at the top level', body: withTop('"__proto__":{"admin":true}'), status: 400, fields: ['__proto__'] },
  { name: 'constructor at the top level', body: withTop('"constructor":{"prototype":{"x":1}}'), status: 400, fields: ['constructor'] },
  { name: '__proto__ in context.fields', body: JSON.stringify(escalation()).replace('"context":{', '"context":{"fields":{"__proto__":"x"},'), status: 400, fields: ['__proto__'] },
  { name: 'constructor in context.fields', body: withContext({ fields: { constructor: 'x' } }), status: 400, fields: ['constructor'] },
  { name: 'prototype in context.fields', body: withContext({ fields: { prototype: 'x' } }), status: 400, fields: ['prototype'] },
  { name: 'a javascript: ticketUrl', body: withContext({ ticketUrl: 'javascript:alert(1)' }), status: 400, fields: ['ticketUrl'] },
  { name: 'a data: ticketUrl', body: withContext({ ticketUrl: 'data:text/html,<script>1</script>' }), status: 400, fields: ['ticketUrl'] },
  { name: 'an invalid cursor', method: 'GET', path: '/v1/handoffs?cursor=not-a-cursor', status: 400, fields: ['cursor'] },
  { name: 'a cursor of the wrong shape', method: 'GET', path: `/v1/handoffs?cursor=${b64({ t: 'soon', i: 7 })}`, status: 400, fields: ['cursor'] },
  { name: 'an over-long cursor', method: 'GET', path: `/v1/handoffs?cursor=${'A'.repeat(600)}`, status: 400, fields: ['cursor'] },
  // Values a database column refuses (PostgreSQL: bigint out of range, a fraction, NUL in text) must not reach it.
  { name: 'a cursor past bigint', method: 'GET', path: `/v1/handoffs?cursor=${b64({ t: 1e300, i: 'x' })}`, status: 400, fields: ['cursor'] },
  { name: 'a cursor with a fraction', method: 'GET', path: `/v1/handoffs?cursor=${b64({ r: 1.5, t: 1.5, i: 'x' })}`, status: 400, fields: ['cursor'] },
  { name: 'a cursor id with NUL', method: 'GET', path: `/v1/handoffs?cursor=${b64({ t: 1, i: 'a\u0000b' })}`, status: 400, fields: ['cursor'] },
  { name: 'an invalid status filter', method: 'GET', path: '/v1/handoffs?status=open,bogus', status: 400, fields: ['status'] },
  { name: 'an empty status filter', method: 'GET', path: '/v1/handoffs?status=', status: 400, fields: ['status'] },
  { name: 'an invalid order', method: 'GET', path: '/v1/handoffs?order=random', status: 400, fields: ['order'] },
  { name: 'limit 0', method: 'GET', path: '/v1/handoffs?limit=0', status: 400, fields: ['limit'] },
  { name: 'limit 101', method: 'GET', path: '/v1/handoffs?limit=101', status: 400, fields: ['limit'] },
  { name: 'limit 1.5', method: 'GET', path: '/v1/handoffs?limit=1.5', status: 400, fields: ['limit'] },
  { name: 'limit abc', method: 'GET', path: '/v1/handoffs?limit=abc', status: 400, fields: ['limit'] },
  { name: 'an unknown query parameter', method: 'GET', path: '/v1/handoffs?sort=asc', status: 400, fields: ['sort'] },
  { name: 'a non-UUID id', method: 'GET', path: '/v1/handoffs/123', status: 400, fields: ['id'] },
  { name: 'an SQL-ish id', method: 'GET', path: "/v1/handoffs/'%20OR%201=1--", status: 400, fields: ['id'] },
  { name: 'a non-UUID id on claim', method: 'POST', path: '/v1/handoffs/not-a-uuid/claim', as: 'engineer', status: 400, fields: ['id'] },
  { name: 'a non-UUID id on cancel', method: 'POST', path: `/v1/handoffs/${ID}x/cancel`, status: 400, fields: ['id'] },
  { name: 'a roster id with spaces', method: 'PUT', path: '/v1/users/bad%20id', as: 'admin', body: { name: 'N', role: 'viewer' }, status: 400, fields: ['id'] },
  { name: 'a roster role that does not exist', method: 'PUT', path: '/v1/users/u-1', as: 'apiKey', body: { name: 'N', role: 'superuser', email: 'nope' }, status: 400, fields: ['role', 'email'] },
  { name: 'a negative baseline', method: 'PUT', path: '/v1/account/settings', as: 'admin', body: { manualBaselineMinutes: -5 }, status: 400, fields: ['manualBaselineMinutes'] },
  { name: 'a baseline as text', method: 'PUT', path: '/v1/account/settings', as: 'admin', body: { manualBaselineMinutes: 'ten' }, status: 400, fields: ['manualBaselineMinutes'] },
  { name: 'a javascript: origin', method: 'PUT', path: '/v1/account/settings', as: 'admin', body: { allowedOrigins: ['javascript:alert(1)'] }, status: 400, fields: ['allowedOrigins'] },
  { name: 'an origin with a path', method: 'PUT', path: '/v1/account/settings', as: 'admin', body: { allowedOrigins: ['https://a.example/x'] }, status: 400, fields: ['allowedOrigins'] },
  { name: 'a Basic Authorization header', headers: { Authorization: 'Basic dXNlcjpwYXNz' }, body: escalation(), status: 401 },
  { name: 'a token that is not a JWT', headers: { Authorization: 'Bearer a.b.c' }, body: escalation(), status: 401 },
];

/** Anything that looks like a stack frame or a server path. */
const STACK = /\bat [\w$.<>[\]]+ \(|\bat (file:|\/)|file:\/\/|node_modules|\/work\/|\.(ts|js):\d+/;

/** True when `details.fields` names `field`: as a path segment, or quoted in the message. */
const names = (fields: { path: string; message: string }[], field: string) =>
  fields.some((entry) => entry.path.split('.').includes(field) || entry.message.includes(`"${field}"`));

let world: TestWorld;
let tokens: Record<As, string>;
beforeAll(async () => {
  world = await createWorld();
  await seedHandoff(world.database, world.a.id);
  tokens = {
    technician: await world.a.token('technician'),
    engineer: await world.a.token('engineer'),
    admin: await world.a.token('admin'),
    apiKey: world.a.apiKey,
  };
  // Users are recorded on first sight; see them once so the counts below only move on a change.
  for (const token of Object.values(tokens)) await world.call('GET', '/v1/me', { token });
});
afterAll(() => world.close());

describe(`bad input (${CASES.length} cases)`, () => {
  it.each(CASES)('should answer $name with a 4xx JSON error and change nothing', async (c) => {
    const before = {
      rows: await rowCounts(world.database),
      settings: await getSettings(world.database, world.a.id),
    };
    const headers: Record<string, string> = { Authorization: `Bearer ${tokens[c.as ?? 'technician']}` };
    if (c.body !== undefined) headers['Content-Type'] = 'application/json';
    const response = await world.app.request(c.path ?? '/v1/handoffs', {
      method: c.method ?? 'POST',
      headers: { ...headers, ...c.headers },
      ...(c.body === undefined ? {} : { body: typeof c.body === 'string' ? c.body : JSON.stringify(c.body) }),
    });
    const text = await response.text();

    expect([c.status].flat(), text.slice(0, 300)).toContain(response.status);
    expect(response.headers.get('content-type')).toMatch(/^application\/json/);
    const { error } = JSON.parse(text) as ErrorResponse;
    expect(error).toEqual(expect.objectContaining({ code: expect.any(String), message: expect.any(String) }));
    expect(text).not.toMatch(STACK);
    if (c.fields) {
      const fields = (error.details as { fields: { path: string; message: string }[] }).fields;
      for (const field of c.fields)
        expect(names(fields, field), `${field} in ${JSON.stringify(fields)}`).toBe(true);
    }
    expect({
      rows: await rowCounts(world.database),
      settings: await getSettings(world.database, world.a.id),
    }).toEqual(before);
  });
});
