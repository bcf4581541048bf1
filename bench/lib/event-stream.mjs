import { Agent, request } from 'node:http';

const agent = new Agent({ keepAlive: false, maxSockets: Infinity });

/**
 * One live stream (`GET /v1/stream`) read in this process: calls `onEvent(type, data)` with each
 * event's type and parsed JSON data as it arrives. Resolves once the server has answered 200 and
 * sent its first bytes (the stream is then subscribed); rejects on any other answer.
 *
 * @example
 * ```js
 * const stream = await openEventStream(url, token, (type, data) => console.log(type, data.handoff?.id));
 * stream.close();
 * ```
 */
export function openEventStream(url, token, onEvent) {
  return new Promise((resolve, reject) => {
    const req = request(
      `${url}/v1/stream`,
      { agent, headers: { Authorization: `Bearer ${token}`, Accept: 'text/event-stream' } },
      (res) => {
        if (res.statusCode !== 200) {
          res.resume();
          return reject(new Error(`${url}/v1/stream answered ${res.statusCode}`));
        }
        res.setEncoding('utf8');
        let buffer = '';
        let opened = false;
        res.on('data', (chunk) => {
          if (!opened) {
            opened = true;
            resolve({ close: () => req.destroy() });
          }
          buffer += chunk;
          let end;
          while ((end = buffer.indexOf('\n\n')) !== -1) {
            const block = buffer.slice(0, end);
            buffer = buffer.slice(end + 2);
            let type = 'message';
            let data = '';
            for (const line of block.split('\n')) {
              if (line.startsWith('event:')) type = line.slice(6).trim();
              else if (line.startsWith('data:')) data += line.slice(5).trim();
            }
            if (data) onEvent(type, JSON.parse(data));
          }
        });
      },
    );
    req.on('error', reject);
    req.end();
  });
}
