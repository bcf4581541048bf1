/**
 * A local stand-in for an OpenAI-compatible provider, so tests can put an
 * assessment in each state through the real server: by a marker in the title,
 * `[ai:hold]` waits until a test releases it (pending, then ready live), `[ai:hang]` never
 * answers (timed_out), `[ai:fail]` answers 500 (failed); anything else is ready
 * at once.
 */
import { EventEmitter } from 'node:events';
import { createServer } from 'node:http';

export const ANSWER = {
  likelyCause: 'Stale cached credentials after the tenant migration',
  confidence: 0.72,
  nextSteps: ['Remove the old tenant from Credential Manager', 'Reset the Outlook autodiscover cache'],
};

export class AiStub {
  constructor() {
    /** Held answers by title, and who is waiting for one to arrive. */
    this.held = new Map();
    this.arrivals = new EventEmitter();
    this.server = createServer((request, response) => {
      let body = '';
      request.on('data', (chunk) => (body += chunk));
      request.on('end', () => this._answer(body, response));
    });
  }

  async start() {
    await new Promise((done) => this.server.listen(0, '127.0.0.1', done));
    return `http://127.0.0.1:${this.server.address().port}/v1`;
  }

  /**
   * Answers the held request for `title` (its assessment becomes ready), waiting
   * for it to arrive first: the server asks the provider beside the create request.
   */
  release(title) {
    return new Promise((resolve, reject) => {
      const answer = () => {
        this.held.get(title)();
        this.held.delete(title);
        resolve();
      };
      if (this.held.has(title)) return answer();
      const timer = setTimeout(
        () => reject(new Error(`no assessment request for "${title}" arrived`)),
        10_000,
      );
      this.arrivals.once(title, () => {
        clearTimeout(timer);
        answer();
      });
    });
  }

  stop() {
    this.server.closeAllConnections();
    this.server.close();
  }

  _answer(body, response) {
    const input = JSON.parse(JSON.parse(body).messages.at(-1).content);
    const ready = () => {
      if (response.destroyed) return;
      response.writeHead(200, { 'Content-Type': 'application/json' });
      response.end(JSON.stringify({ choices: [{ message: { content: JSON.stringify(ANSWER) } }] }));
    };
    if (input.title.includes('[ai:hang]')) return;
    if (input.title.includes('[ai:hold]')) {
      this.held.set(input.title, ready);
      return void this.arrivals.emit(input.title);
    }
    if (input.title.includes('[ai:fail]')) {
      response.writeHead(500);
      return void response.end();
    }
    ready();
  }
}
