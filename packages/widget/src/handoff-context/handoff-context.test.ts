import { expect, fixture, html, oneEvent } from '@open-wc/testing';
import type { RfErrorEvent } from '../shared/events.js';
import { escalate, part, parts, server, text, token, uniqueTitle, until, XSS } from '../test/helpers.js';
import { contextOf } from '../test/context.js';
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
