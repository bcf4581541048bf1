import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { sql } from 'drizzle-orm';
import { createWorld, listen, type TestWorld } from '../test/harness.js';
import { Ownership } from '../test/ownership.js';
import { Prng } from '../test/prng.js';
import { sized } from '../test/soak.js';
import { queryNumber } from '../test/sql.js';
import { TenantFuzz } from '../test/tenant-fuzz.js';
import { TENANT_FUZZ_WEIGHTS, tenantFuzzOperations } from '../test/tenant-fuzz-operations.js';
import { createTenants } from '../test/tenants.js';

/** Generous against the ~10–30 s a bounded run takes here; a soak run takes minutes. */
const TIMEOUT_MS = sized(120_000, 900_000);

const TENANTS = 5;
const OPERATIONS = sized(2_000, 10_000);

const prng = Prng.fromEnv();
const counts: Record<string, number> = {};
let world: TestWorld;
let server: Awaited<ReturnType<typeof listen>>;
let fuzz: TenantFuzz;

beforeAll(async () => {
  world = await createWorld({ env: { STREAM_MAX_PER_USER: '1000' } });
  server = await listen(world.app);
  const ownership = new Ownership();
  const tenants = await createTenants(world, TENANTS, ownership);
  fuzz = new TenantFuzz(prng, server.url, tenants, ownership, world.database);
  for (const tenant of tenants) {
    const put = { allowedOrigins: [`https://${tenant.marker}.example`] };
    expect((await fuzz.call(tenant, tenant.tokens.admin, 'PUT', '/v1/account/settings', put)).status).toBe(
      200,
    );
    for (const token of Object.values(tenant.tokens)) await fuzz.call(tenant, token, 'GET', '/v1/me');
  }
});
afterAll(async () => {
  for (const stream of fuzz?.streams.splice(0) ?? []) stream.client.close();
  await server?.close();
  await world?.close();
});

describe(`cross-tenant fuzz (${TENANTS} tenants, ${OPERATIONS} operations, seed ${prng.seed})`, () => {
  it(
    'should never show one tenant any identifier of another',
    async () => {
      console.log(`cross-tenant fuzz: seed ${prng.seed} (replay with SEED=${prng.seed})`);
      const operations = tenantFuzzOperations(fuzz);
      for (let n = 0; n < OPERATIONS; n++) {
        const name = prng.weighted(TENANT_FUZZ_WEIGHTS);
        counts[name] = (counts[name] ?? 0) + 1;
        await operations[name]();
      }
      for (const stream of fuzz.streams.splice(0)) await fuzz.checkStream(stream);

      const crossed = await queryNumber(
        world.database,
        sql`SELECT count(*) FROM events e JOIN handoffs h ON h.id = e.handoff_id WHERE e.account_id != h.account_id`,
      );
      console.log(
        `cross-tenant fuzz: ${OPERATIONS} operations (${Object.entries(counts)
          .map(([k, v]) => `${k} ${v}`)
          .join(', ')}), ` +
          `${fuzz.requests} requests (${Object.entries(fuzz.statuses)
            .map(([k, v]) => `${k}×${v}`)
            .join(', ')}), ` +
          `${fuzz.foreignRefused} aimed at another tenant's ids or users → all refused, ${fuzz.streamsChecked} streams / ${fuzz.framesChecked} frames checked, ` +
          `${fuzz.leaks.length} leaks`,
      );
      expect(crossed).toBe(0);
      expect(fuzz.leaks.slice(0, 10)).toEqual([]);
    },
    TIMEOUT_MS,
  );
});
