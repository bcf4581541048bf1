import type { AssessmentStatus, Priority, QueueView } from '@resolutionflow/types';

/** Every text `<escalation-queue>` shows; override any of them through its `strings` property. */
export const queueStrings = {
  heading: 'Escalations',
  connecting: 'Connecting…',
  live: 'Live',
  reconnecting: 'Reconnecting…',
  offline: 'Offline',
  loading: 'Loading escalations',
  views: { open: 'Open', mine: 'Mine', active: 'Active' } as Record<QueueView, string>,
  viewsLabel: 'Views',
  empty: 'No open escalations. New ones appear here as they arrive.',
  emptyMine: 'You have picked up nothing.',
  emptyActive: 'Nothing open or in progress.',
  more: 'Show more',
  error: 'The queue could not be loaded.',
  retry: 'Try again',
  pickUp: 'Pick up',
  pickingUp: 'Picking up…',
  start: 'Start',
  release: 'Release',
  resolve: 'Resolve',
  open: 'Open',
  back: 'Back to the queue',
  viewOnly: 'View only: engineers and admins pick up escalations.',
  escalated: (time: string, name: string) => `Escalated ${time} by ${name}`,
  heldBy: (name: string, after: string) => `Picked up by ${name} after ${after}`,
  /** On a card the account's escalation policy found still waiting (a re-notification went out). */
  overdue: 'Overdue',
  priority: { low: 'Low', normal: 'Normal', high: 'High', urgent: 'Urgent' } as Record<Priority, string>,
  state: { claimed: 'Picked up', started: 'Started' } as Record<string, string>,
  assessment: {
    pending: 'AI assessment in progress…',
    ready: 'AI assessment ready',
    timed_out: 'No AI assessment (took too long)',
    failed: 'No AI assessment',
    disabled: '',
  } as Record<AssessmentStatus, string>,
  pickedUpBy: (name: string) => `Picked up by ${name}`,
  alreadyPickedUpBy: (name: string) => `Already picked up by ${name}`,
  youPickedUp: 'You picked this up',
  released: 'Back in the open queue',
  resolved: 'Resolved',
  closed: 'No longer open',
  actionFailed: (reason: string) => `That did not work: ${reason}`,
  announce: (title: string) => `New escalation: ${title}`,
  titleFlash: (count: number) => `(${count}) New escalation${count === 1 ? '' : 's'}`,
};

/** The shape of `<escalation-queue>`'s strings. */
export type QueueStrings = typeof queueStrings;
