import type { Handoff } from '@resolutionflow/types';
import { expect, fixture, html, oneEvent } from '@open-wc/testing';
import { emulateMedia, sendKeys } from '@web/test-runner-commands';
import type { RfClaimEvent, RfClaimedEvent, RfErrorEvent } from '../shared/events.js';
import {
  api,
  cardTitled,
  escalate,
  part,
  parts,
  server,
  text,
  token,
  until,
  type TokenOptions,
} from '../test/helpers.js';
import type { EscalationQueue } from './escalation-queue.js';
import './escalation-queue.js';

async function queueAs(options: TokenOptions, attributes = html``) {
  const queue = await fixture<EscalationQueue>(
    html`<escalation-queue api-base=${await server()} token=${await token(options)}
      >${attributes}</escalation-queue
    >`,
  );
  return queue;
}

/** Waits for the card of `handoff` and returns it. */
async function cardOf(queue: EscalationQueue, handoff: Handoff): Promise<HTMLElement> {
  await until(() => cardTitled(queue, handoff.title), `the card "${handoff.title}" appears`);
  return cardTitled(queue, handoff.title)!;
}

describe('<escalation-queue>', () => {
  describe('states', () => {
    it('should show a loading skeleton until the queue arrives', async () => {
      const queue = await queueAs({ persona: 'sam' });
      expect(parts(queue, 'skeleton')).to.have.length(3);
      expect(queue.shadowRoot!.querySelector('[aria-busy="true"]')).to.not.equal(null);
      await until(() => parts(queue, 'card').length > 0, 'cards replace the skeleton');
      expect(parts(queue, 'skeleton')).to.have.length(0);
    });

    it('should list the open escalations, most urgent first, with who, client, wait and assessment', async () => {
      const queue = await queueAs({ persona: 'sam' });
      await until(() => parts(queue, 'card').length >= 3, 'the seeded escalations appear');
      const titles = parts(queue, 'title').map((title) => title.textContent);
      const vpn = titles.indexOf('Site-to-site VPN tunnel flapping between HQ and warehouse');
      const outlook = titles.indexOf(
        'Outlook profile corrupt after M365 migration — keeps prompting for password',
      );
      const printer = titles.indexOf('Print spooler crashes in a loop on the front-desk PC');
      expect(vpn).to.be.within(0, outlook - 1);
      expect(outlook).to.be.lessThan(printer);
      const card = parts(queue, 'card')[vpn]!;
      expect(text(part(queue, 'priority', card))).to.equal('Urgent');
      expect(text(part(queue, 'client', card))).to.equal('Contoso Logistics');
      expect(text(part(queue, 'meta', card))).to.match(/^Escalated .+ ago by Alex Kim$/);
      expect(text(part(queue, 'assessment', card))).to.be.oneOf([
        'AI assessment in progress…',
        'AI assessment ready',
      ]);
    });

    it('should say so when nothing is open', async () => {
      const queue = await queueAs({ persona: 'sam', account: 'empty' });
      await until(() => part(queue, 'empty'), 'the empty state appears');
      expect(text(part(queue, 'empty'))).to.equal(
        'No open escalations. New ones appear here as they arrive.',
      );
    });

    it('should show an error with a retry, and recover', async () => {
      const queue = await fixture<EscalationQueue>(
        html`<escalation-queue api-base="http://127.0.0.1:9" token=${await token()}></escalation-queue>`,
      );
      const failed = await oneEvent(queue, 'rf-error');
      expect((failed as RfErrorEvent).detail.operation).to.equal('load');
      expect((failed as RfErrorEvent).detail.error.code).to.equal('network');
      await queue.updateComplete;
      expect(part(queue, 'error')!.getAttribute('role')).to.equal('alert');
      queue.apiBase = await server();
      await until(() => parts(queue, 'card').length > 0, 'the queue loads once the server is reachable');
    });

    it('should use the strings it is given', async () => {
      const queue = await fixture<EscalationQueue>(
        html`<escalation-queue
          api-base=${await server()}
          token=${await token({ account: 'empty' })}
          .strings=${{ heading: 'Eskalationen', empty: 'Nichts offen.' }}
        ></escalation-queue>`,
      );
      await until(() => part(queue, 'empty'), 'the empty state appears');
      expect(text(part(queue, 'heading'))).to.equal('Eskalationen');
      expect(text(part(queue, 'empty'))).to.equal('Nichts offen.');
    });
  });

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
      // The first stop is the first card's "Pick up"; Tab moves on to the next card's.
      const buttons = parts(queue, 'claim-button');
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
  });

  describe('look', () => {
    it('should follow the theme attribute', async () => {
      const queue = await queueAs({ account: 'empty' }, html``);
      queue.theme = 'dark';
      await queue.updateComplete;
      const dark = getComputedStyle(part(queue, 'base')!).backgroundColor;
      queue.theme = 'light';
      await queue.updateComplete;
      const light = getComputedStyle(part(queue, 'base')!).backgroundColor;
      expect(dark).to.equal('rgb(22, 24, 29)');
      expect(light).to.equal('rgb(255, 255, 255)');
    });

    it('should follow prefers-color-scheme unless a theme is pinned', async () => {
      await emulateMedia({ colorScheme: 'dark' });
      try {
        const queue = await queueAs({ account: 'empty' });
        expect(getComputedStyle(part(queue, 'base')!).backgroundColor).to.equal('rgb(22, 24, 29)');
        queue.theme = 'light';
        await queue.updateComplete;
        expect(getComputedStyle(part(queue, 'base')!).backgroundColor).to.equal('rgb(255, 255, 255)');
      } finally {
        await emulateMedia({ colorScheme: 'light' });
      }
    });

    it('should write times in the language of the nearest lang attribute', async () => {
      const wrapper = await fixture<HTMLElement>(
        html`<div lang="de">
          <escalation-queue api-base=${await server()} token=${await token()}></escalation-queue>
        </div>`,
      );
      const queue = wrapper.querySelector('escalation-queue')!;
      await until(() => parts(queue, 'card').length > 0, 'cards appear');
      expect(text(part(queue, 'meta'))).to.match(/^Escalated vor \d+ (Minuten|Stunden|Tagen) by /);
    });

    it('should offer desktop notifications only when asked to', async () => {
      const queue = await queueAs({ account: 'empty' });
      expect(part(queue, 'notify-button')).to.equal(null);
      queue.notify = true;
      await queue.updateComplete;
      // Offered while the browser has not been asked yet.
      expect(Boolean(part(queue, 'notify-button'))).to.equal(Notification.permission === 'default');
    });

    it('should be accessible, in light and in dark', async () => {
      const queue = await queueAs({ persona: 'sam' });
      await until(() => parts(queue, 'card').length > 0, 'cards appear');
      await expect(queue).to.be.accessible();
      queue.theme = 'dark';
      await queue.updateComplete;
      await expect(queue).to.be.accessible();
    });
  });
});
