import type { AnalyticsPeriod, Handoff } from '@resolutionflow/types';
import type { ApiError } from '../core/api-error.js';
import type { ConnectionStatus } from '../core/live-connection.js';

/** A new escalation arrived on the live stream. */
export type RfEscalationReceivedEvent = CustomEvent<{ handoff: Handoff }>;
/** The user asked to pick up an escalation. Cancelable: `preventDefault()` stops the claim. */
export type RfClaimEvent = CustomEvent<{ handoff: Handoff }>;
/** The claim succeeded; `handoff` is as the server returned it. */
export type RfClaimedEvent = CustomEvent<{ handoff: Handoff }>;
/** The first action was recorded: open your own session view. */
export type RfStartEvent = CustomEvent<{ handoff: Handoff }>;
/** The live connection's status changed. */
export type RfConnectionChangeEvent = CustomEvent<{ status: ConnectionStatus }>;
/** Something failed; `operation` says what (`load`, `claim`, `start`, `copy`, `stream`). */
export type RfErrorEvent = CustomEvent<{ error: ApiError; operation: string }>;
/** The metrics period changed. */
export type RfPeriodChangeEvent = CustomEvent<{ period: AnalyticsPeriod }>;

/** An `rf-` event as every element dispatches it: bubbling, composed, with a typed detail. */
export function rfEvent<K extends keyof RfEventMap>(
  name: K,
  detail: RfEventMap[K]['detail'],
  cancelable = false,
): RfEventMap[K] {
  return new CustomEvent(name, { detail, bubbles: true, composed: true, cancelable }) as RfEventMap[K];
}

/** Every event the elements dispatch, by name. All bubble and cross shadow roots. */
export interface RfEventMap {
  'rf-escalation-received': RfEscalationReceivedEvent;
  'rf-claim': RfClaimEvent;
  'rf-claimed': RfClaimedEvent;
  'rf-start': RfStartEvent;
  'rf-connection-change': RfConnectionChangeEvent;
  'rf-error': RfErrorEvent;
  'rf-period-change': RfPeriodChangeEvent;
}

declare global {
  // Merges the map above into the DOM's, so `addEventListener('rf-claim', …)` is typed; an
  // empty interface is how a declaration merges (a type alias cannot).
  // eslint-disable-next-line @typescript-eslint/no-empty-object-type
  interface GlobalEventHandlersEventMap extends RfEventMap {}
}
