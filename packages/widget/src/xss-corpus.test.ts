import type { Handoff } from '@resolutionflow/types';
import { expect, fixture, html } from '@open-wc/testing';
// The server's hostile-input corpus (pure data, no imports): the same markup the API must store
// verbatim must render here as inert text.
import { XSS_PAYLOADS } from '../../server/src/test/hostile-payloads.js';
import type { EscalationQueue } from './escalation-queue/escalation-queue.js';
import './escalation-queue/escalation-queue.js';
import type { HandoffContext } from './handoff-context/handoff-context.js';
import './handoff-context/handoff-context.js';
import { escalate, part, parts, server, text, token, until } from './test/helpers.js';

/** Elements a payload would create if any text were rendered as HTML. */
const ACTIVE =
  'img, script, svg:not([part~="chart"]), iframe, object, embed, a:not([part~="ticket-link"]), style:not([data-lit])';

describe('the hostile-input corpus rendered by the widget', () => {
  let alerts = 0;
  const originalAlert = window.alert;

  before(() => {
    window.alert = () => {
      alerts += 1;
    };
  });

  after(() => {
    window.alert = originalAlert;
  });

  it(`should render every one of ${XSS_PAYLOADS.length} XSS payloads as text in the queue and the handoff`, async () => {
    const created: { handoff: Handoff; payload: string }[] = [];
    for (const { text: payload, line } of XSS_PAYLOADS) {
      const title = line === 'accept' ? payload : 'Title kept plain';
      const handoff = await escalate(
        {
          title,
          problemSummary: payload,
          context: {
            client: line === 'accept' ? payload : 'Client',
            fields: { Note: line === 'accept' ? payload : 'x' },
          },
          tried: [{ action: title, outcome: 'failed', note: payload, at: new Date().toISOString() }],
        },
        { account: 'scratch' },
      );
      created.push({ handoff, payload });
    }

    const queue = await fixture<EscalationQueue>(
      html`<escalation-queue
        api-base=${await server()}
        token=${await token({ persona: 'sam', account: 'scratch' })}
      ></escalation-queue>`,
    );
    await until(() => parts(queue, 'card').length >= created.length, 'every card is shown', 20_000);
    const titles = parts(queue, 'title').map((node) => node.textContent?.trim());
    for (const { handoff } of created) expect(titles).to.include(handoff.title.trim());
    expect(queue.shadowRoot!.querySelectorAll(ACTIVE)).to.have.length(0);

    for (const { handoff, payload } of created) {
      const element = await fixture<HandoffContext>(
        html`<handoff-context
          api-base=${await server()}
          token=${await token({ persona: 'sam', account: 'scratch' })}
          handoff-id=${handoff.id}
        ></handoff-context>`,
      );
      await until(() => part(element, 'summary'), 'the handoff is shown');
      expect(part(element, 'summary')!.textContent).to.equal(payload.trim());
      expect(text(part(element, 'title'))).to.equal(handoff.title.replace(/\s+/g, ' ').trim());
      expect(element.shadowRoot!.querySelectorAll(ACTIVE)).to.have.length(0);
    }
    expect(alerts).to.equal(0);
    expect((window as { __xss?: unknown }).__xss).to.equal(undefined);
  });
});
