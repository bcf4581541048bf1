import type { Handoff } from '@resolutionflow/types';
import { expect, fixture, html, oneEvent } from '@open-wc/testing';
import { sendKeys } from '@web/test-runner-commands';
import type { RfClaimEvent, RfClaimedEvent, RfErrorEvent } from '../shared/events.js';
import { api, cardTitled, escalate, part, parts, server, text, token, until } from '../test/helpers.js';
import { cardOf, queueAs } from '../test/queue.js';
import type { EscalationQueue } from './escalation-queue.js';
import './escalation-queue.js';

describe('<escalation-queue>', () => {
  describe('claiming', () => {
    it('should pick up an escalation and open its context inline', async () => {
      const handoff = await escalate();
      const queue = await fixture<EscalationQueue>(
        html`<escalation-queue
          open-context
          api-base=${await server()}
          token=${await token({ persona: 'sam' })}
        ></escalation-queue>`,
      );
      const card = await cardOf(queue, handoff);
      const claim = oneEvent(queue, 'rf-claim');
      const claimed = oneEvent(queue, 'rf-claimed');
      part<HTMLButtonElement>(queue, 'claim-button', card)!.click();
      expect(((await claim) as RfClaimEvent).detail.handoff.id).to.equal(handoff.id);
      await queue.updateComplete;
      const button = part<HTMLButtonElement>(queue, 'claim-button', card);
      expect(button?.disabled, 'the button shows progress').to.equal(true);
      const { detail } = (await claimed) as RfClaimedEvent;
      expect(detail.handoff.claimedBy?.name).to.equal('Sam Rivera');
      await queue.updateComplete;
      expect(text(part(queue, 'card-notice', card))).to.equal('You picked this up');
      const context = part(queue, 'context')!;
      expect(context.localName).to.equal('handoff-context');
      expect(context.getAttribute('handoff-id')).to.equal(handoff.id);
      await until(() => !cardTitled(queue, handoff.title), 'the claimed card leaves');
    });

    it('should not claim when the host cancels rf-claim', async () => {
      const handoff = await escalate();
      const queue = await queueAs({ persona: 'sam' });
      const card = await cardOf(queue, handoff);
      queue.addEventListener('rf-claim', (event) => event.preventDefault());
      part<HTMLButtonElement>(queue, 'claim-button', card)!.click();
      await queue.updateComplete;
      expect(part<HTMLButtonElement>(queue, 'claim-button', card)!.disabled).to.equal(false);
      const fresh = await api<Handoff>(await token({ persona: 'sam' }), 'GET', `/handoffs/${handoff.id}`);
      expect(fresh.status).to.equal('open');
    });

    it('should say who won when someone else claimed it first (409)', async () => {
      const handoff = await escalate();
      const queue = await queueAs({ persona: 'sam' });
      const card = await cardOf(queue, handoff);
      // Jordan's claim lands between Sam's click and Sam's request: the race a 409 exists for.
      const jordan = await token({ persona: 'jordan' });
      const realFetch = window.fetch;
      window.fetch = async (input, init) => {
        if (String(input).endsWith(`/handoffs/${handoff.id}/claim`)) {
          window.fetch = realFetch;
          await api(jordan, 'POST', `/handoffs/${handoff.id}/claim`);
        }
        return realFetch(input, init);
      };
      try {
        const failed = oneEvent(queue, 'rf-error');
        part<HTMLButtonElement>(queue, 'claim-button', card)!.click();
        const { detail } = (await failed) as RfErrorEvent;
        expect(detail.operation).to.equal('claim');
        expect(detail.error.status).to.equal(409);
        expect(detail.error.code).to.equal('already_claimed');
      } finally {
        window.fetch = realFetch;
      }
      await queue.updateComplete;
      expect(text(part(queue, 'card-notice', card))).to.equal('Already picked up by Jordan Lee');
      await until(() => !cardTitled(queue, handoff.title), 'the card leaves');
    });

    it('should not offer "Pick up" to a technician, and say why', async () => {
      const queue = await queueAs({ persona: 'alex' });
      await until(() => parts(queue, 'card').length > 0, 'cards appear');
      expect(parts(queue, 'claim-button')).to.have.length(0);
      expect(text(part(queue, 'notice'))).to.equal('View only: engineers and admins pick up escalations.');
    });

    it('should be operable from the keyboard', async () => {
      const handoff = await escalate({ priority: 'urgent' }, { account: 'scratch' });
      const queue = await queueAs({ persona: 'sam', account: 'scratch' });
      await cardOf(queue, handoff);
      // The first stop is the view tab shown, the next the first card's "Pick up"; Tab moves on to
      // the next card's.
      const buttons = parts(queue, 'claim-button');
      await sendKeys({ press: 'Tab' });
      expect(queue.shadowRoot!.activeElement).to.equal(part(queue, 'tab-selected'));
      await sendKeys({ press: 'Tab' });
      expect(queue.shadowRoot!.activeElement).to.equal(buttons[0]);
      if (buttons.length > 1) {
        await sendKeys({ press: 'Tab' });
        expect(queue.shadowRoot!.activeElement).to.equal(buttons[1]);
        await sendKeys({ down: 'Shift' });
        await sendKeys({ press: 'Tab' });
        await sendKeys({ up: 'Shift' });
        expect(queue.shadowRoot!.activeElement).to.equal(buttons[0]);
      }
      const first = buttons[0]!.closest('[part~="card"]')!.getAttribute('data-id');
      const claimed = oneEvent(queue, 'rf-claimed');
      await sendKeys({ press: 'Enter' });
      expect(((await claimed) as RfClaimedEvent).detail.handoff.id).to.equal(first);
    });
    it('should let a leaving card go when the queue leaves the document, keeping no timer', async () => {
      const handoff = await escalate();
      const queue = await queueAs({ persona: 'sam' });
      queue.leaveDelay = 60_000;
      const card = await cardOf(queue, handoff);
      // The leave timer is the one set for leaveDelay: watch whether anything clears it.
      const { setTimeout: realSetTimeout, clearTimeout: realClearTimeout } = window;
      let leaveTimer: number | undefined;
      const cleared: unknown[] = [];
      window.setTimeout = ((handler: TimerHandler, delay?: number, ...rest: unknown[]) => {
        const id = realSetTimeout(handler, delay, ...rest);
        if (delay === 60_000) leaveTimer = id;
        return id;
      }) as typeof window.setTimeout;
      window.clearTimeout = ((id?: number) => {
        cleared.push(id);
        realClearTimeout(id);
      }) as typeof window.clearTimeout;
      try {
        const claimed = oneEvent(queue, 'rf-claimed');
        part<HTMLButtonElement>(queue, 'claim-button', card)!.click();
        await claimed;
        await queue.updateComplete;
        expect(text(part(queue, 'card-notice', card))).to.equal('You picked this up');
        queue.remove();
        await queue.updateComplete;
      } finally {
        window.setTimeout = realSetTimeout;
        window.clearTimeout = realClearTimeout;
      }
      expect(leaveTimer, 'a leave timer was set').to.be.a('number');
      expect(cleared, 'the leave timer is cleared').to.include(leaveTimer);
      expect(cardTitled(queue, handoff.title), 'the leaving card is gone').to.equal(undefined);
    });
  });
});
