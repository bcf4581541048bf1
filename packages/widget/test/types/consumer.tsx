// Compiled (not run) by the widget's `test` script against the built declarations in dist/types,
// as an app would see them: tag and event maps, React 19 JSX props and `onrf-…` events.
import '@resolutionflow/widget/define';
import type {} from '@resolutionflow/widget/react';
import { configure, type RfClaimEvent } from '@resolutionflow/widget';

configure({ apiBase: 'https://rf.example.com', getToken: async () => 'token' });

const queue = document.createElement('escalation-queue');
queue.openContext = true;
queue.addEventListener('rf-claimed', (event) => event.detail.handoff.claimedBy?.name.toUpperCase());
document.addEventListener('rf-claim', (event: RfClaimEvent) => event.preventDefault());
document
  .querySelector('handoff-context')
  ?.addEventListener('rf-start', (event) => event.detail.handoff.startedAt);

export const typed = (
  <escalation-queue
    api-base="https://rf.example.com"
    getToken={() => 'token'}
    open-context
    onrf-start={(event) => event.detail.handoff.id}
    onrf-connection-change={(event) => event.detail.status === 'live'}
  />
);

export const mine = <escalation-queue view="mine" />;

// @ts-expect-error: not a view of the queue
export const wrongView = <escalation-queue view="all" />;

// @ts-expect-error: not a period
export const wrongPeriod = <escalation-metrics period="1y" />;

// @ts-expect-error: the status event has no such field
queue.addEventListener('rf-connection-change', (event) => event.detail.nope);
