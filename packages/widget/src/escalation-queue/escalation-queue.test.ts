import { expect, fixture, html, oneEvent } from '@open-wc/testing';
import type { RfErrorEvent } from '../shared/events.js';
import { part, parts, server, text, token, until } from '../test/helpers.js';
import { queueAs } from '../test/queue.js';
import type { EscalationQueue } from './escalation-queue.js';
import './escalation-queue.js';

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
});
