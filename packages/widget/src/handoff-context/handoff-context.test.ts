import type { Handoff, HandoffPage } from '@resolutionflow/types';
import { expect, fixture, html, oneEvent } from '@open-wc/testing';
import type { RfClaimedEvent, RfErrorEvent, RfStartEvent } from '../shared/events.js';
import {
  api,
  escalate,
  part,
  parts,
  releaseAssessment,
  requireLiveStream,
  server,
  text,
  token,
  uniqueTitle,
  until,
  XSS,
  type Persona,
} from '../test/helpers.js';
import type { HandoffContext } from './handoff-context.js';
import './handoff-context.js';

const FULL = {
  priority: 'high' as const,
  problemSummary: 'Outlook prompts for a password every few minutes.\nOWA works.',
  context: {
    client: 'Northwind Traders',
    device: 'NW-LT-0142',
    ticketUrl: 'https://psa.example.com/tickets/48213',
    fields: { Contract: 'Gold' },
  },
  tried: [
    {
      action: 'Cleared cached credentials',
      outcome: 'failed' as const,
      at: new Date(Date.now() - 600_000).toISOString(),
    },
    {
      action: 'New Outlook profile',
      outcome: 'partial' as const,
      note: 'Prompts came back',
      at: new Date().toISOString(),
    },
  ],
};

async function contextOf(handoff: Pick<Handoff, 'id'>, persona: Persona = 'sam'): Promise<HandoffContext> {
  const element = await fixture<HandoffContext>(
    html`<handoff-context
      api-base=${await server()}
      token=${await token({ persona })}
      handoff-id=${handoff.id}
    ></handoff-context>`,
  );
  await until(() => part(element, 'title'), 'the handoff is shown');
  return element;
}

describe('<handoff-context>', () => {
  it('should show a skeleton while loading', async () => {
    const handoff = await escalate();
    const element = await fixture<HandoffContext>(
      html`<handoff-context
        api-base=${await server()}
        token=${await token()}
        handoff-id=${handoff.id}
      ></handoff-context>`,
    );
    expect(parts(element, 'skeleton')).to.have.length(4);
    expect(part(element, 'base')!.querySelector('[aria-busy="true"]')).to.not.equal(null);
    await until(() => part(element, 'title'), 'the handoff replaces the skeleton');
  });

  it('should show the header and the four sections in order', async () => {
    const handoff = await escalate({ ...FULL, title: uniqueTitle('Outlook') });
    const element = await contextOf(handoff);
    expect(text(part(element, 'title'))).to.equal(handoff.title);
    expect(text(part(element, 'priority'))).to.equal('High priority');
    const facts = parts(element, 'fact').map((fact) => [
      text(part(element, 'fact-label', fact)),
      text(part(element, 'fact-value', fact)),
    ]);
    expect(facts).to.deep.equal([
      ['Client', 'Northwind Traders'],
      ['Device', 'NW-LT-0142'],
      ['Contract', 'Gold'],
    ]);
    expect(text(part(element, 'meta'))).to.match(/^Escalated .+ by Alex Kim$/);
    const link = part<HTMLAnchorElement>(element, 'ticket-link')!;
    expect(link.href).to.equal('https://psa.example.com/tickets/48213');
    expect(link.rel).to.contain('noopener');
    expect(link.target).to.equal('_blank');
    const headings = parts(element, 'section-heading').map(text);
    expect(headings).to.deep.equal(['Problem summary', "What's been tried", 'AI assessment', 'Start here']);
    expect(part(element, 'summary')!.textContent).to.equal(FULL.problemSummary);
    const steps = parts(element, 'step');
    expect(steps.map((step) => text(part(element, 'action', step)))).to.deep.equal([
      'Cleared cached credentials',
      'New Outlook profile',
    ]);
    expect(steps.map((step) => text(part(element, 'outcome', step)))).to.deep.equal([
      'Failed',
      'Partly worked',
    ]);
    expect(text(part(element, 'step-time', steps[0]))).to.equal('10 minutes ago');
    expect(text(part(element, 'note', steps[1]))).to.equal('Prompts came back');
  });

  it('should say when nothing has been tried yet', async () => {
    const element = await contextOf(await escalate({ tried: [] }));
    expect(text(part(element, 'empty', part(element, 'section-tried')!))).to.equal('Nothing recorded.');
  });

  it('should copy the summary to the clipboard', async () => {
    const handoff = await escalate({ ...FULL, title: uniqueTitle('Copy me') });
    const element = await contextOf(handoff);
    part<HTMLButtonElement>(element, 'copy-button')!.click();
    await until(
      () => element.shadowRoot!.querySelector('[role="status"]')?.textContent === 'Summary copied',
      'copied',
    );
    const copied = await navigator.clipboard.readText();
    expect(copied.split('\n').slice(0, 6)).to.deep.equal([
      handoff.title,
      'Client: Northwind Traders',
      'Device: NW-LT-0142',
      'https://psa.example.com/tickets/48213',
      '',
      'Problem summary:',
    ]);
    expect(copied).to.contain(
      "What's been tried:\n1. Cleared cached credentials (Failed)\n2. New Outlook profile (Partly worked) Prompts came back",
    );
  });

  it('should say so for an unknown handoff', async () => {
    const element = await fixture<HandoffContext>(
      html`<handoff-context
        api-base=${await server()}
        token=${await token()}
        handoff-id="00000000-0000-4000-8000-000000000000"
      ></handoff-context>`,
    );
    const { detail } = (await oneEvent(element, 'rf-error')) as RfErrorEvent;
    expect(detail.error.status).to.equal(404);
    await element.updateComplete;
    expect(text(part(element, 'error'))).to.equal(
      'This handoff does not exist, or it belongs to another account.',
    );
    expect(part(element, 'retry-button')).to.equal(null);
  });

  it('should offer a retry when the server cannot be reached', async () => {
    const element = await fixture<HandoffContext>(
      html`<handoff-context
        api-base="http://127.0.0.1:9"
        token=${await token()}
        handoff-id="00000000-0000-4000-8000-000000000000"
      ></handoff-context>`,
    );
    await oneEvent(element, 'rf-error');
    await element.updateComplete;
    expect(part(element, 'retry-button')).to.not.equal(null);
  });

  describe('assessment', () => {
    it('should show a ready assessment: cause, confidence, steps, model', async () => {
      const handoff = await escalate();
      await until(
        async () =>
          (await api<Handoff>(await token(), 'GET', `/handoffs/${handoff.id}`)).assessment.status === 'ready',
        'assessed',
      );
      const element = await contextOf(handoff);
      expect(text(part(element, 'likely-cause'))).to.equal(
        'Likely cause: Stale cached credentials after the tenant migration',
      );
      expect(text(part(element, 'confidence'))).to.equal('72% confidence');
      expect(parts(element, 'next-step').map(text)).to.deep.equal([
        'Remove the old tenant from Credential Manager',
        'Reset the Outlook autodiscover cache',
      ]);
      expect(text(part(element, 'model'))).to.equal('Assessed by test-model');
    });

    it('should show a pending assessment as a skeleton that fills in live', async function () {
      await requireLiveStream(this);
      const handoff = await escalate({ title: uniqueTitle('Held [ai:hold]') });
      const element = await contextOf(handoff);
      await until(() => part(element, 'assessment-pending'), 'pending is shown');
      expect(part(element, 'assessment-pending')!.getAttribute('aria-busy')).to.equal('true');
      expect(parts(element, 'skeleton', part(element, 'section-assessment')!)).to.have.length(2);
      await releaseAssessment(handoff.title);
      await until(() => part(element, 'likely-cause'), 'the assessment fills in');
      expect(part(element, 'assessment-pending')).to.equal(null);
    });

    it('should say calmly when the assessment timed out', async function () {
      await requireLiveStream(this);
      const handoff = await escalate({ title: uniqueTitle('Hangs [ai:hang]') });
      const element = await contextOf(handoff);
      await until(() => part(element, 'assessment-timed_out'), 'timed out is shown', 10_000);
      expect(text(part(element, 'assessment-timed_out'))).to.equal(
        'The assessment took too long and was skipped. Everything above is complete without it.',
      );
    });

    it('should say calmly when the assessment failed', async () => {
      const handoff = await escalate({ title: uniqueTitle('Fails [ai:fail]') });
      const element = await contextOf(handoff);
      await until(() => part(element, 'assessment-failed'), 'failed is shown');
      expect(text(part(element, 'assessment-failed'))).to.contain('could not be completed');
    });

    it('should say when assessment is off', async () => {
      // The seeded history was created with assessment off.
      const page = await api<HandoffPage>(await token(), 'GET', '/handoffs?status=resolved&limit=1');
      const element = await contextOf(page.items[0]!);
      expect(text(part(element, 'assessment-disabled'))).to.equal('AI assessment is off for this account.');
      expect(text(part(element, 'status-text'))).to.match(/^Started .+ after pick-up\.$/);
    });
  });

  describe('start here', () => {
    it('should record the first action for the claimer and say how long after pick-up', async () => {
      const handoff = await escalate();
      await api(await token({ persona: 'sam' }), 'POST', `/handoffs/${handoff.id}/claim`);
      const element = await contextOf(handoff, 'sam');
      const start = oneEvent(element, 'rf-start');
      part<HTMLButtonElement>(element, 'start-button')!.click();
      const { detail } = (await start) as RfStartEvent;
      expect(detail.handoff.startedAt).to.be.a('string');
      await element.updateComplete;
      expect(text(part(element, 'status-text'))).to.match(/^Started \d+ sec after pick-up\.$/);
    });

    it('should let an engineer pick up an open handoff, then start', async () => {
      const element = await contextOf(await escalate(), 'jordan');
      const claimed = oneEvent(element, 'rf-claimed');
      part<HTMLButtonElement>(element, 'claim-button')!.click();
      expect(((await claimed) as RfClaimedEvent).detail.handoff.claimedBy?.name).to.equal('Jordan Lee');
      await element.updateComplete;
      expect(part(element, 'start-button')).to.not.equal(null);
    });

    it('should tell a technician to pick it up first, and others who is on it', async () => {
      const handoff = await escalate();
      const alex = await contextOf(handoff, 'alex');
      expect(text(part(alex, 'status-text'))).to.equal('Pick this up to start working on it.');
      await api(await token({ persona: 'sam' }), 'POST', `/handoffs/${handoff.id}/claim`);
      const jordan = await contextOf(handoff, 'jordan');
      expect(text(part(jordan, 'status-text'))).to.equal('Sam Rivera is on it.');
      expect(part(jordan, 'start-button')).to.equal(null);
    });
  });

  it('should render every payload as text, running no script', async () => {
    for (const payload of XSS) {
      const handoff = await escalate(
        {
          title: `${payload} ${uniqueTitle('xss')}`,
          problemSummary: payload,
          context: { client: payload, device: payload, fields: { Note: payload } },
          tried: [{ action: payload, outcome: 'failed', note: payload, at: new Date().toISOString() }],
        },
        { name: payload },
      );
      const element = await contextOf(handoff);
      expect(part(element, 'summary')!.textContent).to.equal(payload);
      expect(text(part(element, 'action'))).to.equal(payload);
      expect(text(part(element, 'meta'))).to.contain(`by ${payload}`);
      expect(element.shadowRoot!.querySelectorAll('img, script, svg, iframe')).to.have.length(0);
    }
    expect((window as { __xss?: number }).__xss).to.equal(undefined);
  });

  it('should never link a non-web ticket URL', async () => {
    const handoff = await escalate();
    const element = await contextOf(handoff);
    element.handoff = { ...element.handoff!, context: { ticketUrl: 'javascript:alert(1)' } };
    await element.updateComplete;
    expect(part(element, 'ticket-link')).to.equal(null);
  });

  it('should be accessible, in light and in dark', async () => {
    const element = await contextOf(await escalate({ ...FULL, title: uniqueTitle('a11y') }));
    await expect(element).to.be.accessible();
    element.theme = 'dark';
    await element.updateComplete;
    await expect(element).to.be.accessible();
  });
});
