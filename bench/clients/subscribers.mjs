// A separate process holding many SSE subscribers. Driven over IPC by a benchmark:
//   { cmd: 'connect', url, token, count }  → { connected, failed }
//   { cmd: 'create', url, token, body }    → { latencies: ms per subscriber, missing }
//   { cmd: 'close' }
import { Agent, request } from 'node:http';

const MARK = 'event: handoff.created';
const agent = new Agent({ keepAlive: false, maxSockets: Infinity });
const subscribers = [];

function connectOne(url, token) {
  return new Promise((resolve) => {
    const sub = { count: 0, tail: '', onEvent: null, req: null };
    sub.req = request(
      `${url}/v1/stream`,
      { agent, headers: { Authorization: `Bearer ${token}`, Accept: 'text/event-stream' } },
      (res) => {
        if (res.statusCode !== 200) {
          res.resume();
          return resolve(null);
        }
        res.setEncoding('utf8');
        let opened = false;
        res.on('data', (chunk) => {
          if (!opened) {
            opened = true;
            resolve(sub);
          }
          const text = sub.tail + chunk;
          let index = text.indexOf(MARK);
          let found = 0;
          while (index !== -1) {
            found++;
            index = text.indexOf(MARK, index + MARK.length);
          }
          sub.tail = text.slice(-MARK.length);
          if (found > 0) {
            sub.count += found;
            sub.onEvent?.(sub);
          }
        });
      },
    );
    sub.req.on('error', () => resolve(null));
    sub.req.end();
  });
}

async function connect({ url, token, count }) {
  let failed = 0;
  for (let start = 0; start < count; start += 200) {
    const batch = await Promise.all(
      Array.from({ length: Math.min(200, count - start) }, () => connectOne(url, token)),
    );
    for (const sub of batch) {
      if (sub) subscribers.push(sub);
      else failed++;
    }
  }
  return { connected: subscribers.length, failed };
}

async function create({ url, token, body }) {
  const target = new Map(subscribers.map((sub) => [sub, sub.count + 1]));
  const latencies = [];
  const started = performance.now();
  const done = new Promise((resolve) => {
    let remaining = subscribers.length;
    const timer = setTimeout(resolve, 10_000);
    for (const sub of subscribers) {
      sub.onEvent = (s) => {
        if (target.has(s) && s.count >= target.get(s)) {
          target.delete(s);
          latencies.push(performance.now() - started);
          if (--remaining === 0) {
            clearTimeout(timer);
            resolve();
          }
        }
      };
    }
  });
  const response = await fetch(`${url}/v1/handoffs`, {
    method: 'POST',
    headers: { Authorization: `Bearer ${token}`, 'Content-Type': 'application/json' },
    body: JSON.stringify(body),
  });
  if (response.status !== 201) throw new Error(`create answered ${response.status}`);
  // When the 201 came back: a slow commit shows here, a slow fan-out only in the latencies.
  const answered = performance.now() - started;
  await done;
  return { latencies, missing: target.size, answered };
}

process.on('message', async (message) => {
  try {
    if (message.cmd === 'connect') process.send({ ok: true, ...(await connect(message)) });
    else if (message.cmd === 'create') process.send({ ok: true, ...(await create(message)) });
    else if (message.cmd === 'close') {
      for (const sub of subscribers) sub.req.destroy();
      process.send({ ok: true });
      process.exit(0);
    }
  } catch (error) {
    process.send({ ok: false, error: error.message });
  }
});
