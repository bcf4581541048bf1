/**
 * JSX declarations for React 19, which passes props to custom elements as
 * properties and `on<event>` props as listeners. Import once for the types:
 *
 * @example
 * ```tsx
 * import '@resolutionflow/widget/define';
 * import type {} from '@resolutionflow/widget/react';
 *
 * <escalation-queue api-base="https://rf.example.com" getToken={fetchToken} open-context
 *   onrf-claimed={(event) => openSession(event.detail.handoff.id)} />
 * ```
 */
import type { HTMLAttributes, Ref } from 'react';
import type { EscalationMetrics } from './escalation-metrics/escalation-metrics.component.js';
import type { EscalationQueue } from './escalation-queue/escalation-queue.component.js';
import type { HandoffContext } from './handoff-context/handoff-context.component.js';
import type { RfEventMap } from './shared/events.js';

/** `onrf-claim={(event) => …}`: React 19 listens for the `rf-claim` event. */
type EventProps = { [K in keyof RfEventMap as `on${K}`]?: (event: RfEventMap[K]) => void };

/** Attributes and properties shared by every element. */
interface CommonProps<E> extends Omit<HTMLAttributes<E>, 'children'>, EventProps {
  ref?: Ref<E>;
  'api-base'?: string;
  apiBase?: string;
  token?: string;
  getToken?: E extends { getToken?: infer G } ? G : never;
  theme?: 'light' | 'dark' | 'auto';
}

type Props<E, P extends keyof E, A = object> = CommonProps<E> & Partial<Pick<E, P>> & A;

declare module 'react' {
  // eslint-disable-next-line @typescript-eslint/no-namespace
  namespace JSX {
    interface IntrinsicElements {
      'escalation-queue': Props<
        EscalationQueue,
        'strings' | 'view' | 'openContext' | 'noTitleFlash' | 'leaveDelay',
        { 'open-context'?: boolean; 'no-title-flash'?: boolean; 'leave-delay'?: number }
      >;
      'handoff-context': Props<
        HandoffContext,
        'strings' | 'handoff' | 'handoffId',
        { 'handoff-id'?: string }
      >;
      'escalation-metrics': Props<EscalationMetrics, 'strings' | 'period'>;
    }
  }
}
