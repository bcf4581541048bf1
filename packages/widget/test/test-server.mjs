/**
 * The real ResolutionFlow server the widget tests run against: a child process
 * (so a test can kill it, pause it and start it again on the same port and
 * database) in demo mode, plus extra accounts created before start.
 */
import { spawn } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { createAccount, createSigningKey, openDatabase } from '@resolutionflow/server';
import { createEmbedToken } from '@resolutionflow/server/token';

const CLI = resolve(import.meta.dirname, '../../server/dist/cli.js');

/** Demo personas, as the server seeds them. */
const PERSONAS = {
  alex: { id: 'demo-alex', name: 'Alex Kim', role: 'technician' },
  sam: { id: 'demo-sam', name: 'Sam Rivera', role: 'engineer' },
  jordan: { id: 'demo-jordan', name: 'Jordan Lee', role: 'engineer' },
  priya: { id: 'demo-priya', name: 'Priya Shah', role: 'admin' },
};

/** A port nobody listens on right now. */
export function freePort() {
  return new Promise((done, fail) => {
    const probe = createServer().once('error', fail);
    probe.listen(0, '127.0.0.1', () => {
      const { port } = probe.address();
      probe.close(() => done(port));
    });
  });
}

export class TestServer {
  /** @param {{ origins: string[], aiBaseUrl: string, heartbeatSeconds?: number }} options */
  constructor(options) {
    this.options = options;
    this.dir = mkdtempSync(join(tmpdir(), 'rf-widget-test-'));
    this.databasePath = join(this.dir, 'db.sqlite');
    this.child = null;
    this.port = 0;
    /** Private keys of the extra accounts, by name. */
    this.accountKeys = {};
  }

  get url() {
    return `http://127.0.0.1:${this.port}`;
  }

  /**
   * Creates more accounts before the server starts (and caches origins):
   * `empty`, which nothing ever writes to; `scratch`, for tests that need a
   * queue holding only their own escalations; `foreign`, which does not allow
   * the test page's origin; `views`, `paging` and `owner`, each for the one
   * test file that counts what it holds (queue views, 250 open, the metrics);
   * `policy`, whose escalation policy a test sets.
   */
  async init() {
    this.port = await freePort();
    const database = await openDatabase({ dialect: 'sqlite', path: this.databasePath });
    try {
      for (const name of ['empty', 'scratch', 'foreign', 'views', 'paging', 'owner', 'policy']) {
        const allowedOrigins = name === 'foreign' ? [] : this.options.origins;
        const account = await createAccount(database, { name: `${name} MSP`, allowedOrigins }, Date.now());
        this.accountKeys[name] = (await createSigningKey(database, account.id, Date.now())).privateJwk;
      }
    } finally {
      await database.close();
    }
    await this.start();
  }

  async start() {
    const env = {
      ...process.env,
      DATABASE_PATH: this.databasePath,
      PORT: String(this.port),
      HOST: '127.0.0.1',
      LOG_LEVEL: 'error',
      DEMO_MODE: 'true',
      DEMO_ALLOWED_ORIGINS: this.options.origins.join(','),
      SSE_HEARTBEAT_SECONDS: String(this.options.heartbeatSeconds ?? 1),
      AI_PROVIDER: 'openai',
      AI_BASE_URL: this.options.aiBaseUrl,
      AI_MODEL: 'test-model',
      // Long enough for a held assessment to wait for its test under load; `[ai:hang]` waits it out.
      ESCALATION_AI_ASSESSMENT_TIMEOUT_SECONDS: '4',
      // Writes come fast from tests; the limiter is the server's business, not the widget's.
      RATE_LIMIT_WRITE_BURST: '10000',
      RATE_LIMIT_WRITES_PER_SECOND: '1000',
      // A policy test's 1-second step shows within a few tenths of a second.
      POLICY_POLL_SECONDS: '0.2',
    };
    this.child = spawn(process.execPath, [CLI, 'serve'], { env, stdio: ['ignore', 'inherit', 'pipe'] });
    const child = this.child;
    // Everything but the demo banner, which each restart would repeat.
    child.stderr.on('data', (chunk) => {
      const lines = String(chunk)
        .split('\n')
        .filter((line) => line.trim() && !/demo running at|API reference:/.test(line));
      if (lines.length) process.stderr.write(`${lines.join('\n')}\n`);
    });
    const deadline = Date.now() + 20_000;
    for (;;) {
      if (child.exitCode !== null) throw new Error(`the test server exited with ${child.exitCode}`);
      try {
        if ((await fetch(`${this.url}/readyz`)).ok) return;
      } catch {
        // Not listening yet.
      }
      if (Date.now() > deadline) throw new Error('the test server did not become ready');
      await new Promise((done) => setTimeout(done, 50));
    }
  }

  /** Kills the process outright (a crash), so open streams break without a goodbye. */
  async kill() {
    const child = this.child;
    if (!child || child.exitCode !== null) return;
    const exited = new Promise((done) => child.once('exit', done));
    child.kill('SIGKILL');
    await exited;
  }

  async restart() {
    await this.kill();
    await this.start();
  }

  /** Freezes the process: sockets stay open and silent (what the watchdog is for). */
  pause() {
    this.child?.kill('SIGSTOP');
  }

  resume() {
    this.child?.kill('SIGCONT');
  }

  /**
   * Mints an embed token. `persona` picks a demo persona; `account` (`demo`,
   * `empty`, `scratch`) the account; `name`, `role`, `ttl` and `iat` override.
   */
  async token({ persona = 'sam', account = 'demo', name, role, ttl = 900, iat } = {}) {
    const base = PERSONAS[persona];
    const privateKey =
      account === 'demo'
        ? JSON.parse(readFileSync(join(this.dir, 'demo-signing-key.json'), 'utf8'))
        : this.accountKeys[account];
    return createEmbedToken({
      privateKey,
      user: { id: base.id, name: name ?? base.name },
      role: role ?? base.role,
      ttl,
      ...(iat === undefined ? {} : { now: iat }),
    });
  }

  async stop() {
    this.resume();
    await this.kill();
    rmSync(this.dir, { recursive: true, force: true });
  }
}

/** web-test-runner commands through which browser tests drive the server and the AI stub. */
export function testServerPlugin(server, ai) {
  return {
    name: 'rf-test-server',
    async executeCommand({ command, payload }) {
      switch (command) {
        case 'rf-server':
          return { apiBase: server.url };
        case 'rf-token':
          return server.token(payload ?? {});
        case 'rf-restart':
          await server.restart();
          return true;
        case 'rf-kill':
          await server.kill();
          return true;
        case 'rf-start':
          await server.start();
          return true;
        case 'rf-pause':
          server.pause();
          return true;
        case 'rf-resume':
          server.resume();
          return true;
        case 'rf-ai-release':
          await ai.release(payload.title);
          return true;
        default:
          return undefined;
      }
    },
  };
}
