import { CreateHandoffRequestSchema, type EscalationAnalytics, type Role } from '@resolutionflow/types';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { createEmbedToken } from '../token.js';
import { createWorld, escalation, ManualClock, type TestAccount, type TestWorld } from '../test/harness.js';
import { createHandoff } from './handoffs.js';
import { transition } from './transitions.js';

const at = (iso: string) => Date.parse(iso);
/** Tuesday 2026-03-10, 15:00 UTC: the 7-day period is 03-04 … 03-10. */
const NOW = at('2026-03-10T15:00:00Z');

let world: TestWorld;
let clock: ManualClock;
beforeEach(async () => {
  clock = new ManualClock(NOW);
  world = await createWorld({ clock });
});
afterEach(() => world.close());

/** Tokens minted on the world's clock, which is far from the wall clock. */
const tokenOf = (account: TestAccount, role: Role, id = `${role}-1`) =>
  createEmbedToken({
    privateKey: account.privateJwk,
    role,
    ttl: 3600,
    now: Math.floor(clock.now() / 1000),
    user: { id, name: id },
  });

const engineer = { id: 'sam', name: 'Sam', isAdmin: false };

/** One handoff created at `created`, claimed `claimAfter` s later and started `startAfter` s after the claim. */
async function seed(
  account: TestAccount,
  created: string,
  {
    claimAfter,
    startAfter,
    intent = 'escalate',
  }: { claimAfter?: number; startAfter?: number; intent?: string } = {},
) {
  const input = CreateHandoffRequestSchema.parse(escalation({ intent }));
  const createdAt = at(created);
  const { id } = (
    await createHandoff(
      world.database,
      account.id,
      { id: 'tech', name: 'Tech' },
      input,
      { status: 'disabled' },
      createdAt,
    )
  ).handoff;
  if (claimAfter === undefined) return;
  const claimedAt = createdAt + claimAfter * 1000;
  await transition(world.database, account.id, id, 'claim', engineer, claimedAt);
  if (startAfter !== undefined)
    await transition(world.database, account.id, id, 'start', engineer, claimedAt + startAfter * 1000);
}

/** The hand-built fixture: six escalations in the 7-day period, and rows that must not count. */
async function seedFixture() {
  await seed(world.a, '2026-03-04T00:00:00Z', { claimAfter: 60, startAfter: 120 }); // first instant of the period
  await seed(world.a, '2026-03-05T10:00:00Z', { claimAfter: 120, startAfter: 300 });
  await seed(world.a, '2026-03-05T11:00:00Z', { claimAfter: 300, startAfter: 600 });
  await seed(world.a, '2026-03-08T08:00:00Z', { claimAfter: 600 }); // claimed, never started
  await seed(world.a, '2026-03-09T16:00:00Z', { claimAfter: 1200, startAfter: 60 });
  await seed(world.a, '2026-03-10T14:00:00Z'); // still open
  await seed(world.a, '2026-03-03T23:59:59Z', { claimAfter: 30 }); // the day before: 30d only
  await seed(world.a, '2026-03-06T09:00:00Z', { claimAfter: 5, startAfter: 5, intent: 'handoff' }); // shift change
  await seed(world.b, '2026-03-06T09:00:00Z', { claimAfter: 1, startAfter: 1 }); // another account
}

async function analytics(query = '?period=7d', token?: string): Promise<EscalationAnalytics> {
  const response = await world.call('GET', `/v1/analytics/escalations${query}`, {
    token: token ?? (await tokenOf(world.a, 'engineer')),
  });
  expect(response.status).toBe(200);
  return (await response.json()) as EscalationAnalytics;
}

async function setBaseline(minutes: number | null) {
  const body = { manualBaselineMinutes: minutes };
  const response = await world.call('PUT', '/v1/account/settings', {
    token: await tokenOf(world.a, 'admin'),
    body,
  });
  expect(response.status).toBe(200);
}

const zeroDay = (date: string) => ({ date, created: 0, claimed: 0 });

describe('GET /v1/analytics/escalations', () => {
  it('should compute the 7-day figures of the fixture', async () => {
    await seedFixture();
    expect(await analytics()).toEqual({
      period: '7d',
      from: '2026-03-04T00:00:00.000Z',
      to: '2026-03-10T15:00:00.000Z',
      created: 6,
      claimed: 5,
      conversion: 0.833,
      // to claim: 60, 120, 300, 600, 1200 s; first action: 60, 120, 300, 600 s
      timeToClaim: { medianSeconds: 300, p90Seconds: 1200 },
      timeToFirstAction: { medianSeconds: 210 },
      baselineMinutes: null,
      minutesRecovered: null,
      hoursSavedPerWeek: null,
      trend: [
        { date: '2026-03-04', created: 1, claimed: 1 },
        { date: '2026-03-05', created: 2, claimed: 2 },
        zeroDay('2026-03-06'),
        zeroDay('2026-03-07'),
        { date: '2026-03-08', created: 1, claimed: 1 },
        { date: '2026-03-09', created: 1, claimed: 1 },
        { date: '2026-03-10', created: 1, claimed: 0 },
      ],
    });
  });

  it('should widen to 30 and 90 zero-filled days ending today', async () => {
    await seedFixture();
    const month = await analytics('?period=30d');
    expect(month).toMatchObject({
      from: '2026-02-09T00:00:00.000Z',
      created: 7,
      claimed: 6,
      conversion: 0.857,
      timeToClaim: { medianSeconds: 210, p90Seconds: 1200 },
      timeToFirstAction: { medianSeconds: 210 },
    });
    expect(month.trend).toHaveLength(30);
    expect(month.trend[0]!.date).toBe('2026-02-09');
    expect(month.trend.find((day) => day.date === '2026-03-03')).toEqual({
      date: '2026-03-03',
      created: 1,
      claimed: 1,
    });
    expect(month.trend.at(-1)!.date).toBe('2026-03-10');

    const quarter = await analytics('?period=90d');
    expect(quarter.trend).toHaveLength(90);
    expect([quarter.trend[0]!.date, quarter.trend.at(-1)!.date]).toEqual(['2025-12-11', '2026-03-10']);
    expect(quarter.trend.reduce((sum, day) => sum + day.created, 0)).toBe(7);
    expect(new Set(quarter.trend.map((day) => day.date)).size).toBe(90);

    expect((await analytics('')).period).toBe('30d');
  });

  it('should show minutes recovered only beside a manual baseline', async () => {
    await seedFixture();
    await setBaseline(12);
    expect(await analytics()).toMatchObject({ baselineMinutes: 12, minutesRecovered: 8.5 });
    await setBaseline(null);
    expect(await analytics()).toMatchObject({
      baselineMinutes: null,
      minutesRecovered: null,
      hoursSavedPerWeek: null,
    });
  });

  it('should turn minutes recovered into hours saved per week at the period rate', async () => {
    await seedFixture();
    // Median first action 3.5 min: 13.5 − 3.5 = 10 minutes recovered per escalation.
    await setBaseline(13.5);
    // 7 days: 6 escalations a week × 10 min ÷ 60.
    expect(await analytics()).toMatchObject({ minutesRecovered: 10, hoursSavedPerWeek: 1 });
    // 30 days: 7 escalations ÷ 30 days × 7 = 1.63 a week × 10 min ÷ 60 = 0.27 h.
    expect(await analytics('?period=30d')).toMatchObject({ minutesRecovered: 10, hoursSavedPerWeek: 0.3 });
    // A baseline below the in-product median is a loss, and says so.
    await setBaseline(2.5);
    expect(await analytics()).toMatchObject({ minutesRecovered: -1, hoursSavedPerWeek: -0.1 });
  });

  it('should answer an empty period with zeros, nulls and a zero-filled trend', async () => {
    await seed(world.a, '2026-02-01T12:00:00Z', { claimAfter: 60, startAfter: 60 }); // before the period
    await setBaseline(20);
    expect(await analytics()).toEqual({
      period: '7d',
      from: '2026-03-04T00:00:00.000Z',
      to: '2026-03-10T15:00:00.000Z',
      created: 0,
      claimed: 0,
      conversion: null,
      timeToClaim: { medianSeconds: null, p90Seconds: null },
      timeToFirstAction: { medianSeconds: null },
      baselineMinutes: 20,
      minutesRecovered: null,
      hoursSavedPerWeek: null,
      trend: ['03-04', '03-05', '03-06', '03-07', '03-08', '03-09', '03-10'].map((day) =>
        zeroDay(`2026-${day}`),
      ),
    });
  });

  it('should measure claim and first action from the server clock when driven through the API', async () => {
    const tech = await tokenOf(world.a, 'technician');
    const sam = await tokenOf(world.a, 'engineer', 'sam');
    const created = await world.call('POST', '/v1/handoffs', { token: tech, body: escalation() });
    const { id } = (await created.json()) as { id: string };
    clock.advance(90_000);
    expect((await world.call('POST', `/v1/handoffs/${id}/claim`, { token: sam })).status).toBe(200);
    clock.advance(48_000);
    expect((await world.call('POST', `/v1/handoffs/${id}/start`, { token: sam })).status).toBe(200);
    await setBaseline(2);

    expect(await analytics()).toMatchObject({
      created: 1,
      claimed: 1,
      conversion: 1,
      timeToClaim: { medianSeconds: 90, p90Seconds: 90 },
      timeToFirstAction: { medianSeconds: 48 },
      baselineMinutes: 2,
      minutesRecovered: 1.2, // 2 − 0.8
    });
    expect((await analytics()).trend.at(-1)).toEqual({ date: '2026-03-10', created: 1, claimed: 1 });
    expect((await analytics('?period=7d', await tokenOf(world.b, 'engineer'))).created).toBe(0);
  });

  it('should allow engineers, admins and API keys, and refuse viewers and technicians', async () => {
    const statusFor = async (token: string) =>
      (await world.call('GET', '/v1/analytics/escalations?period=7d', { token })).status;
    expect(await statusFor(await tokenOf(world.a, 'viewer'))).toBe(403);
    expect(await statusFor(await tokenOf(world.a, 'technician'))).toBe(403);
    expect(await statusFor(await tokenOf(world.a, 'engineer'))).toBe(200);
    expect(await statusFor(await tokenOf(world.a, 'admin'))).toBe(200);
    expect(await statusFor(world.a.apiKey)).toBe(200);
  });

  it('should refuse an unknown period or extra query fields with 400', async () => {
    const token = await tokenOf(world.a, 'engineer');
    for (const query of ['?period=1y', '?period=7', '?period=7d&account=other']) {
      expect((await world.call('GET', `/v1/analytics/escalations${query}`, { token })).status).toBe(400);
    }
  });
});
