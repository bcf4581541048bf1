// N server instances on one PostgreSQL database, each a child process exactly as an operator runs
// it, for the multi-instance tests (issue 14): writers and readers spread over them, readers that
// resume on another instance, and the head of each account read from the table (the truth).
import { sql } from 'drizzle-orm';
import { openDatabase } from '../db/open-database.js';
import {
  seedAccount,
  startChildServer,
  tempDatabase,
  type ChildServer,
  type SeededAccount,
  type TempDatabase,
} from './child-server.js';
import { escalation } from './harness.js';
import { queryRows } from './sql.js';
import { SseClient, seqOf } from './sse-client.js';

/** Settings every instance of a test shares: a fast poll and heartbeat, so the fallbacks show within a test. */
export const CLUSTER_ENV: Record<string, string> = {
  BUS_POLL_MS: '1000',
  BUS_HEARTBEAT_SECONDS: '1',
  BUS_HEARTBEAT_TIMEOUT_SECONDS: '1',
  SSE_HEARTBEAT_SECONDS: '1',
};

/** Running instances on one database, and the accounts seeded in it. */
export interface Cluster {
  database: TempDatabase;
  servers: ChildServer[];
  accounts: SeededAccount[];
  /** Starts instance `index` again (after a kill), on the same database. */
  restart(index: number): Promise<ChildServer>;
  /** Stops every instance and drops the database. */
  close(): Promise<void>;
}

/** Starts `count` instances on a fresh database with `accounts` accounts. */
export async function startCluster(
  options: { count?: number; accounts?: number; env?: Record<string, string>; database?: TempDatabase } = {},
): Promise<Cluster> {
  const database = options.database ?? (await tempDatabase('rf-cluster-'));
  const accounts: SeededAccount[] = [];
  for (let n = 0; n < (options.accounts ?? 1); n++)
    accounts.push(await seedAccount(database.target, `MSP ${n}`));
  const env = { ...CLUSTER_ENV, ...options.env };
  const start = (index: number) =>
    startChildServer({ database, env: { ...env, INSTANCE_ID: `test-${index}` } });
  const servers = await Promise.all(Array.from({ length: options.count ?? 3 }, (_, index) => start(index)));
  return {
    database,
    servers,
    accounts,
    async restart(index) {
      servers[index] = await start(index);
      return servers[index];
    },
    async close() {
      await Promise.all(servers.map((server) => server.stop()));
      await database.remove();
    },
  };
}

/** POSTs one escalation with a technician's token; resolves with the status and the handoff id. */
export async function escalate(
  url: string,
  token: string,
  overrides: Record<string, unknown> = {},
): Promise<{ status: number; id?: string }> {
  const response = await fetch(`${url}/v1/handoffs`, {
    method: 'POST',
    headers: { Authorization: `Bearer ${token}`, 'Content-Type': 'application/json' },
    body: JSON.stringify(escalation(overrides)),
  });
  const body = (await response.json()) as { id?: string };
  return { status: response.status, id: body.id };
}

/** Each account's head (`last_seq`) as committed. */
export async function heads(database: TempDatabase): Promise<Map<string, number>> {
  const opened = await openDatabase(database.target, { migrate: false });
  try {
    const rows = await queryRows<{ account_id: string; last_seq: string | number }>(
      opened,
      sql`SELECT account_id, last_seq FROM account_streams`,
    );
    return new Map(rows.map((row) => [row.account_id, Number(row.last_seq)]));
  } finally {
    await opened.close();
  }
}

/** The handoff ids that have a `handoff.created` event in the account's log. */
export async function createdInLog(database: TempDatabase, accountId: string): Promise<Set<string>> {
  const opened = await openDatabase(database.target, { migrate: false });
  try {
    const rows = await queryRows<{ handoff_id: string }>(
      opened,
      sql`SELECT handoff_id FROM events WHERE account_id = ${accountId} AND type = 'handoff.created'`,
    );
    return new Set(rows.map((row) => row.handoff_id));
  } finally {
    await opened.close();
  }
}

/**
 * A reader of one account's stream that records every event's seq and, when
 * told to (or when its connection ends), resumes with Last-Event-ID on the next
 * instance in turn: a reader behind a load balancer without sticky sessions.
 */
export class RoamingReader {
  readonly seqs: number[] = [];
  /** Instances it read from, in order. */
  readonly visited: number[] = [];
  private _client: SseClient | undefined;
  private _closed = false;
  private _moving: Promise<void> | undefined;

  constructor(
    private readonly _servers: () => ChildServer[],
    private readonly _token: string,
    private _index: number,
  ) {}

  /** Connects to its first instance. */
  async start(): Promise<void> {
    await this._connect();
  }

  /**
   * What a browser would send as Last-Event-ID: the last event's id, or before
   * any event, the resume point the server named on connect.
   */
  private _lastId: string | undefined;

  /** Drops the connection and resumes on the next instance. */
  move(): Promise<void> {
    this._moving ??= (async () => {
      this._client?.close();
      this._absorb();
      this._index = (this._index + 1) % this._servers().length;
      await this._connect();
    })().finally(() => (this._moving = undefined));
    return this._moving;
  }

  /** Resolves once it has read up to `seq` (resuming elsewhere when its instance goes away). */
  async until(seq: number, timeoutMs: number): Promise<void> {
    const deadline = Date.now() + timeoutMs;
    while ((this.all.at(-1) ?? 0) < seq) {
      const left = deadline - Date.now();
      if (left <= 0) throw new Error(`reader stopped at ${this.all.at(-1) ?? 0} of ${seq}`);
      const client = this._client;
      if (!client || client.ended) await this.move();
      else await client.until((c) => c.ended || (this.all.at(-1) ?? 0) >= seq, left).catch(() => undefined);
    }
  }

  close(): void {
    this._closed = true;
    this._client?.close();
    this._absorb();
  }

  /** Every seq read, across its connections, in order. */
  get all(): number[] {
    return [...this.seqs, ...this._pending()];
  }

  private _pending(): number[] {
    return (this._client?.frames ?? []).filter((f) => f.id !== undefined).map((f) => seqOf(f.id!));
  }

  /** Moves what the current connection read into `seqs`. */
  private _absorb(): void {
    const ids = (this._client?.frames ?? []).filter((f) => f.id !== undefined).map((f) => f.id!);
    this._lastId = ids.at(-1) ?? this._lastId ?? this._client?.resumeId;
    this.seqs.push(...this._pending());
    if (this._client) this._client.frames.length = 0;
  }

  private async _connect(): Promise<void> {
    if (this._closed) return;
    const headers: Record<string, string> = { Authorization: `Bearer ${this._token}` };
    if (this._lastId) headers['Last-Event-ID'] = this._lastId;
    for (let attempt = 0; ; attempt++) {
      const server = this._servers()[this._index]!;
      try {
        const client = await SseClient.connect(`${server.url}/v1/stream`, headers);
        if (client.status === 200) {
          this._client = client;
          this.visited.push(this._index);
          return;
        }
        client.close();
      } catch {
        // That instance is down: the next one (a load balancer would do the same).
      }
      if (attempt > 50) throw new Error('no instance accepted the stream');
      this._index = (this._index + 1) % this._servers().length;
    }
  }
}

/** The ids of acknowledged (201) creates, and a way to await a count of them without polling. */
export class Acks {
  readonly ids: string[] = [];
  private readonly _waiting: { count: number; resolve: () => void }[] = [];

  add(id: string): void {
    this.ids.push(id);
    for (const waiter of this._waiting.filter((w) => this.ids.length >= w.count)) {
      this._waiting.splice(this._waiting.indexOf(waiter), 1);
      waiter.resolve();
    }
  }

  /** Resolves once `count` creates have been acknowledged. */
  reach(count: number): Promise<void> {
    if (this.ids.length >= count) return Promise.resolve();
    return new Promise((resolve) => this._waiting.push({ count, resolve }));
  }
}
