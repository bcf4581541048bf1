import type { Handoff } from '@resolutionflow/types';

const serialised = new WeakMap<Handoff, string>();

/**
 * A handoff's JSON, made once per handoff object. A create carries its handoff
 * three times (the `handoff.created` event's data, the idempotent answer, the
 * 201), and serialising it was a measurable part of a create's CPU
 * (docs/performance.md, issue 13). Handoffs are values: nothing changes one
 * after it is built, so the text stays true for as long as the object lives.
 */
export function handoffJson(handoff: Handoff): string {
  let json = serialised.get(handoff);
  if (json === undefined) serialised.set(handoff, (json = JSON.stringify(handoff)));
  return json;
}
