import { fork } from 'node:child_process';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const script = join(dirname(fileURLToPath(import.meta.url)), '../clients/subscribers.mjs');

/** A child process holding SSE subscribers; each call is one request/answer over IPC. */
export function startSubscriberProcess() {
  const child = fork(script, { stdio: ['ignore', 'inherit', 'inherit', 'ipc'] });
  const call = (message) =>
    new Promise((resolve, reject) => {
      child.once('message', (answer) => (answer.ok ? resolve(answer) : reject(new Error(answer.error))));
      child.send(message);
    });
  return {
    pid: child.pid,
    connect: (url, token, count) => call({ cmd: 'connect', url, token, count }),
    create: (url, token, body) => call({ cmd: 'create', url, token, body }),
    close: () => call({ cmd: 'close' }).catch(() => undefined),
  };
}
