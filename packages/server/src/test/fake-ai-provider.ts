import { spawn } from 'node:child_process';
import { createInterface } from 'node:readline';

/** How the stand-in provider behaves: answering, never answering, late, or with something unusable. */
export type ProviderMode = 'ok' | 'hang' | 'slow' | 'garbage';

/**
 * The provider's source, run in its own Node process: an OpenAI-compatible
 * `/chat/completions` on loopback. In a process of its own, like a real remote
 * provider, its work (accepting connections, answering) is not counted in the
 * latency of the server under test. Garbage answers are served in turn; each
 * must end as `failed`, never as a crash or a stuck `pending`.
 */
const SOURCE = String.raw`
import { createServer } from 'node:http';
const mode = process.env.MODE;
const slowMs = Number(process.env.SLOW_MS);
const good = JSON.stringify({
  likelyCause: 'Stale cached credentials after the mailbox migration',
  confidence: 0.8,
  nextSteps: ['Remove the stored Office credentials', 'Recreate the Outlook profile'],
});
const reply = (res, content) =>
  res.writeHead(200, { 'Content-Type': 'application/json' }).end(JSON.stringify({ choices: [{ message: { content } }] }));
const garbage = [
  (res) => res.writeHead(200, { 'Content-Type': 'application/json' }).end('not json at all'),
  (res) => res.writeHead(200, { 'Content-Type': 'application/json' }).end('{}'),
  (res) => reply(res, 'The cause is probably DNS.'),
  (res) => reply(res, '{"likelyCause":42,"confidence":"high","nextSteps":"reboot"}'),
  (res) => reply(res, '{"likelyCause":"DNS","confidence":1.5,"nextSteps":["a"]}'),
  (res) => res.writeHead(500, { 'Content-Type': 'text/html' }).end('<html><body>Internal Server Error</body></html>'),
  (res) => res.writeHead(429, { 'Retry-After': '60' }).end(),
  (res) => {
    res.writeHead(200, { 'Content-Type': 'application/json', 'Content-Length': '1000' });
    res.write('{"choices":[{"message":{"content":"{\\"likely');
    res.socket.destroy();
  },
];
let requests = 0;
const server = createServer((req, res) => {
  req.resume();
  req.on('end', () => {
    requests += 1;
    if (mode === 'hang') return;
    if (mode === 'garbage') return garbage[requests % garbage.length](res);
    if (mode === 'ok') return reply(res, good);
    const timer = setTimeout(() => reply(res, good), slowMs);
    res.on('close', () => clearTimeout(timer));
  });
});
server.listen(0, '127.0.0.1', () => console.log(JSON.stringify({ port: server.address().port })));
process.on('SIGTERM', () => process.exit(0));
// Ends with the test process, however that ends: its stdin is a pipe from it.
process.stdin.on('end', () => process.exit(0)).on('error', () => process.exit(0)).resume();
`;

/** Providers still running when the test process exits are killed, never left behind. */
const running = new Set<ReturnType<typeof spawn>>();
process.once('exit', () => {
  for (const child of running) child.kill('SIGKILL');
});

/** Starts the stand-in provider in a child process; `close()` ends it. */
export async function fakeAiProvider(options: { mode: ProviderMode; slowMs?: number }) {
  const child = spawn(process.execPath, ['--input-type=module', '-e', SOURCE], {
    env: { ...process.env, MODE: options.mode, SLOW_MS: String(options.slowMs ?? 2000) },
    stdio: ['pipe', 'pipe', 'inherit'],
  });
  running.add(child);
  const exited = new Promise<void>((resolve) => child.once('exit', () => (running.delete(child), resolve())));
  const { port } = await new Promise<{ port: number }>((resolve, reject) => {
    createInterface({ input: child.stdout! }).once('line', (line) =>
      resolve(JSON.parse(line) as { port: number }),
    );
    child.once('exit', (code) => reject(new Error(`fake AI provider exited with ${code}`)));
  });
  return {
    url: `http://127.0.0.1:${port}/v1`,
    async close() {
      if (child.exitCode === null) child.kill('SIGTERM');
      await exited;
    },
  };
}
