import type { AnalyticsPeriod } from '@resolutionflow/types';

/** Every text `<escalation-metrics>` shows; override any of them through its `strings` property. */
export const metricsStrings = {
  heading: 'Escalation metrics',
  period: 'Period',
  periods: { '7d': '7 days', '30d': '30 days', '90d': '90 days' } as Record<AnalyticsPeriod, string>,
  loading: 'Loading metrics',
  error: 'The metrics could not be loaded.',
  forbidden: 'Metrics are for engineers and admins.',
  retry: 'Try again',
  empty: 'No escalations in this period yet.',
  escalations: 'Escalations',
  conversion: 'Picked up',
  timeToClaim: 'Median time to pick-up',
  timeToFirstAction: 'Median time to first action',
  minutesRecovered: 'Minutes recovered per escalation',
  hoursSaved: 'Hours saved per week',
  notMeasured: 'Not measured yet',
  note: (baseline: string | null) =>
    'Time to pick-up: how long an escalation waited. Time to first action: from pick-up to the first step, ' +
    'measured in the product. ' +
    (baseline
      ? `Minutes recovered: your manual baseline of ${baseline} for a verbal handoff, minus that median; ` +
        'hours saved per week: that times escalations per week, ÷ 60.'
      : 'Set a manual baseline (minutes a verbal handoff takes) to see minutes recovered and hours saved.'),
  chart: (days: number, created: number, claimed: number) =>
    `Daily trend over ${days} days: ${created} escalated, ${claimed} picked up.`,
  created: 'Escalated',
  claimed: 'Picked up',
  date: 'Day',
  showTable: 'Show as a table',
};

/** The shape of `<escalation-metrics>`'s strings. */
export type MetricsStrings = typeof metricsStrings;
