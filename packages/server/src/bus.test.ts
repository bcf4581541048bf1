import { describe, expect, it } from 'vitest';
import { InProcessBus } from './bus.js';

describe('InProcessBus', () => {
  it('should wake a subscriber whatever the case or padding of the account id', () => {
    const bus = new InProcessBus();
    const id = '0F8FAD5B-D9CB-469F-A165-70867728950E';
    let wakes = 0;
    bus.subscribe(id.toLowerCase(), () => wakes++);
    bus.publish(id);
    bus.publish(` ${id.toLowerCase()} `);
    expect(wakes).toBe(2);
  });

  it('should not wake subscribers of another account', () => {
    const bus = new InProcessBus();
    let wakes = 0;
    bus.subscribe('account-a', () => wakes++);
    bus.publish('account-b');
    expect(wakes).toBe(0);
  });

  it('should stop waking after unsubscribe and forget empty accounts', () => {
    const bus = new InProcessBus();
    let wakes = 0;
    const unsubscribe = bus.subscribe('a', () => wakes++);
    unsubscribe();
    bus.publish('a');
    expect(wakes).toBe(0);
    expect(bus.accountCount).toBe(0);
  });

  it('should keep a later subscriber when an earlier one unsubscribes twice', () => {
    const bus = new InProcessBus();
    let wakes = 0;
    const first = bus.subscribe('a', () => undefined);
    first();
    bus.subscribe('a', () => wakes++);
    first();
    bus.publish('a');
    expect(wakes).toBe(1);
  });
});
