import type { Handoff } from '@resolutionflow/types';
import { findApiKey } from '../auth/api-keys.js';
import { addAccount, type TestAccount, type TestWorld } from './harness.js';
import { Ownership } from './ownership.js';

/** One tenant as a fuzzer drives it: its tokens, what it created, what it was shown. */
export interface Tenant {
  index: number;
  account: TestAccount;
  marker: string;
  tokens: Record<'viewer' | 'technician' | 'engineer1' | 'engineer2' | 'admin', string>;
  handoffs: Handoff[];
  escalations: number;
  cursors: string[];
}

/**
 * `count` tenants (the world's two accounts and more), each with a marker in
 * every user id, name and e-mail, and everything they own recorded in `ownership`.
 */
export async function createTenants(
  world: TestWorld,
  count: number,
  ownership: Ownership,
): Promise<Tenant[]> {
  const accounts = [world.a, world.b];
  for (let k = 2; k < count; k++) accounts.push(await addAccount(world.database, `Tenant ${k}`, Date.now()));
  return Promise.all(
    accounts.map(async (account, index) => {
      const marker = Ownership.marker(index);
      ownership.own(marker, index);
      ownership.own(account.id, index);
      ownership.own((await findApiKey(world.database, account.apiKey))!.id, index);
      const as = (role: 'viewer' | 'technician' | 'engineer' | 'admin', n = 1) =>
        account.token(
          role,
          {
            id: `${marker}-${role}-${n}`,
            name: `${marker} ${role} ${n}`,
            email: `${role}${n}@${marker}.example`,
          },
          3600,
        );
      const tokens = {
        viewer: await as('viewer'),
        technician: await as('technician'),
        engineer1: await as('engineer', 1),
        engineer2: await as('engineer', 2),
        admin: await as('admin'),
      };
      return { index, account, marker, tokens, handoffs: [], escalations: 0, cursors: [] };
    }),
  );
}
