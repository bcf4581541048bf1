import type { HandoffContext } from '../handoff-context/handoff-context.js';
import { expect, fixture, html } from '@open-wc/testing';
import { setViewport } from '@web/test-runner-commands';
import {
  cardTitled,
  escalate,
  part,
  parts,
  server,
  text,
  token,
  uniqueTitle,
  until,
} from '../test/helpers.js';
import { cardOf } from '../test/queue.js';
import type { EscalationQueue } from './escalation-queue.js';
import './escalation-queue.js';

/** A path with no break opportunity, as AI assessments and summaries quote them. */
const UNBROKEN =
  '%LOCALAPPDATA%\\Packages\\Microsoft.AAD.BrokerPlugin_cw5n1h2txyewy\\AC\\TokenBroker\\Accounts';

/** Every element under `root` (and in the shadow roots below it) whose right edge passes `limit`. */
function overflowing(root: ParentNode, limit: number): string[] {
  const wide: string[] = [];
  for (const node of root.querySelectorAll('*')) {
    const box = node.getBoundingClientRect();
    if (box.width > 0 && box.right > limit + 0.5)
      wide.push(`${node.localName}[part=${node.getAttribute('part')}] ${box.right}`);
    if (node.shadowRoot) wide.push(...overflowing(node.shadowRoot, limit));
  }
  return wide;
}

/** Buttons and links under `root` (shadow roots included) smaller than 24 × 24 px. */
function smallTargets(root: ParentNode): string[] {
  const small: string[] = [];
  for (const node of root.querySelectorAll('*')) {
    if (node.matches('button, a[href], summary, label') && node.checkVisibility()) {
      const { width, height } = node.getBoundingClientRect();
      if (width < 24 || height < 24)
        small.push(`${node.localName}[part=${node.getAttribute('part')}] ${width}×${height}`);
    }
    if (node.shadowRoot) small.push(...smallTargets(node.shadowRoot));
  }
  return small;
}

async function openQueue(): Promise<EscalationQueue> {
  return fixture<EscalationQueue>(
    html`<escalation-queue
      open-context
      api-base=${await server()}
      token=${await token({ persona: 'sam' })}
    ></escalation-queue>`,
  );
}

describe('<escalation-queue> focus', () => {
  afterEach(() => setViewport({ width: 800, height: 600 }));

  it('should make the picked-up handoff the focus, with its heading focused, and Back return to the same place', async () => {
    await setViewport({ width: 800, height: 400 });
    for (let i = 0; i < 4; i++) await escalate({ priority: 'urgent' });
    const handoff = await escalate({ priority: 'low', title: uniqueTitle('Focus me') });
    const queue = await openQueue();
    const card = await cardOf(queue, handoff);
    const index = parts(queue, 'card').indexOf(card);
    card.scrollIntoView();
    part<HTMLButtonElement>(queue, 'claim-button', card)!.click();
    await until(() => part(queue, 'context'), 'the handoff opens');
    const context = part<HandoffContext>(queue, 'context')!;
    await until(() => context.shadowRoot?.activeElement?.localName === 'h2', 'focus moves to its heading');
    expect(queue.shadowRoot!.activeElement).to.equal(context);
    expect(text(part(context, 'title'))).to.equal(handoff.title);
    // The list steps back: the four sections are what is shown, from the top of the element.
    expect(part(queue, 'list')!.checkVisibility()).to.equal(false);
    for (const section of ['summary', 'tried', 'assessment', 'start']) {
      expect(part(context, `section-${section}`)!.checkVisibility(), section).to.equal(true);
    }
    const heading = part(context, 'title')!.getBoundingClientRect();
    expect(heading.top, 'the heading is in view').to.be.within(0, window.innerHeight);

    part<HTMLButtonElement>(queue, 'back-button')!.click();
    await until(() => !part(queue, 'context'), 'back to the list');
    const focused = queue.shadowRoot!.activeElement as HTMLElement;
    expect(focused.getAttribute('part')).to.match(/^card/);
    expect(parts(queue, 'card').indexOf(focused), 'the same place in the list').to.equal(index);
    const box = focused.getBoundingClientRect();
    expect(box.top < window.innerHeight && box.bottom > 0, 'and in view').to.equal(true);
  });

  it('should fit a 360 px phone: nothing wider than the screen, long paths wrap, targets of 24 px, after Pick up too', async () => {
    await setViewport({ width: 360, height: 740 });
    const handoff = await escalate({
      priority: 'urgent',
      title: `Sign-in loop ${UNBROKEN}`,
      problemSummary: `Token broker cache at ${UNBROKEN.repeat(4)} is corrupt.`,
      context: { client: 'Contoso', device: UNBROKEN, fields: { Path: UNBROKEN } },
      tried: [{ action: `Cleared ${UNBROKEN}`, outcome: 'failed', at: new Date().toISOString() }],
    });
    const queue = await openQueue();
    const card = await cardOf(queue, handoff);
    expect(overflowing(document.body, 360)).to.deep.equal([]);
    expect(smallTargets(queue.shadowRoot!)).to.deep.equal([]);
    await expect(queue).to.be.accessible();
    part<HTMLButtonElement>(queue, 'claim-button', card)!.click();
    const context = await (async () => {
      await until(() => part(queue, 'context'), 'the handoff opens');
      return part<HandoffContext>(queue, 'context')!;
    })();
    await until(() => part(context, 'section-summary'), 'its sections show');
    expect(overflowing(document.body, 360)).to.deep.equal([]);
    expect(smallTargets(queue.shadowRoot!)).to.deep.equal([]);
    for (const theme of ['light', 'dark'] as const) {
      queue.theme = theme;
      await queue.updateComplete;
      await expect(queue, theme).to.be.accessible();
    }
    expect(cardTitled(queue, handoff.title)).to.not.equal(undefined);
  });
});
