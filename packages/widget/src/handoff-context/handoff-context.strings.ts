import type { Priority, StepOutcome } from '@resolutionflow/types';

/** Every text `<handoff-context>` shows; override any of them through its `strings` property. */
export const contextStrings = {
  loading: 'Loading the handoff',
  notFound: 'This handoff does not exist, or it belongs to another account.',
  error: 'The handoff could not be loaded.',
  retry: 'Try again',
  priority: {
    low: 'Low priority',
    normal: 'Normal priority',
    high: 'High priority',
    urgent: 'Urgent',
  } as Record<Priority, string>,
  client: 'Client',
  device: 'Device',
  escalated: (time: string, name: string) => `Escalated ${time} by ${name}`,
  ticket: 'Open the ticket',
  copy: 'Copy summary',
  copied: 'Summary copied',
  copyFailed: 'Could not copy: select the text instead',
  summary: 'Problem summary',
  tried: "What's been tried",
  triedNothing: 'Nothing recorded.',
  outcome: { worked: 'Worked', failed: 'Failed', partial: 'Partly worked', unknown: 'Unknown' } as Record<
    StepOutcome,
    string
  >,
  assessment: 'AI assessment',
  assessing: 'Assessing… the result appears here in a moment.',
  likelyCause: 'Likely cause',
  confidence: (percent: string) => `${percent} confidence`,
  nextSteps: 'Suggested next steps',
  model: (model: string) => `Assessed by ${model}`,
  timedOut: 'The assessment took too long and was skipped. Everything above is complete without it.',
  failed: 'The assessment could not be completed. Everything above is complete without it.',
  disabled: 'AI assessment is off for this account.',
  startHere: 'Start here',
  start: 'Start working on it',
  starting: 'Starting…',
  started: (after: string) => `Started ${after} after pick-up.`,
  pickUp: 'Pick up',
  pickingUp: 'Picking up…',
  openHint: 'Pick this up to start working on it.',
  claimedBy: (name: string) => `${name} is on it.`,
  closed: 'This handoff is closed.',
  actionFailed: (reason: string) => `That did not work: ${reason}`,
};

/** The shape of `<handoff-context>`'s strings. */
export type ContextStrings = typeof contextStrings;
