import type { EscalationAnalytics } from '@resolutionflow/types';
import { expect, fixture, html, oneEvent } from '@open-wc/testing';
import { sendKeys } from '@web/test-runner-commands';
import type { RfErrorEvent, RfPeriodChangeEvent } from '../shared/events.js';
import {
  api,
  escalate,
  part,
  parts,
  server,
  text,
  token,
  until,
  type TokenOptions,
} from '../test/helpers.js';
import type { EscalationMetrics } from './escalation-metrics.js';
import './escalation-metrics.js';

async function metricsAs(options: TokenOptions): Promise<EscalationMetrics> {
  return fixture<EscalationMetrics>(
    html`<escalation-metrics api-base=${await server()} token=${await token(options)}></escalation-metrics>`,
  );
}

const loaded = (element: EscalationMetrics) =>
  until(() => part(element, 'figures') || part(element, 'empty'), 'metrics load');

describe('<escalation-metrics>', () => {
  it('should show a skeleton while loading', async () => {
    const element = await metricsAs({ persona: 'priya' });
    expect(parts(element, 'skeleton')).to.have.length(3);
    await loaded(element);
    expect(parts(element, 'skeleton')).to.have.length(0);
  });

  it('should show the figures, minutes recovered beside the baseline, and the trend', async () => {
    const element = await metricsAs({ persona: 'priya' });
    await loaded(element);
    const data = await api<EscalationAnalytics>(
      await token({ persona: 'priya' }),
      'GET',
      '/analytics/escalations?period=30d',
    );
    const labels = parts(element, 'figure-label').map(text);
    expect(labels).to.deep.equal([
      'Escalations',
      'Picked up',
      'Median time to pick-up',
      'Median time to first action',
      'Minutes recovered per escalation',
      'Hours saved per week',
    ]);
    expect(text(parts(element, 'figure-value')[5])).to.equal(String(data.hoursSavedPerWeek));
    expect(text(parts(element, 'figure-value')[0])).to.equal(String(data.created));
    expect(text(parts(element, 'figure-value')[1])).to.equal(`${Math.round(data.conversion! * 100)}%`);
    expect(text(part(element, 'note'))).to.contain('manual baseline of 5 min');
    const chart = part(element, 'chart')!.querySelector('svg')!;
    expect(chart.getAttribute('role')).to.equal('img');
    expect(chart.getAttribute('aria-label')).to.match(
      /^Daily trend over 30 days: \d+ escalated, \d+ picked up\.$/,
    );
    expect(chart.querySelectorAll('rect.created')).to.have.length(30);
    expect(part(element, 'table')!.querySelectorAll('tbody tr')).to.have.length(30);
  });

  it('should leave minutes recovered out without a baseline', async () => {
    await escalate({}, { account: 'scratch' });
    const element = await metricsAs({ persona: 'priya', account: 'scratch' });
    await loaded(element);
    expect(parts(element, 'figure-label').map(text)).to.not.include('Minutes recovered per escalation');
    expect(parts(element, 'figure-label').map(text)).to.not.include('Hours saved per week');
    expect(text(part(element, 'note'))).to.contain('Set a manual baseline');
  });

  it('should follow the stream: new escalations and a new baseline show without a reload, with no flicker', async () => {
    // The owner account: only this test writes to it.
    const account = 'owner';
    await escalate({}, { account });
    const element = await metricsAs({ persona: 'priya', account });
    await loaded(element);
    const figure = (label: string) =>
      text(
        parts(element, 'figure')
          .find((node) => text(part(element, 'figure-label', node)) === label)
          ?.querySelector('[part~="figure-value"]'),
      );
    const before = Number(figure('Escalations'));
    expect(figure('Hours saved per week'), 'no baseline yet').to.equal('');
    // Anything that replaces the figures with a skeleton while refreshing is a flicker.
    let flickered = false;
    const watch = new MutationObserver(() => (flickered ||= parts(element, 'skeleton').length > 0));
    watch.observe(element.shadowRoot!, { childList: true, subtree: true });
    try {
      const handoff = await escalate({}, { account });
      await until(() => Number(figure('Escalations')) === before + 1, 'the count rises live');
      // The baseline is set elsewhere; the next event brings it in, with hours saved.
      await api(await token({ persona: 'priya', account }), 'PUT', '/account/settings', {
        manualBaselineMinutes: 12,
      });
      const sam = await token({ persona: 'sam', account });
      await api(sam, 'POST', `/handoffs/${handoff.id}/claim`);
      await api(sam, 'POST', `/handoffs/${handoff.id}/start`);
      await until(() => figure('Hours saved per week') !== '', 'hours saved appear');
    } finally {
      watch.disconnect();
    }
    expect(flickered).to.equal(false);
    const data = await api<EscalationAnalytics>(
      await token({ persona: 'priya', account }),
      'GET',
      '/analytics/escalations?period=30d',
    );
    expect(figure('Hours saved per week')).to.equal(String(data.hoursSavedPerWeek));
    expect(text(part(element, 'note'))).to.contain('hours saved per week: that times escalations per week');
  });

  it('should change the period, with the pointer and the keyboard', async () => {
    const element = await metricsAs({ persona: 'sam' });
    await loaded(element);
    const changed = oneEvent(element, 'rf-period-change');
    parts(element, 'period')[0]!.click();
    expect(((await changed) as RfPeriodChangeEvent).detail.period).to.equal('7d');
    expect(element.getAttribute('period')).to.equal('7d');
    await until(() => part(element, 'table')?.querySelectorAll('tbody tr').length === 7, 'a week of trend');
    element.shadowRoot!.querySelector<HTMLInputElement>('input:checked')!.focus();
    await sendKeys({ press: 'ArrowRight' });
    expect(element.period).to.equal('30d');
    await until(() => part(element, 'table')?.querySelectorAll('tbody tr').length === 30, 'a month of trend');
  });

  it('should say so when nothing was escalated in the period', async () => {
    const element = await metricsAs({ persona: 'priya', account: 'empty' });
    await loaded(element);
    expect(text(part(element, 'empty'))).to.equal('No escalations in this period yet.');
  });

  it('should explain that metrics are for engineers and admins', async () => {
    const element = await metricsAs({ persona: 'alex' });
    const { detail } = (await oneEvent(element, 'rf-error')) as RfErrorEvent;
    expect(detail.error.status).to.equal(403);
    await element.updateComplete;
    expect(text(part(element, 'error'))).to.equal('Metrics are for engineers and admins.');
    expect(part(element, 'retry-button')).to.equal(null);
  });

  it('should offer a retry when the server cannot be reached', async () => {
    const element = await fixture<EscalationMetrics>(
      html`<escalation-metrics api-base="http://127.0.0.1:9" token=${await token()}></escalation-metrics>`,
    );
    await oneEvent(element, 'rf-error');
    await element.updateComplete;
    expect(part(element, 'retry-button')).to.not.equal(null);
  });

  it('should be accessible, in light and in dark', async () => {
    const element = await metricsAs({ persona: 'priya' });
    await loaded(element);
    await expect(element).to.be.accessible();
    element.theme = 'dark';
    await element.updateComplete;
    await expect(element).to.be.accessible();
  });
});
