import { describe, expect, it } from 'vitest';
import { SeenUsers } from './seen-users.js';

const kim = { id: 'kim', name: 'Kim', email: 'kim@msp.example', role: 'engineer' } as const;

/** A write that counts its calls and finishes when `finish()` is called. */
function gatedWrite() {
  let calls = 0;
  let finish!: () => void;
  const done = new Promise<void>((resolve) => (finish = resolve));
  return {
    write: () => {
      calls++;
      return done;
    },
    calls: () => calls,
    finish: () => finish(),
  };
}

describe('SeenUsers.record', () => {
  it('should share one write among the concurrent first requests of one identity, then write no more', async () => {
    const seen = new SeenUsers();
    const gate = gatedWrite();
    const burst = Array.from({ length: 5 }, () => seen.record('acct', kim, gate.write));
    gate.finish();
    await Promise.all(burst);
    expect(gate.calls()).toBe(1);
    await seen.record('acct', kim, gate.write);
    expect(gate.calls()).toBe(1);
  });

  it('should write each identity that differs (another account, a changed name) once more', async () => {
    const seen = new SeenUsers();
    const gate = gatedWrite();
    const burst = [
      seen.record('acct', kim, gate.write),
      seen.record('other', kim, gate.write),
      seen.record('acct', { ...kim, name: 'Kim R.' }, gate.write),
    ];
    gate.finish();
    await Promise.all(burst);
    expect(gate.calls()).toBe(3);
  });

  it('should let every waiter see a failed write and try again on the next request', async () => {
    const seen = new SeenUsers();
    const failure = new Error('database unavailable');
    let calls = 0;
    const failing = () => {
      calls++;
      return Promise.reject(failure);
    };
    const burst = await Promise.allSettled([
      seen.record('acct', kim, failing),
      seen.record('acct', kim, failing),
    ]);
    expect(burst.map((outcome) => outcome.status)).toEqual(['rejected', 'rejected']);
    expect(calls).toBe(1);
    await seen.record('acct', kim, async () => undefined);
    expect(seen.has('acct', kim)).toBe(true);
  });
});
