import type { Handoff } from '@resolutionflow/types';
import { expect, fixture, html, oneEvent } from '@open-wc/testing';
import { emulateMedia } from '@web/test-runner-commands';
import type { RfClaimedEvent, RfEscalationReceivedEvent } from '../shared/events.js';
import {
  api,
  cardTitled,
  escalate,
  part,
  parts,
  releaseAssessment,
  requireLiveStream,
  server,
  serverControl,
  setVisibility,
  text,
  token,
  uniqueTitle,
  until,
  XSS,
} from '../test/helpers.js';
import { cardOf } from '../test/queue.js';
import type { EscalationQueue } from './escalation-queue.js';
import './escalation-queue.js';

/** A queue that has loaded and whose stream is open. */
async function liveQueue(persona: 'sam' | 'jordan' = 'jordan'): Promise<EscalationQueue> {
  // Its own open escalation: other files may have picked up every seeded one.
  await escalate();
  const queue = await fixture<EscalationQueue>(
    html`<escalation-queue api-base=${await server()} token=${await token({ persona })}></escalation-queue>`,
  );
  await until(
    () => part(queue, 'status-live') && parts(queue, 'card').length > 0,
    'the queue is loaded and live',
  );
  return queue;
}

describe('<escalation-queue> live', function () {
  before(async function () {
    await requireLiveStream(this);
  });

  it('should slide in an escalation created elsewhere and announce it', async () => {
    const queue = await liveQueue();
    expect(text(part(queue, 'status'))).to.equal('Live');
    const received = oneEvent(queue, 'rf-escalation-received');
    const handoff = await escalate({ priority: 'urgent' });
    expect(((await received) as RfEscalationReceivedEvent).detail.handoff.id).to.equal(handoff.id);
    const card = await cardOf(queue, handoff);
    expect(card.classList.contains('fresh')).to.equal(true);
    expect(getComputedStyle(card).animationName).to.equal('rf-slide-in');
    expect(getComputedStyle(card).animationDuration).to.equal('0.2s');
    expect(text(queue.shadowRoot!.querySelector('[aria-live="polite"]'))).to.equal(
      `New escalation: ${handoff.title}`,
    );
  });

  it('should not animate arrivals under prefers-reduced-motion', async () => {
    await emulateMedia({ reducedMotion: 'reduce' });
    try {
      const queue = await liveQueue();
      const card = await cardOf(queue, await escalate());
      expect(card.classList.contains('fresh')).to.equal(true);
      expect(getComputedStyle(card).animationName).to.equal('none');
    } finally {
      await emulateMedia({ reducedMotion: 'no-preference' });
    }
  });

  it('should fill in the assessment when it arrives', async () => {
    const queue = await liveQueue();
    const handoff = await escalate({ title: uniqueTitle('Slow assessment [ai:hold]') });
    const card = await cardOf(queue, handoff);
    expect(text(part(queue, 'assessment', card))).to.equal('AI assessment in progress…');
    await releaseAssessment(handoff.title);
    await until(
      () => text(part(queue, 'assessment', card)) === 'AI assessment ready',
      'the assessment fills in',
    );
  });

  it('should say who picked it up elsewhere, then let the card go', async () => {
    const queue = await liveQueue('jordan');
    const handoff = await escalate();
    const card = await cardOf(queue, handoff);
    await api(await token({ persona: 'sam' }), 'POST', `/handoffs/${handoff.id}/claim`);
    await until(() => part(queue, 'card-notice', card), 'the card says who took it');
    expect(text(part(queue, 'card-notice', card))).to.equal('Picked up by Sam Rivera');
    expect(part(queue, 'claim-button', card)).to.equal(null);
    await until(() => !cardTitled(queue, handoff.title), 'the card leaves');
  });

  it('should bring a released escalation back', async () => {
    const queue = await liveQueue('jordan');
    queue.leaveDelay = 0;
    const handoff = await escalate();
    await cardOf(queue, handoff);
    const sam = await token({ persona: 'sam' });
    await api(sam, 'POST', `/handoffs/${handoff.id}/claim`);
    await until(() => !cardTitled(queue, handoff.title), 'the claimed card leaves');
    await api(sam, 'POST', `/handoffs/${handoff.id}/release`);
    await cardOf(queue, handoff);
  });

  it('should flash the title while the tab is hidden and restore it when seen', async () => {
    const queue = await liveQueue();
    document.title = 'Portal';
    setVisibility('hidden');
    try {
      await escalate();
      await until(() => document.title === '(1) New escalation', 'the title shows the count');
      await escalate();
      await until(() => document.title === '(2) New escalations', 'the count grows');
      await until(() => document.title === 'Portal', 'the title alternates with the original');
    } finally {
      setVisibility('visible');
    }
    expect(document.title).to.equal('Portal');
    await escalate();
    expect(document.title, 'no flashing while visible').to.equal('Portal');
    expect(queue.noTitleFlash).to.equal(false);
  });

  it('should not flash the title with no-title-flash', async () => {
    const queue = await liveQueue();
    queue.noTitleFlash = true;
    document.title = 'Portal';
    setVisibility('hidden');
    try {
      const received = oneEvent(queue, 'rf-escalation-received');
      await escalate();
      await received;
      expect(document.title).to.equal('Portal');
    } finally {
      setVisibility('visible');
    }
  });

  it('should render every payload as text, running no script', async () => {
    const queue = await liveQueue('sam');
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
      const card = await cardOf(queue, handoff);
      expect(text(part(queue, 'client', card))).to.equal(payload);
      expect(text(part(queue, 'meta', card))).to.contain(`by ${payload}`);
    }
    expect(queue.shadowRoot!.querySelectorAll('img, script, svg, iframe')).to.have.length(0);
    expect((window as { __xss?: number }).__xss).to.equal(undefined);
  });

  it('should get a fresh token when the first expires, losing no event, and keep working', async () => {
    // The scratch account: no other queue on this page shares (and authenticates) its stream.
    const account = 'scratch';
    await escalate({}, { account });
    let calls = 0;
    let missed: Handoff | undefined;
    const getToken = async () => {
      calls++;
      if (calls === 1) return token({ persona: 'sam', account, ttl: 3 });
      // Escalated while the expired stream is closed: only Last-Event-ID can bring it back.
      if (calls === 2) missed = await escalate({}, { account });
      return token({ persona: 'sam', account });
    };
    const queue = await fixture<EscalationQueue>(
      html`<escalation-queue api-base=${await server()} .getToken=${getToken}></escalation-queue>`,
    );
    await until(() => part(queue, 'status-live') && parts(queue, 'card').length > 0, 'the queue is live');
    await until(
      () => missed && cardTitled(queue, missed.title),
      'the escalation from the gap arrives',
      15_000,
    );
    expect(calls).to.equal(2);
    const claimed = oneEvent(queue, 'rf-claimed');
    part<HTMLButtonElement>(queue, 'claim-button', cardTitled(queue, missed!.title))!.click();
    expect(((await claimed) as RfClaimedEvent).detail.handoff.claimedBy?.name).to.equal('Sam Rivera');
  });

  it('should catch up after the server restarts, with no card lost or doubled', async () => {
    const queue = await liveQueue();
    const before = await escalate();
    await cardOf(queue, before);
    await serverControl('kill');
    await until(() => !part(queue, 'status-live'), 'the queue notices the server is gone');
    await serverControl('start');
    const after = [await escalate(), await escalate()];
    for (const handoff of [before, ...after]) await cardOf(queue, handoff);
    await until(() => part(queue, 'status-live'), 'the queue is live again');
    for (const handoff of [before, ...after]) {
      const copies = parts(queue, 'title').filter((title) => title.textContent === handoff.title);
      expect(copies, handoff.title).to.have.length(1);
    }
  });
});
