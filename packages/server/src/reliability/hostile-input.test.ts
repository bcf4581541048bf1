import { connect } from 'node:net';
import { afterAll, describe, expect, it } from 'vitest';
import { HANDOFF_EVENT_TYPES, type Handoff } from '@resolutionflow/types';
import { findUser } from '../domain/users.js';
import { fingerprint } from '../test/db-fingerprint.js';
import { createWorld, listen } from '../test/harness.js';
import { hostileCorpus, type HostileCase } from '../test/hostile-corpus.js';
import { SOAK } from '../test/soak.js';
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
let current = fingerprint(world.database);

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
    stored = getIn(findUser(world.database, world.a.id, decodeURIComponent(path.split('/').at(-1)!)), at);
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

/**
 * One request over real HTTP; a stream is read only as far as its head. When
 * the server answers a large body early (413) and stops reading, undici reports
 * the failed upload instead of the answer, so the answer is read over a raw socket.
 */
async function send(
  method: string,
  path: string,
  headers: Record<string, string>,
  body?: string | Uint8Array,
) {
  const aborter = new AbortController();
  try {
    const response = await fetch(`${server.url}${path}`, {
      method,
      headers,
      signal: aborter.signal,
      ...(body === undefined ? {} : { body }),
    });
    const streaming = response.headers.get('content-type')?.startsWith('text/event-stream') ?? false;
    const text = streaming ? '' : await response.text();
    return { status: response.status, text };
  } catch (error) {
    if (body === undefined) throw error;
    const head = Object.entries(headers)
      .map(([name, value]) => `${name}: ${value}\r\n`)
      .join('');
    const length = typeof body === 'string' ? Buffer.byteLength(body) : body.length;
    const answer = await rawRequest(
      `${method} ${path} HTTP/1.1\r\nHost: 127.0.0.1\r\n${head}Content-Length: ${length}\r\nConnection: close\r\n\r\n`,
      body,
    );
    return { status: answer.status, text: answer.text.slice(answer.text.indexOf('\r\n\r\n') + 4) };
  } finally {
    aborter.abort();
  }
}

/** Sends one case and returns what went wrong with it (nothing, ideally). */
async function run(c: HostileCase, n: number): Promise<string[]> {
  const path = c.path.replace('{user}', `hostile-user-${n}`);
  const headers: Record<string, string> = { Authorization: `Bearer ${tokens[c.as]}` };
  if (c.body !== undefined && c.contentType !== null)
    headers['Content-Type'] = c.contentType ?? 'application/json';
  const { status, text } = await send(c.method, path, { ...headers, ...c.headers }, c.body);
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

  const after = fingerprint(world.database);
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

/** Writes a request byte for byte (CR, LF and NUL where no HTTP client would put them) and reads the answer. */
function rawRequest(request: string, body?: string | Uint8Array): Promise<{ status: number; text: string }> {
  return new Promise((resolve, reject) => {
    const socket = connect(Number(new URL(server.url).port), '127.0.0.1');
    let text = '';
    const done = () => {
      socket.destroy();
      resolve({ status: Number(/^HTTP\/1\.1 (\d{3})/.exec(text)?.[1] ?? 0), text });
    };
    socket.setEncoding('latin1');
    socket.on('data', (chunk: string) => {
      text += chunk;
      if (text.includes('text/event-stream') && text.includes(': connected\n\n')) done();
    });
    socket.on('end', done);
    // A server that answered early may close before the whole body is written: keep what it answered.
    socket.on('error', (error) => (text ? done() : reject(error)));
    socket.write(request);
    socket.end(body ?? '');
  });
}
const rawCases = () => {
  const head = (line: string, path = '/v1/stream', token = tokens.technician) =>
    `GET ${path} HTTP/1.1\r\nHost: 127.0.0.1\r\nAuthorization: Bearer ${token}\r\n${line}\r\nConnection: close\r\n\r\n`;
  return [
    { name: 'Last-Event-ID with a bare LF and an id field', request: head('Last-Event-ID: 1\nid: 999999') },
    {
      name: 'Last-Event-ID with a bare CR and an event field',
      request: head('Last-Event-ID: 1\revent: handoff.claimed'),
    },
    { name: 'Last-Event-ID then a CRLF-injected header', request: head('Last-Event-ID: 0\r\nX-Injected: 1') },
    { name: 'Last-Event-ID sent twice', request: head('Last-Event-ID: 0\r\nLast-Event-ID: 999999') },
    { name: 'a NUL in X-Acting-User', request: head('X-Acting-User: a\u0000b', '/v1/me', tokens.apiKey) },
    {
      name: 'an obsolete folded X-Acting-User',
      request: head('X-Acting-User: a\r\n b', '/v1/me', tokens.apiKey),
    },
    {
      name: 'a bare CR in Authorization',
      request: `GET /v1/me HTTP/1.1\r\nHost: x\r\nAuthorization: Bearer ${tokens.apiKey}\rX: y\r\nConnection: close\r\n\r\n`,
    },
    {
      name: 'a CR in the request line',
      request: 'GET /v1/me\rX: y HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n',
    },
    { name: 'a header name with spaces', request: head('Last Event ID: 1') },
    {
      name: 'Content-Length and Transfer-Encoding (smuggling)',
      request: `POST /v1/handoffs HTTP/1.1\r\nHost: x\r\nAuthorization: Bearer ${tokens.technician}\r\nContent-Type: application/json\r\nContent-Length: 4\r\nTransfer-Encoding: chunked\r\nConnection: close\r\n\r\n0\r\n\r\nPOST /v1/handoffs HTTP/1.1\r\n\r\n`,
    },
    {
      name: 'a negative Content-Length',
      request: `POST /v1/handoffs HTTP/1.1\r\nHost: x\r\nAuthorization: Bearer ${tokens.technician}\r\nContent-Length: -1\r\nConnection: close\r\n\r\n`,
    },
  ];
};

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
    for (const { name, request } of rawCases()) {
      const { status, text } = await rawRequest(request);
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
    const after = fingerprint(world.database);
    if (after.checksum !== current.checksum) problems.push('raw header cases changed the database');
    expect(problems).toEqual([]);
  });

  it('should keep every stream frame well-formed and deliver each accepted create once, as stored', async () => {
    const last = world.database.sqlite.prepare('SELECT max(seq) FROM events').pluck().get() as number;
    await watcher.until((c) => c.ids.at(-1) === last, 10_000);
    for (const frame of watcher.frames) {
      expect(Object.keys(frame).sort()).toEqual(['data', 'event', 'id']);
      expect(frame.id).toMatch(/^\d+$/);
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
      `hostile input: ${tally.cases} cases (${CATEGORIES.map((c) => `${c} ${CORPUS.filter((x) => x.category === c).length}`).join(', ')}, raw headers ${rawCases().length}); ` +
        `${tally.accepted} accepted, ${tally.refused} refused (${Object.entries(statuses)
          .map(([s, n]) => `${s}×${n}`)
          .join(', ')}); ` +
        `${tally.roundTrips} accepted values read back verbatim; ${watcher.frames.length} stream frames well-formed; ` +
        `${tally.serverErrors} 5xx, ${tally.stackTraces} stack traces or paths, ${tally.crashes} crashes, ${tally.changedByRefusal} refusals that changed the database`,
    );
  });
});
