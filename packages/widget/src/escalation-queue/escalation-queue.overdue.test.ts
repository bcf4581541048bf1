import { expect } from '@open-wc/testing';
import { api, escalate, part, text, token, until } from '../test/helpers.js';
import { cardOf, queueAs } from '../test/queue.js';
import './escalation-queue.js';

describe('<escalation-queue>', () => {
  describe('overdue cards', () => {
    it('should mark a card overdue when the policy fires, live and after a reload', async () => {
      const admin = await token({ persona: 'priya', account: 'policy' });
      await api(admin, 'PUT', '/account/settings', {
        policy: { unclaimed: [{ afterSeconds: 1, notify: 'engineers' }], claimedNotStarted: [] },
      });
      const queue = await queueAs({ persona: 'sam', account: 'policy' });
      const handoff = await escalate({}, { account: 'policy' });
      const card = await cardOf(queue, handoff);
      expect(part(queue, 'overdue')).to.equal(null);
      expect(card.getAttribute('part')).to.equal('card');

      // The `handoff.overdue` event updates the card where it is.
      await until(() => part(queue, 'overdue'), 'the card is marked overdue', 8000);
      expect(text(part(queue, 'overdue'))).to.equal('Overdue');
      expect((await cardOf(queue, handoff)).getAttribute('part')).to.equal('card card-overdue');

      // A fresh queue reads it from the list.
      const reloaded = await queueAs({ persona: 'sam', account: 'policy' });
      await cardOf(reloaded, handoff);
      expect(text(part(reloaded, 'overdue'))).to.equal('Overdue');
    });
  });
});
