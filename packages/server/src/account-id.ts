/**
 * The one place account ids are normalised. A UUID written in upper case by
 * one caller and lower case by another once silently dropped events.
 *
 * @example
 * normaliseAccountId(' 3F0C6A2E-8D7B-4C1E-9A55-0B6F1D2E3C4A ') // '3f0c6a2e-8d7b-4c1e-9a55-0b6f1d2e3c4a'
 */
export function normaliseAccountId(accountId: string): string {
  return accountId.trim().toLowerCase();
}
