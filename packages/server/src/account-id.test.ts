import { describe, expect, it } from 'vitest';
import { normaliseAccountId } from './account-id.js';

describe('normaliseAccountId', () => {
  it('should normalise ids in one way', () => {
    expect(normaliseAccountId('  ABC ')).toBe('abc');
  });
});
