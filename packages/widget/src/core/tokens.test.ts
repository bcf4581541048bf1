import { expect } from '@open-wc/testing';
import { ApiError } from './api-error.js';
import { backoffDelay } from './backoff.js';
import { TokenSource, type TokenSettings } from './tokens.js';

describe('TokenSource', () => {
  it('should use the configured token, and take a new one as soon as it is set', async () => {
    const settings: TokenSettings = { token: 'first' };
    const tokens = new TokenSource(() => settings);
    expect(await tokens.get()).to.equal('first');
    settings.token = 'second';
    expect(await tokens.get()).to.equal('second');
  });

  it('should ask getToken when there is no token, and share one call between concurrent refreshes', async () => {
    let calls = 0;
    const tokens = new TokenSource(() => ({ getToken: async () => `token-${++calls}` }));
    expect(await tokens.get()).to.equal('token-1');
    const refreshed = await Promise.all([
      tokens.refresh('token-1'),
      tokens.refresh('token-1'),
      tokens.refresh('token-1'),
    ]);
    expect(refreshed).to.deep.equal(['token-2', 'token-2', 'token-2']);
    expect(await tokens.refresh('token-1'), 'a stale token is already replaced').to.equal('token-2');
    expect(calls).to.equal(2);
  });

  it('should fail with no_token when nothing is configured', async () => {
    const tokens = new TokenSource(() => ({}));
    expect(tokens.configured).to.equal(false);
    const error = await tokens.get().catch((caught: unknown) => caught);
    expect(error).to.be.instanceOf(ApiError);
    expect((error as ApiError).code).to.equal('no_token');
  });
});

describe('backoffDelay', () => {
  it('should grow exponentially with jitter and stop at 30 s', () => {
    expect(backoffDelay(1, 1000, 30_000, () => 0)).to.equal(500);
    expect(backoffDelay(1, 1000, 30_000, () => 1)).to.equal(1000);
    expect(backoffDelay(3, 1000, 30_000, () => 1)).to.equal(4000);
    expect(backoffDelay(20, 1000, 30_000, () => 1)).to.equal(30_000);
    expect(backoffDelay(20, 1000, 30_000, () => 0)).to.equal(15_000);
  });
});
