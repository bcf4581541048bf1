/** A request written byte for byte, and what it tries. */
export interface RawHeaderCase {
  name: string;
  request: string;
}

/**
 * Requests with CR, LF or NUL in headers and the request line, header
 * injection and request smuggling: what only a raw socket can send. Each must
 * be refused without a 5xx, an injected field or a change.
 */
export function rawHeaderCases(tokens: { technician: string; apiKey: string }): RawHeaderCase[] {
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
}
