/** One message of a `text/event-stream`: the fields seen since the previous blank line. */
export interface StreamMessage {
  /** `event:`, or `''`. */
  event: string;
  /** The `data:` lines, joined by line breaks. */
  data: string;
  /** `id:`, or `''` when the message has none. */
  id: string;
  /** `retry:` in milliseconds, when the message sets it. */
  retry?: number;
}

/**
 * Reads a Server-Sent Events body to its end, calling `onChunk` whenever bytes
 * arrive and `onMessage` at every blank line, so a heartbeat (a comment) arrives
 * as an empty message. Rejects when the body fails or its request is aborted.
 *
 * @example
 * ```ts
 * const response = await fetch(url, { headers: { accept: 'text/event-stream', authorization } });
 * await readEventStream(response.body!, (message) => console.log(message.event, message.data));
 * ```
 */
export async function readEventStream(
  body: ReadableStream<BufferSource>,
  onMessage: (message: StreamMessage) => void,
  onChunk: () => void = () => {},
): Promise<void> {
  const reader = body.pipeThrough(new TextDecoderStream()).getReader();
  let message: StreamMessage = { event: '', data: '', id: '' };
  let data = '';
  let rest = '';
  for (let chunk; !(chunk = await reader.read()).done;) {
    onChunk();
    // A `\r` that ends the chunk may be the first half of `\r\n`: it waits for the next one.
    const lines = (rest + chunk.value).split(/\r\n|\r(?!$)|\n/);
    rest = lines.pop()!;
    for (const line of lines) {
      if (!line) {
        onMessage({ ...message, data: data.slice(0, -1) });
        message = { event: '', data: '', id: '' };
        data = '';
        continue;
      }
      const colon = line.indexOf(':');
      const field = colon < 0 ? line : line.slice(0, colon);
      const value = colon < 0 ? '' : line.slice(colon + (line[colon + 1] === ' ' ? 2 : 1));
      // Any other field, and a comment (`: …`, whose field is empty), is ignored.
      if (field === 'data') data += `${value}\n`;
      else if (field === 'event') message.event = value;
      else if (field === 'id') message.id = value;
      else if (field === 'retry' && /^\d+$/.test(value)) message.retry = Number(value);
    }
  }
}
