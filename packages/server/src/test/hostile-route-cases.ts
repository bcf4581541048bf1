import { baseUser, create, stored, user, valid, type HostileCase } from './hostile-case.js';
import type { Verdict } from './hostile-payloads.js';

/** Hostile ids in paths, content types, and header values a client can send. */
export function routeCases(): HostileCase[] {
  const ids = [
    "'%20OR%201=1--",
    '..%2F..%2Fetc%2Fpasswd',
    '%0D%0ASet-Cookie:%20x=y',
    '%00',
    '3f0c6a2e-8d7b-4c1e-9a55-0b6f1d2e3c4a%0A',
  ];
  const transitions = ['claim', 'release', 'start', 'resolve', 'cancel'].flatMap((action) =>
    ids.map((id): HostileCase => ({
      category: 'path ids',
      name: `${action} ${id}`,
      method: 'POST',
      path: `/v1/handoffs/${id}/${action}`,
      as: 'admin',
      verdict: 'reject',
    })),
  );
  const rosterIds = ['a%20b', "o'neil", '%0D%0Ainjected', '%E2%80%AEtxt.exe', '%3Cscript%3E'].map((id) =>
    user('path ids', `roster id ${id}`, baseUser(), 'reject', `/v1/users/${id}`),
  );
  const reserved = ['__proto__', 'constructor'].map((id) =>
    user('path ids', `roster id ${id}`, baseUser(), 'either', `/v1/users/${id}`, {
      stored: { read: 'user', path: ['name'], value: 'Sam Roster' },
    }),
  );
  const type = (
    name: string,
    contentType: string | null,
    verdict: Verdict,
    body: string | Uint8Array = valid,
  ) =>
    create('content type', name, body, verdict, {
      contentType,
      ...(verdict === 'reject' ? {} : stored(['title'], 'Printer offline')),
    });
  const head = (
    name: string,
    path: string,
    headers: Record<string, string>,
    as: HostileCase['as'] = 'apiKey',
  ): HostileCase => ({
    category: 'headers',
    name,
    method: 'GET',
    path,
    as,
    headers,
    verdict: 'reject',
  });
  const views = [
    'all',
    'MINE',
    "open' OR '1'='1",
    '<script>',
    'open,mine',
    '',
    'o'.repeat(5000),
    'open&status=open',
    'mine&cursor=%7B%22t%22%3A-1%7D',
  ].map((view): HostileCase => ({
    category: 'queue views',
    name: `view ${JSON.stringify(view.slice(0, 40))}`,
    method: 'GET',
    path: `/v1/handoffs?view=${view.startsWith('o'.repeat(5000)) ? view : view.replace(/ /g, '%20')}`,
    as: 'admin',
    verdict: 'reject',
  }));
  return [
    ...transitions,
    ...views,
    // An API key acting as nobody has no "mine".
    {
      category: 'queue views',
      name: 'mine without a user',
      method: 'GET',
      path: '/v1/handoffs?view=mine',
      as: 'apiKey',
      verdict: 'reject',
    },
    {
      category: 'path ids',
      name: 'a 20,000-character handoff id',
      method: 'POST',
      path: `/v1/handoffs/${'a'.repeat(20_000)}/claim`,
      as: 'admin',
      verdict: 'reject',
    },
    ...rosterIds,
    ...reserved,
    type('text/plain', 'text/plain', 'reject'),
    type('form-urlencoded', 'application/x-www-form-urlencoded', 'reject', 'title=x&problemSummary=y'),
    type(
      'multipart',
      'multipart/form-data; boundary=x',
      'reject',
      '--x\r\nContent-Disposition: form-data; name="title"\r\n\r\nx\r\n--x--',
    ),
    type('no content type', null, 'reject'),
    type('upper-case JSON', 'APPLICATION/JSON', 'either'),
    type('JSON with a charset', 'application/json; charset=utf-8', 'accept'),
    type(
      'UTF-16 declared and sent',
      'application/json; charset=utf-16le',
      'either',
      new Uint8Array(Buffer.from(valid, 'utf16le')),
    ),
    type('a JSON suffix type', 'application/vnd.api+json', 'either'),
    head('acting as a user named in SQL', '/v1/me', { 'X-Acting-User': "' OR '1'='1" }),
    head('acting as a user named in markup', '/v1/me', { 'X-Acting-User': '<script>alert(1)</script>' }),
    head('acting as a 5,000-character user', '/v1/me', { 'X-Acting-User': 'u'.repeat(5000) }),
    head('acting as an encoded CRLF', '/v1/me', { 'X-Acting-User': '%0D%0AX-Admin: 1' }),
    head('a 10,000-character bearer token', '/v1/me', { Authorization: `Bearer ${'a'.repeat(10_000)}` }),
    head('a bearer token with SQL', '/v1/me', { Authorization: "Bearer rf_sk_' OR 1=1 --" }),
    head('a bearer token with a tab', '/v1/me', { Authorization: 'Bearer\trf_sk_x' }),
    head('a Basic token', '/v1/me', { Authorization: 'Basic YWRtaW46YWRtaW4=' }),
    ...[
      '-1',
      '1e3',
      '0x10',
      '9'.repeat(16),
      '1 2',
      'NaN',
      '\u00B9',
      "1' OR '1'='1",
      '<script>',
      '1.',
      '.5',
      '1.2.3',
      '1.-2',
      '1.2e3',
      `1.${'9'.repeat(16)}`,
    ].map((id) =>
      head(`Last-Event-ID ${JSON.stringify(id)}`, '/v1/stream', { 'Last-Event-ID': id }, 'technician'),
    ),
  ];
}
