import { describe, expect, it } from 'vitest';
import { InProcessBus } from '../bus.js';
import { QueueCache } from './queue-cache.js';

const ACCOUNT = '3f0c6a2e-8d7b-4c1e-9a55-0b6f1d2e3c4a';

describe('queue page cache', () => {
  it('should serve a stored page until the account has a new event', async () => {
    const bus = new InProcessBus();
    const cache = new QueueCache(bus);
    let loads = 0;
    const load = async () => `page ${++loads}`;
    expect(await cache.read(ACCOUNT, 'open', load)).toBe('page 1');
    expect(await cache.read(ACCOUNT, 'open', load)).toBe('page 1');
    bus.publish(ACCOUNT);
    expect(await cache.read(ACCOUNT, 'open', load)).toBe('page 2');
  });

  it('should not store a read that a wake-up overtook (it may predate the change)', async () => {
    const bus = new InProcessBus();
    const cache = new QueueCache(bus);
    let release!: () => void;
    const slow = cache.read(ACCOUNT, 'open', async () => {
      await new Promise<void>((resolve) => (release = resolve));
      return 'read before the change';
    });
    // Another instance's commit is announced while the read is in flight.
    bus.publish(ACCOUNT);
    release();
    expect(await slow).toBe('read before the change');
    expect(await cache.read(ACCOUNT, 'open', async () => 'read after the change')).toBe(
      'read after the change',
    );
  });
});
