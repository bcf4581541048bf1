import { expect } from '@open-wc/testing';
import { ReconnectPolicy } from './reconnect-policy.js';

describe('ReconnectPolicy', () => {
  it('should say reconnecting, then offline from the third failure in a row', () => {
    const policy = new ReconnectPolicy();
    const statuses = [policy.fail(), policy.fail(), policy.fail(), policy.fail()].map(({ status }) => status);
    expect(statuses).to.deep.equal(['reconnecting', 'reconnecting', 'offline', 'offline']);
  });

  it("should back off exponentially from the server's retry hint, never sooner than Retry-After", () => {
    const policy = new ReconnectPolicy();
    policy.retryMs = 2000;
    const [first, second, third] = [policy.fail(), policy.fail(), policy.fail()].map(
      ({ delayMs }) => delayMs,
    );
    expect(first).to.be.within(1000, 2000);
    expect(second).to.be.within(2000, 4000);
    expect(third).to.be.within(4000, 8000);
    expect(policy.fail(60_000).delayMs).to.equal(60_000);
  });

  it('should start counting again after a reset', () => {
    const policy = new ReconnectPolicy();
    policy.fail();
    policy.fail();
    policy.reset();
    const { status, delayMs } = policy.fail();
    expect(status).to.equal('reconnecting');
    expect(delayMs).to.be.within(500, 1000);
  });

  it('should allow one token refresh until the next reset', () => {
    const policy = new ReconnectPolicy();
    expect([policy.mayRefresh(), policy.mayRefresh()]).to.deep.equal([true, false]);
    policy.reset();
    expect(policy.mayRefresh()).to.equal(true);
  });
});
