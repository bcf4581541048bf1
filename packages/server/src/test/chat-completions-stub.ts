import { createServer, type IncomingHttpHeaders, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { onTestFinished } from 'vitest';

/** A request the stub received, its JSON body parsed. */
export interface ProviderRequest {
  method: string;
  url: string;
  headers: IncomingHttpHeaders;
  body: { model: string; response_format: unknown; messages: { role: string; content: string }[] };
}

/**
 * A real OpenAI-compatible endpoint on loopback, in this process, for the
 * current test (closed when it ends). It records every request and answers
 * each with `reply`, which may never answer; `aborted()` counts requests the
 * client gave up on before an answer.
 */
export async function chatCompletionsStub(reply: (res: ServerResponse) => void) {
  const requests: ProviderRequest[] = [];
  let aborted = 0;
  const server = createServer((req, res) => {
    let raw = '';
    req.setEncoding('utf8');
    req.on('data', (chunk: string) => (raw += chunk));
    req.on('end', () => {
      const { method = '', url = '', headers } = req;
      requests.push({ method, url, headers, body: JSON.parse(raw) });
      res.on('close', () => {
        if (!res.writableEnded) aborted += 1;
      });
      reply(res);
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  onTestFinished(
    () => new Promise<void>((resolve) => (server.closeAllConnections(), server.close(() => resolve()))),
  );
  const { port } = server.address() as AddressInfo;
  return { baseUrl: `http://127.0.0.1:${port}/v1`, requests, aborted: () => aborted };
}

/** A reply with one chat completion whose message is `content`. */
export const chatAnswer = (content: string) => (res: ServerResponse) => {
  res.writeHead(200, { 'Content-Type': 'application/json' });
  res.end(
    JSON.stringify({ id: 'chatcmpl-1', choices: [{ index: 0, message: { role: 'assistant', content } }] }),
  );
};

/** A well-formed assessment, as a provider would answer it. */
export const goodAnswer = {
  likelyCause: 'Stale modern-auth tokens after the tenant move',
  confidence: 0.72,
  nextSteps: ['Clear the AAD broker cache', 'Test autodiscover'],
};
