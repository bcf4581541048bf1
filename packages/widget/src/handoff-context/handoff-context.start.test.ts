import { expect, oneEvent } from '@open-wc/testing';
import type { RfClaimedEvent, RfStartEvent } from '../shared/events.js';
import { api, escalate, part, text, token } from '../test/helpers.js';
import { contextOf } from '../test/context.js';
import './handoff-context.js';

describe('<handoff-context>', () => {
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
});
