import type { AssessmentStatus, Priority } from '@resolutionflow/types';

/** Every text `<escalation-queue>` shows; override any of them through its `strings` property. */
export const queueStrings = {
  heading: 'Escalations',
  connecting: 'Connecting…',
  live: 'Live',
  reconnecting: 'Reconnecting…',
  offline: 'Offline',
  loading: 'Loading escalations',
  empty: 'No open escalations. New ones appear here as they arrive.',
  error: 'The queue could not be loaded.',
  retry: 'Try again',
  pickUp: 'Pick up',
  pickingUp: 'Picking up…',
  viewOnly: 'View only: engineers and admins pick up escalations.',
  escalated: (time: string, name: string) => `Escalated ${time} by ${name}`,
  /** On a card the account's escalation policy found still waiting (a re-notification went out). */
  overdue: 'Overdue',
  priority: { low: 'Low', normal: 'Normal', high: 'High', urgent: 'Urgent' } as Record<Priority, string>,
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
  closed: 'No longer open',
  claimFailed: (reason: string) => `Could not pick this up: ${reason}`,
  announce: (title: string) => `New escalation: ${title}`,
  titleFlash: (count: number) => `(${count}) New escalation${count === 1 ? '' : 's'}`,
  enableNotifications: 'Notify me',
  notificationTitle: 'New escalation',
  closeContext: 'Close',
};

/** The shape of `<escalation-queue>`'s strings. */
export type QueueStrings = typeof queueStrings;
