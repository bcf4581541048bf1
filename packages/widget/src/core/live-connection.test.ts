import type { HandoffEventData, MeResponse } from '@resolutionflow/types';
import { expect } from '@open-wc/testing';
import {
  api,
  escalate,
  requireLiveStream,
  seqOf,
  server,
  serverControl,
  token,
  until,
  type TokenOptions,
} from '../test/helpers.js';
import type { ApiError } from './api-error.js';
import { configure } from './config.js';
import { LiveConnection, type ConnectionStatus } from './live-connection.js';
import { liveConnection } from './live-registry.js';
import { TokenSource, type TokenProvider } from './tokens.js';

/** A connection of its own (unless given one) and everything it reported. */
async function connect(getToken: TokenProvider, lastEventId: string | null = null, shared?: LiveConnection) {
  const connection = shared ?? new LiveConnection(`${await server()}/v1/stream`);
  connection.lastEventId = lastEventId;
  const seen = {
    events: [] as HandoffEventData[],
    ids: [] as string[],
    statuses: [] as ConnectionStatus[],
    resyncs: 0,
    errors: [] as ApiError[],
  };
  const unsubscribe = connection.subscribe(
    {
      onEvent: (data, id) => (seen.events.push(data), seen.ids.push(id)),
      onResync: () => seen.resyncs++,
      onStatus: (status) => seen.statuses.push(status),
      onError: (error) => seen.errors.push(error),
    },
    new TokenSource(() => ({ getToken })),
  );
  return { connection, seen, unsubscribe };
}

const live = (connection: LiveConnection) => until(() => connection.status === 'live', 'the stream is live');
const minted =
  (options: TokenOptions = {}) =>
  () =>
    token(options);

describe('LiveConnection', function () {
  const cleanups: (() => void)[] = [];
  before(async function () {
    await requireLiveStream(this);
  });
  afterEach(() => {
    cleanups.splice(0).forEach((cleanup) => cleanup());
    configure({ heartbeatSeconds: undefined });
  });

  it('should deliver each event once, in order', async () => {
    const { connection, seen, unsubscribe } = await connect(minted());
    cleanups.push(unsubscribe);
    await live(connection);
    const created = [await escalate(), await escalate(), await escalate()];
    await until(
      () => created.every((handoff) => seen.events.some((event) => event.handoff.id === handoff.id)),
      'all arrive',
    );
    const mine = seen.events.filter(
      (event) =>
        created.some((handoff) => handoff.id === event.handoff.id) && event.type === 'handoff.created',
    );
    expect(mine.map((event) => event.handoff.id)).to.deep.equal(created.map((handoff) => handoff.id));
    // Each next id is the one after: in order, none twice, no gap.
    const seqs = seen.ids.map(seqOf);
    expect(seqs).to.deep.equal(seqs.map((_, index) => seqs[0]! + index));
    expect(seen.resyncs).to.equal(0);
  });

  it('should resume with Last-Event-ID after the token expires, losing no event', async () => {
    let calls = 0;
    let missed = '';
    const { connection, seen, unsubscribe } = await connect(async () => {
      calls++;
      if (calls === 1) return token({ persona: 'sam', ttl: 2 });
      // Escalated while the stream is closed: it must come from the replay.
      if (calls === 2) missed = (await escalate()).id;
      return token({ persona: 'sam' });
    });
    cleanups.push(unsubscribe);
    await live(connection);
    const before = await escalate();
    await until(
      () => seen.events.some((event) => event.handoff.id === before.id),
      'an event before expiry arrives',
    );
    await until(
      () => missed && seen.events.some((event) => event.handoff.id === missed),
      'the event missed while closed arrives',
      15_000,
    );
    expect(calls).to.equal(2);
    expect(seen.resyncs, 'resumed, not refetched').to.equal(0);
    await live(connection);
  });

  it('should ask for a resync when the server cannot resume (stream.reset)', async () => {
    const { connection, seen, unsubscribe } = await connect(minted(), '999999999999');
    cleanups.push(unsubscribe);
    await until(() => seen.resyncs === 1, 'a resync is asked for');
    await live(connection);
    const handoff = await escalate();
    await until(
      () => seen.events.some((event) => event.handoff.id === handoff.id),
      'later events still arrive',
    );
  });

  it('should refresh a refused token once, then give up', async () => {
    const expired = { persona: 'sam' as const, iat: Math.floor(Date.now() / 1000) - 7200, ttl: 60 };
    let calls = 0;
    const refreshed = await connect(() => (++calls === 1 ? token(expired) : token()));
    cleanups.push(refreshed.unsubscribe);
    await live(refreshed.connection);
    expect(calls).to.equal(2);

    const refused = await connect(minted(expired));
    cleanups.push(refused.unsubscribe);
    await until(() => refused.seen.errors.length === 1, 'the refusal is reported');
    expect(refused.seen.errors[0]!.status).to.equal(401);
    expect(refused.connection.status).to.equal('offline');
  });

  it('should stop on a 403', async () => {
    const { connection, seen, unsubscribe } = await connect(minted({ account: 'foreign' }));
    cleanups.push(unsubscribe);
    await until(() => seen.errors.length === 1, 'the refusal is reported');
    expect([seen.errors[0]!.status, seen.errors[0]!.code]).to.deep.equal([403, 'origin_not_allowed']);
    expect(connection.status).to.equal('offline');
  });

  it('should reconnect when the server goes silent for two heartbeats', async () => {
    configure({ heartbeatSeconds: 1 });
    // A key of its own: the page's registry hands the configured heartbeat to the connection it creates.
    const own = liveConnection(await server(), 'watchdog');
    const { connection, seen, unsubscribe } = await connect(minted(), null, own);
    cleanups.push(unsubscribe);
    await live(connection);
    await serverControl('pause');
    try {
      await until(() => connection.status !== 'live', 'the watchdog notices', 8000);
    } finally {
      await serverControl('resume');
    }
    await live(connection);
    expect(seen.statuses).to.include('reconnecting');
  });

  it('should say offline while the server stays down, and come back', async () => {
    const { connection, unsubscribe } = await connect(minted());
    cleanups.push(unsubscribe);
    await live(connection);
    await serverControl('kill');
    try {
      await until(() => connection.status === 'offline', 'offline after repeated failures', 15_000);
    } finally {
      await serverControl('start');
    }
    await until(() => connection.status === 'live', 'live again', 20_000);
  });

  it('should let go of its stream while the page is frozen, and resume after it without a gap', async () => {
    const realFetch = window.fetch;
    const opens: Request[] = [];
    window.fetch = (input, init) => {
      if (String(input).endsWith('/v1/stream')) opens.push(new Request(input, init));
      return realFetch(input, init);
    };
    try {
      const { connection, seen, unsubscribe } = await connect(minted());
      cleanups.push(unsubscribe);
      await live(connection);
      // What the page lifecycle says on the way into the back-forward cache, or to a background tab.
      document.dispatchEvent(new Event('freeze'));
      expect(opens.at(-1)!.signal.aborted, 'the stream is closed').to.equal(true);
      const missed = await escalate();
      document.dispatchEvent(new Event('resume'));
      await until(
        () => seen.events.some((event) => event.handoff.id === missed.id),
        'the escalation of the frozen time arrives',
      );
      expect(opens.at(-1)!.headers.get('last-event-id'), 'it resumed').to.be.a('string');
      expect(seen.resyncs).to.equal(0);
    } finally {
      window.fetch = realFetch;
    }
  });

  it('should open lazily and share one stream per account on a page', async () => {
    const apiBase = await server();
    const me = await api<MeResponse>(await token(), 'GET', '/me');
    const realFetch = window.fetch;
    let streams = 0;
    window.fetch = (input, init) => {
      if (String(input).endsWith('/v1/stream')) streams++;
      return realFetch(input, init);
    };
    try {
      const shared = liveConnection(apiBase, me.account.id);
      expect(liveConnection(apiBase, me.account.id)).to.equal(shared);
      await new Promise((resolve) => setTimeout(resolve, 100));
      expect(streams, 'nothing opens before a subscriber').to.equal(0);
      const tokens = new TokenSource(() => ({ getToken: minted() }));
      cleanups.push(shared.subscribe({}, tokens), shared.subscribe({}, tokens));
      await live(shared);
      expect(streams).to.equal(1);
    } finally {
      window.fetch = realFetch;
    }
  });
});
