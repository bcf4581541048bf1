/** True under `npm run test:soak` (`SOAK=1`): the long variants of the reliability suite. */
export const SOAK = process.env.SOAK === '1';

/**
 * The size of a reliability test: `bounded` in `npm test`, `soak` under `SOAK=1`.
 *
 * @example
 * const creates = sized(500, 2_000);
 */
export function sized(bounded: number, soak: number): number {
  return SOAK ? soak : bounded;
}
