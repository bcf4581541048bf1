import { afterAll, describe, expect, it } from 'vitest';
import { HANDOFF_EVENT_TYPES, type Handoff } from '@resolutionflow/types';
import { sql } from 'drizzle-orm';
import { findUser } from '../domain/users.js';
import { fingerprint } from '../test/db-fingerprint.js';
import { createWorld, listen } from '../test/harness.js';
import { hostileCorpus, type HostileCase } from '../test/hostile-corpus.js';
import { SOAK } from '../test/soak.js';
import { rawHeaderCases } from '../test/raw-header-cases.js';
import { rawRequest, send } from '../test/raw-http.js';
import { queryNumber } from '../test/sql.js';
import { SseClient } from '../test/sse-client.js';

/** Anything that looks like a stack frame or a server path. */
const STACK = /\bat [\w$.<>[\]]+ \(|\bat (file:|\/)|file:\/\/|node_modules|\/work\/|\/home\/|\.(ts|js):\d+/;

const world = await createWorld();
const server = await listen(world.app);
const tokens: Record<HostileCase['as'], string> = {
  technician: await world.a.token('technician'),
  admin: await world.a.token('admin'),
  apiKey: world.a.apiKey,
};
// Users are recorded on first sight: see each once, so a refusal must leave every table as it was.
for (const token of Object.values(tokens)) await world.call('GET', '/v1/me', { token });
const watcher = await SseClient.connect(`${server.url}/v1/stream`, {
  Authorization: `Bearer ${tokens.technician}`,
});
afterAll(async () => {
  watcher.close();
  await server.close();
  await world.close();
});

const CORPUS = hostileCorpus({ everyField: SOAK });
const CATEGORIES = [...new Set(CORPUS.map((c) => c.category))];
const tally = {
  cases: 0,
  accepted: 0,
  refused: 0,
  serverErrors: 0,
  stackTraces: 0,
  crashes: 0,
  changedByRefusal: 0,
  roundTrips: 0,
};
const statuses: Record<number, number> = {};
const created: Handoff[] = [];
let current = await fingerprint(world.database);

const getIn = (value: unknown, path: (string | number)[]) =>
  path.reduce<unknown>((node, key) => (node as Record<string | number, unknown> | undefined)?.[key], value);

/** Reads an accepted value back the way a client would, and checks it is exactly what was sent. */
async function readBack(c: HostileCase, path: string, text: string): Promise<string[]> {
  if (!c.stored) return [];
  const { read, path: at, value } = c.stored;
  let stored: unknown;
  if (read === 'handoff') {
    const { id } = JSON.parse(text) as Handoff;
    const response = await fetch(`${server.url}/v1/handoffs/${id}`, {
      headers: { Authorization: `Bearer ${tokens.technician}` },
    });
    const body = await response.text();
    const handoff = JSON.parse(body) as Handoff;
    created.push(handoff);
    stored = getIn(handoff, at);
    // Returned as JSON text (escaped by JSON's rules), never as markup.
    if (!response.headers.get('content-type')?.startsWith('application/json'))
      return ['read back without a JSON content type'];
    if (typeof value === 'string' && !body.includes(JSON.stringify(value).slice(1, -1)))
      return ['not JSON-escaped as expected'];
  } else if (read === 'user') {
    stored = getIn(
      await findUser(world.database, world.a.id, decodeURIComponent(path.split('/').at(-1)!)),
      at,
    );
  } else {
    const response = await fetch(`${server.url}/v1/account/settings`, {
      headers: { Authorization: `Bearer ${tokens.admin}` },
    });
    stored = getIn(await response.json(), at);
  }
  tally.roundTrips += 1;
  return Object.is(stored, value) || JSON.stringify(stored) === JSON.stringify(value)
    ? []
    : [`stored ${JSON.stringify(stored)?.slice(0, 80)} instead of ${JSON.stringify(value).slice(0, 80)}`];
}

/** Sends one case and returns what went wrong with it (nothing, ideally). */
async function run(c: HostileCase, n: number): Promise<string[]> {
  const path = c.path.replace('{user}', `hostile-user-${n}`);
  const headers: Record<string, string> = { Authorization: `Bearer ${tokens[c.as]}` };
  if (c.body !== undefined && c.contentType !== null)
    headers['Content-Type'] = c.contentType ?? 'application/json';
  const { status, text } = await send(server.url, c.method, path, { ...headers, ...c.headers }, c.body);
  const problems: string[] = [];
  tally.cases += 1;
  statuses[status] = (statuses[status] ?? 0) + 1;
  if (status >= 500) {
    tally.serverErrors += 1;
    problems.push(`answered ${status}`);
  }
  if (STACK.test(text)) {
    tally.stackTraces += 1;
    problems.push(`internals in the body: ${text.slice(0, 160)}`);
  }
  if (!(await fetch(`${server.url}/healthz`)).ok) {
    tally.crashes += 1;
    problems.push('the server stopped answering');
  }

  const after = await fingerprint(world.database);
  if (status < 300) {
    tally.accepted += 1;
    if (c.verdict === 'reject')
      problems.push(`accepted (${status}) what must be refused: ${text.slice(0, 120)}`);
    else problems.push(...(await readBack(c, path, text)));
  } else {
    tally.refused += 1;
    if (c.verdict === 'accept')
      problems.push(`refused (${status}) what must be accepted: ${text.slice(0, 200)}`);
    if (c.statuses && !c.statuses.includes(status))
      problems.push(`answered ${status}, expected ${c.statuses.join('/')}`);
    if (text && !/^\{"error":\{"code":"[a-z_]+","message":/.test(text))
      problems.push(`not a JSON error: ${text.slice(0, 120)}`);
    if (after.checksum !== current.checksum) {
      tally.changedByRefusal += 1;
      problems.push('a refused request changed the database');
    }
  }
  current = after;
  return problems.map((problem) => `${c.name}: ${problem}`);
}

describe(`hostile input (${CORPUS.length} cases over HTTP + raw-socket header cases)`, () => {
  it.each(CATEGORIES)(
    'should answer every %s case with a 4xx or a verbatim store, never a 5xx or a change on refusal',
    async (category) => {
      const problems: string[] = [];
      for (const [n, c] of CORPUS.entries()) if (c.category === category) problems.push(...(await run(c, n)));
      expect(problems).toEqual([]);
    },
  );

  it('should refuse CR, LF and NUL in headers without a 5xx, an injected field or a change', async () => {
    const problems: string[] = [];
    for (const { name, request } of rawHeaderCases(tokens)) {
      const { status, text } = await rawRequest(server.url, request);
      tally.cases += 1;
      statuses[status] = (statuses[status] ?? 0) + 1;
      if (status < 300) tally.accepted += 1;
      else tally.refused += 1;
      if (status === 0 || status >= 500) problems.push(`${name}: answered ${status || 'nothing'}`);
      if (/^(id: 999999|event: handoff\.claimed|X-Injected)/m.test(text))
        problems.push(`${name}: injected field in ${text.slice(0, 200)}`);
      if (STACK.test(text)) problems.push(`${name}: internals in ${text.slice(0, 200)}`);
      if (!(await fetch(`${server.url}/healthz`)).ok) problems.push(`${name}: the server stopped answering`);
    }
    const after = await fingerprint(world.database);
    if (after.checksum !== current.checksum) problems.push('raw header cases changed the database');
    expect(problems).toEqual([]);
  });

  it('should keep every stream frame well-formed and deliver each accepted create once, as stored', async () => {
    const last = await queryNumber(
      world.database,
      sql`SELECT max(seq) FROM events WHERE account_id = ${world.a.id}`,
    );
    await watcher.until((c) => c.ids.at(-1) === last, 10_000);
    for (const frame of watcher.frames) {
      expect(Object.keys(frame).sort()).toEqual(['data', 'event', 'id']);
      expect(frame.id).toMatch(/^1\.\d+$/);
      expect(HANDOFF_EVENT_TYPES).toContain(frame.event);
    }
    const createdFrames = watcher.frames
      .filter((frame) => frame.event === 'handoff.created')
      .map((frame) => JSON.parse(frame.data!) as { handoff: Handoff });
    for (const handoff of created)
      expect(createdFrames.filter((frame) => frame.handoff.id === handoff.id).map((f) => f.handoff)).toEqual([
        handoff,
      ]);
    // Nothing reached Object.prototype through a `__proto__` or `constructor` key.
    expect(({} as Record<string, unknown>).polluted).toBeUndefined();
    expect(Object.prototype.hasOwnProperty.call(Object.prototype, 'role')).toBe(false);

    console.log(
      `hostile input: ${tally.cases} cases (${CATEGORIES.map((c) => `${c} ${CORPUS.filter((x) => x.category === c).length}`).join(', ')}, raw headers ${rawHeaderCases(tokens).length}); ` +
        `${tally.accepted} accepted, ${tally.refused} refused (${Object.entries(statuses)
          .map(([s, n]) => `${s}×${n}`)
          .join(', ')}); ` +
        `${tally.roundTrips} accepted values read back verbatim; ${watcher.frames.length} stream frames well-formed; ` +
        `${tally.serverErrors} 5xx, ${tally.stackTraces} stack traces or paths, ${tally.crashes} crashes, ${tally.changedByRefusal} refusals that changed the database`,
    );
  });
});
