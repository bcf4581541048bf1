import type { MeResponse } from '@resolutionflow/types';
import { expect } from '@open-wc/testing';
import { server, token } from '../test/helpers.js';
import { ApiClient } from './api-client.js';
import { ApiError } from './api-error.js';
import { TokenSource } from './tokens.js';

const longAgo = () => Math.floor(Date.now() / 1000) - 7200;

describe('ApiClient', () => {
  it('should send the token and read the caller', async () => {
    const sam = await token({ persona: 'sam' });
    const client = new ApiClient({
      apiBase: await server(),
      tokens: new TokenSource(() => ({ token: sam })),
    });
    const me: MeResponse = await client.me();
    expect(me.user?.name).to.equal('Sam Rivera');
    expect(me.permissions.claim).to.equal(true);
  });

  it('should refresh an expired token once and retry', async () => {
    const expired = await token({ persona: 'sam', iat: longAgo(), ttl: 60 });
    let calls = 0;
    const tokens = new TokenSource(() => ({
      token: expired,
      getToken: () => (calls++, token({ persona: 'sam' })),
    }));
    const client = new ApiClient({ apiBase: await server(), tokens });
    expect((await client.me()).user?.name).to.equal('Sam Rivera');
    expect(calls).to.equal(1);
    await client.me();
    expect(calls, 'the fresh token is kept').to.equal(1);
  });

  it('should report the 401 when no fresh token can be had', async () => {
    const expired = await token({ persona: 'sam', iat: longAgo(), ttl: 60 });
    const client = new ApiClient({
      apiBase: await server(),
      tokens: new TokenSource(() => ({ token: expired })),
    });
    const error = (await client.me().catch((caught: unknown) => caught)) as ApiError;
    expect(error).to.be.instanceOf(ApiError);
    expect(error.status).to.equal(401);
    expect(error.code).to.be.oneOf(['token_expired', 'unauthorized']);
  });

  it('should turn API errors and unreachable servers into typed errors', async () => {
    const bearer = await token();
    const tokens = new TokenSource(() => ({ token: bearer }));
    const client = new ApiClient({ apiBase: await server(), tokens });
    const missing = (await client
      .getHandoff('00000000-0000-4000-8000-000000000000')
      .catch((e: unknown) => e)) as ApiError;
    expect([missing.status, missing.code]).to.deep.equal([404, 'not_found']);
    const offline = new ApiClient({ apiBase: 'http://127.0.0.1:9', tokens });
    const network = (await offline.me().catch((e: unknown) => e)) as ApiError;
    expect([network.status, network.code]).to.deep.equal([0, 'network']);
  });

  it('should refuse a page origin the account does not allow', async () => {
    const foreign = await token({ account: 'foreign' });
    const client = new ApiClient({
      apiBase: await server(),
      tokens: new TokenSource(() => ({ token: foreign })),
    });
    const error = (await client.me().catch((e: unknown) => e)) as ApiError;
    expect([error.status, error.code]).to.deep.equal([403, 'origin_not_allowed']);
  });
});
