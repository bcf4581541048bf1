import { spawn, type ChildProcess } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { createInterface } from 'node:readline';
import { fileURLToPath } from 'node:url';
import { createApiKey } from '../auth/api-keys.js';
import { createSigningKey } from '../auth/signing-keys.js';
import { openDatabase, type DatabaseTarget } from '../db/open-database.js';
import { createAccount } from '../domain/accounts.js';
import { createEmbedToken, type EmbedRole } from '../token.js';
import { freshPostgresDatabase, TEST_DIALECT } from './test-database.js';

/** The built entry point the operator runs (`npm run build` / `npx tsc -b` first). */
export const CLI = join(dirname(fileURLToPath(import.meta.url)), '../../dist/cli.js');

/** One structured log line of the child. */
export interface LogLine {
  level: number;
  msg: string;
  time?: string;
  [field: string]: unknown;
}

/** A server running as a child process, exactly as `resolutionflow-server serve` runs. */
export interface ChildServer {
  url: string;
  pid: number;
  child: ChildProcess;
  /** Log lines at warn and above, as they arrive. */
  readonly warnings: LogLine[];
  /** The last 4,000 characters the child wrote to stderr (a crash's stack, say). */
  readonly stderr: string;
  /** Resolves with how the process ended. */
  readonly exited: Promise<{ code: number | null; signal: NodeJS.Signals | null }>;
  /** Resident memory of the child in bytes (Linux: /proc). */
  rss(): number;
  /** Resolves with the next log line `match` accepts. */
  nextLog(match: (line: LogLine) => boolean): Promise<LogLine>;
  /** Sends SIGKILL and waits for the exit. */
  kill(): Promise<void>;
  /** SIGTERM (graceful) and waits for the exit. */
  stop(): Promise<void>;
}

/** Environment every child gets unless a test overrides it: no AI, limits out of the way. */
const BASE_ENV: Record<string, string> = {
  HOST: '127.0.0.1',
  PORT: '0',
  AI_PROVIDER: 'off',
  RATE_LIMIT_WRITE_BURST: '1000000',
  RATE_LIMIT_WRITES_PER_SECOND: '1000000',
  STREAM_MAX_PER_USER: '100000',
};

/** Children still running when the test process exits are killed, never left behind. */
const running = new Set<ChildProcess>();
process.once('exit', () => {
  for (const child of running) child.kill('SIGKILL');
});

/**
 * Runs the CLI in the child exactly as `node dist/cli.js serve` would, and also
 * exits when its stdin (a pipe from this process) closes: if the test process
 * dies without an 'exit' event (a worker torn down after a timeout), its
 * servers do not outlive it.
 */
const WATCHDOG = `
process.stdin.on('end', () => process.exit(1)).on('error', () => process.exit(1)).resume();
// Under -e, commander reads the arguments from argv[1]: leave it just the command.
const [cli] = process.argv.splice(1, 1);
const { pathToFileURL } = await import('node:url');
await import(pathToFileURL(cli).href);
`;

/**
 * Spawns `node dist/cli.js serve` on a loopback port the OS picks, and resolves
 * once its `listening` log line names the URL (no polling; so `LOG_LEVEL` stays
 * `info`). Logs are read as they come so the pipe never fills.
 */
export async function startChildServer(options: {
  database: TempDatabase;
  env?: Record<string, string>;
}): Promise<ChildServer> {
  if (!existsSync(CLI)) throw new Error(`${CLI} is missing: build first (cd /work/main && npx tsc -b)`);
  const child = spawn(process.execPath, ['--input-type=module', '-e', WATCHDOG, CLI, 'serve'], {
    env: {
      ...process.env,
      ...BASE_ENV,
      ...options.env,
      ...options.database.env,
      LOG_LEVEL: 'info',
    },
    stdio: ['pipe', 'pipe', 'pipe'],
  });
  running.add(child);
  const warnings: LogLine[] = [];
  const waiters: { match: (line: LogLine) => boolean; resolve: (line: LogLine) => void }[] = [];
  let stderr = '';
  child.stderr!.setEncoding('utf8').on('data', (chunk: string) => (stderr = (stderr + chunk).slice(-4000)));
  createInterface({ input: child.stdout! }).on('line', (text) => {
    let line: LogLine;
    try {
      line = JSON.parse(text) as LogLine;
    } catch {
      return;
    }
    if (line.level >= 40) warnings.push(line);
    for (const waiter of [...waiters]) {
      if (!waiter.match(line)) continue;
      waiters.splice(waiters.indexOf(waiter), 1);
      waiter.resolve(line);
    }
  });
  const exited = new Promise<{ code: number | null; signal: NodeJS.Signals | null }>((resolve) =>
    child.once('exit', (code, signal) => {
      running.delete(child);
      resolve({ code, signal });
    }),
  );
  const nextLog = (match: (line: LogLine) => boolean) =>
    new Promise<LogLine>((resolve) => waiters.push({ match, resolve }));

  let timer: NodeJS.Timeout | undefined;
  const listening = await Promise.race([
    nextLog((line) => line.msg === 'listening'),
    exited.then(({ code, signal }) => {
      throw new Error(`server exited (${code ?? signal}) before listening: ${stderr}`);
    }),
    new Promise<never>((_, reject) => {
      timer = setTimeout(() => {
        child.kill('SIGKILL');
        reject(new Error(`server did not log "listening" within 20 s: ${stderr}`));
      }, 20_000);
    }),
  ]).finally(() => clearTimeout(timer));
  const until = async (signal: NodeJS.Signals) => {
    if (child.exitCode !== null || child.signalCode !== null) return;
    child.kill(signal);
    await exited;
  };
  return {
    url: listening.url as string,
    pid: child.pid!,
    child,
    warnings,
    get stderr() {
      return stderr;
    },
    exited,
    nextLog,
    rss() {
      const status = readFileSync(`/proc/${child.pid}/status`, 'utf8');
      return Number(/VmRSS:\s+(\d+) kB/.exec(status)?.[1] ?? 0) * 1024;
    },
    kill: () => until('SIGKILL'),
    stop: () => until('SIGTERM'),
  };
}

/** An account seeded into a database file before the server starts, as the CLI would. */
export interface SeededAccount {
  id: string;
  apiKey: string;
  token(role: EmbedRole, userId?: string): Promise<string>;
}

/** A database for a child server, of the run's dialect, and its removal. */
export interface TempDatabase {
  target: DatabaseTarget;
  /** What selects it for a child process (`DATABASE_PATH` or `DATABASE_URL`). */
  env: Record<string, string>;
  remove(): Promise<void>;
}

/** A fresh database: a file in a temp folder on SQLite, a new database on PostgreSQL. */
export async function tempDatabase(prefix = 'rf-reliability-'): Promise<TempDatabase> {
  if (TEST_DIALECT === 'postgres') {
    const made = await freshPostgresDatabase();
    return {
      target: { dialect: 'postgres', url: made.url },
      env: { DATABASE_URL: made.url },
      remove: made.drop,
    };
  }
  const dir = mkdtempSync(join(tmpdir(), prefix));
  const path = join(dir, 'server.db');
  return {
    target: { dialect: 'sqlite', path },
    env: { DATABASE_PATH: path },
    remove: async () => rmSync(dir, { recursive: true, force: true }),
  };
}

/** Creates an account with a signing key and an API key in the database (migrating it). */
export async function seedAccount(target: DatabaseTarget, name = 'Reliability MSP'): Promise<SeededAccount> {
  const database = await openDatabase(target);
  try {
    const now = Date.now();
    const account = await createAccount(database, { name }, now);
    const key = await createSigningKey(database, account.id, now);
    const apiKey = (await createApiKey(database, account.id, `${name} backend`, now)).secret;
    return {
      id: account.id,
      apiKey,
      token: (role, userId = `${role}-1`) =>
        createEmbedToken({ privateKey: key.privateJwk, role, user: { id: userId, name: userId }, ttl: 3600 }),
    };
  } finally {
    await database.close();
  }
}
