import {
  ANALYTICS_PERIOD_DAYS,
  ANALYTICS_PERIODS,
  PRIORITIES,
  PRIORITY_RANK,
} from '@resolutionflow/types/constants';
import { describe, expect, it } from 'vitest';

// The constants are written out (so a browser bundle can drop what it does not use);
// these pin them to the lists they are derived from.
describe('contract constants', () => {
  it('should rank each priority by its place in PRIORITIES', () => {
    expect(PRIORITY_RANK).toEqual(Object.fromEntries(PRIORITIES.map((priority, rank) => [priority, rank])));
  });

  it('should give every analytics period its number of days, and nothing else', () => {
    expect(Object.keys(ANALYTICS_PERIOD_DAYS)).toEqual([...ANALYTICS_PERIODS]);
    for (const period of ANALYTICS_PERIODS)
      expect(ANALYTICS_PERIOD_DAYS[period]).toBe(Number.parseInt(period));
  });
});
