// The floor for fan-out: a minimal node:http SSE broadcaster. Each event is
// encoded once and the same string written to every subscriber.
import { randomUUID } from 'node:crypto';
import { createServer } from 'node:http';

const subscribers = new Set();
let seq = 0;

createServer((req, res) => {
  if (req.url === '/healthz') return res.end('{"status":"ok"}');
  if (req.method === 'GET' && req.url === '/v1/stream') {
    res.writeHead(200, { 'Content-Type': 'text/event-stream; charset=utf-8', 'Cache-Control': 'no-cache' });
    res.socket.setNoDelay(true);
    res.write(': connected\n\n');
    subscribers.add(res);
    res.on('close', () => subscribers.delete(res));
    return;
  }
  if (req.method === 'POST' && req.url === '/v1/handoffs') {
    let body = '';
    req.setEncoding('utf8');
    req.on('data', (chunk) => (body += chunk));
    req.on('end', () => {
      const handoff = {
        id: randomUUID(),
        status: 'open',
        ...JSON.parse(body),
        createdAt: new Date().toISOString(),
      };
      const data = JSON.stringify({
        type: 'handoff.created',
        handoff,
        actor: { id: 'bench-user', name: 'Bench User' },
        at: handoff.createdAt,
      });
      const frame = `id: ${++seq}\nevent: handoff.created\ndata: ${data}\n\n`;
      for (const subscriber of subscribers) subscriber.write(frame);
      res.writeHead(201, { 'Content-Type': 'application/json' });
      res.end(JSON.stringify(handoff));
    });
    return;
  }
  res.writeHead(404).end();
}).listen(Number(process.env.PORT), '127.0.0.1');
