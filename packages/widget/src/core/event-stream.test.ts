import { expect } from '@open-wc/testing';
import { readEventStream, type StreamMessage } from './event-stream.js';

/** A body that delivers `chunks` one at a time, as the network would. */
function body(...chunks: (string | Uint8Array<ArrayBuffer>)[]): ReadableStream<Uint8Array<ArrayBuffer>> {
  const encoder = new TextEncoder();
  return new ReadableStream({
    start(controller) {
      for (const chunk of chunks)
        controller.enqueue(typeof chunk === 'string' ? encoder.encode(chunk) : chunk);
      controller.close();
    },
  });
}

async function read(...chunks: (string | Uint8Array<ArrayBuffer>)[]): Promise<StreamMessage[]> {
  const messages: StreamMessage[] = [];
  await readEventStream(body(...chunks), (message) => messages.push(message));
  return messages;
}

describe('readEventStream', () => {
  it('should deliver each message at its blank line, with its event, data and id', async () => {
    expect(
      await read('id: 7\nevent: handoff.created\ndata: {"n":1}\n\nevent: stream.reset\ndata:{}\n\n'),
    ).to.deep.equal([
      { event: 'handoff.created', data: '{"n":1}', id: '7' },
      { event: 'stream.reset', data: '{}', id: '' },
    ]);
  });

  it('should join data lines with line breaks, and keep a second colon in the value', async () => {
    expect(await read('data: first\ndata: second: with a colon\n\n')).to.deep.equal([
      { event: '', data: 'first\nsecond: with a colon', id: '' },
    ]);
  });

  it('should deliver a heartbeat comment as an empty message', async () => {
    expect(await read(': ping\n\n', 'id: 9\n\n')).to.deep.equal([
      { event: '', data: '', id: '' },
      { event: '', data: '', id: '9' },
    ]);
  });

  it('should read a message split anywhere across chunks, CRLF and multibyte characters included', async () => {
    const euro = new TextEncoder().encode('€');
    const messages = await read('id: 1\r', '\nda', 'ta: 5 ', euro.slice(0, 1), euro.slice(1), '\r\n\r', '\n');
    expect(messages).to.deep.equal([{ event: '', data: '5 €', id: '1' }]);
  });

  it("should take the server's retry hint only when it is a number", async () => {
    const [hint, junk] = await read('retry: 2500\n\n', 'retry: soon\n\n');
    expect(hint!.retry).to.equal(2500);
    expect(junk!.retry).to.equal(undefined);
  });

  it('should drop a message the stream ended in the middle of', async () => {
    expect(await read('data: whole\n\ndata: cut off\n')).to.have.length(1);
  });

  it('should report every chunk as it arrives', async () => {
    let chunks = 0;
    await readEventStream(
      body(': ping\n', '\n', 'data: x\n\n'),
      () => {},
      () => chunks++,
    );
    expect(chunks).to.equal(3);
  });
});
