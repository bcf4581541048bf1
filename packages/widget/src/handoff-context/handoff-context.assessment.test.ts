import type { Handoff, HandoffPage } from '@resolutionflow/types';
import { expect } from '@open-wc/testing';
import {
  api,
  escalate,
  part,
  parts,
  releaseAssessment,
  requireLiveStream,
  text,
  token,
  uniqueTitle,
  until,
} from '../test/helpers.js';
import { contextOf } from '../test/context.js';
import './handoff-context.js';

describe('<handoff-context>', () => {
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
});
