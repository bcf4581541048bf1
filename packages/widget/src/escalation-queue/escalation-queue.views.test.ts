import type { Handoff, QueueCounts } from '@resolutionflow/types';
import { expect, fixture, html } from '@open-wc/testing';
import { sendKeys } from '@web/test-runner-commands';
import { api, cardTitled, escalate, part, parts, server, text, token, until } from '../test/helpers.js';
import { cardOf, queueAs } from '../test/queue.js';
import type { EscalationQueue } from './escalation-queue.js';
import './escalation-queue.js';

// Every test here works in the `views` account (only this file writes to it), and compares what the
// element shows with what the API answers at that moment.
const account = 'views';
const as = (persona: 'alex' | 'sam' | 'jordan' | 'priya') => token({ persona, account });

const counts = async (): Promise<QueueCounts> => api(await as('sam'), 'GET', '/handoffs/counts');
const tab = (queue: EscalationQueue, view: string) =>
  parts(queue, 'tab').find((node) => node.id === `tab-${view}`)!;
/** "Open 3" → 3. */
const shownCount = (queue: EscalationQueue, view: string) =>
  Number(text(part(queue, 'count', tab(queue, view))));
const holderOf = (queue: EscalationQueue, card: HTMLElement) => text(part(queue, 'holder', card));

/** A queue showing one fixed view, as `persona` sees it. */
async function fixedView(
  view: 'open' | 'mine' | 'active',
  persona: 'sam' | 'jordan' | 'priya',
): Promise<EscalationQueue> {
  return fixture<EscalationQueue>(
    html`<escalation-queue
      view=${view}
      api-base=${await server()}
      token=${await as(persona)}
    ></escalation-queue>`,
  );
}

async function act(handoff: Handoff, action: string, persona: 'sam' | 'jordan' | 'priya'): Promise<Handoff> {
  return api<Handoff>(await as(persona), 'POST', `/handoffs/${handoff.id}/${action}`);
}

describe('<escalation-queue> views', () => {
  it('should show open, mine and active with the counts of each, switching by click and by arrow keys', async () => {
    const open = await escalate({ priority: 'low' }, { account });
    const mine = await act(await escalate({ priority: 'urgent' }, { account }), 'claim', 'sam');
    const jordans = await act(await escalate({ priority: 'high' }, { account }), 'claim', 'jordan');
    const queue = await queueAs({ persona: 'sam', account });
    await cardOf(queue, open);
    const expected = await counts();
    await until(() => part(queue, 'count'), 'the counts show');
    for (const view of ['open', 'mine', 'active'] as const) {
      expect(shownCount(queue, view), view).to.equal(expected[view]);
    }
    expect(tab(queue, 'open').getAttribute('aria-selected')).to.equal('true');
    expect(cardTitled(queue, mine.title), 'a held one is not open').to.equal(undefined);

    tab(queue, 'mine').click();
    await cardOf(queue, mine);
    expect(cardTitled(queue, open.title)).to.equal(undefined);
    expect(cardTitled(queue, jordans.title)).to.equal(undefined);
    expect(text(part(queue, 'state', cardTitled(queue, mine.title)))).to.equal('Picked up');

    // Arrow keys move along the tabs, as a tab list does, and focus follows.
    tab(queue, 'mine').focus();
    await sendKeys({ press: 'ArrowRight' });
    await cardOf(queue, jordans);
    expect(queue.shadowRoot!.activeElement).to.equal(tab(queue, 'active'));
    expect(tab(queue, 'active').getAttribute('aria-selected')).to.equal('true');
    const held = cardTitled(queue, jordans.title)!;
    expect(holderOf(queue, held)).to.match(/^Picked up by Jordan Lee after \d/);
    expect(cardTitled(queue, open.title)).to.not.equal(undefined);
    expect(parts(queue, 'card').length).to.equal(Math.min(expected.active, 50));
    await sendKeys({ press: 'ArrowRight' });
    await until(() => tab(queue, 'open').getAttribute('aria-selected') === 'true', 'it wraps to Open');
  });

  it('should show one fixed view, with no tabs, for a host that sets view', async () => {
    const held = await act(await escalate({}, { account }), 'claim', 'jordan');
    const queue = await fixedView('active', 'sam');
    const card = await cardOf(queue, held);
    expect(part(queue, 'tabs')).to.equal(null);
    expect(holderOf(queue, card)).to.match(/^Picked up by Jordan Lee/);
    // A host dropping the fixed view gets the tabs back, on the view it had, cards all drawn.
    queue.view = undefined;
    await queue.updateComplete;
    tab(queue, 'active').click();
    await until(() => tab(queue, 'active').getAttribute('aria-selected') === 'true', 'the tabs are back');
    await cardOf(queue, held);
    queue.view = 'active';
    await queue.updateComplete;
    expect(part(queue, 'tabs')).to.equal(null);
    expect(parts(queue, 'card').every((node) => text(part(queue, 'title', node)) !== '')).to.equal(true);
    expect(cardTitled(queue, held.title)).to.not.equal(undefined);
  });

  it('should move a card claimed elsewhere from open to active, with the claimer, and update the counts', async () => {
    const queue = await queueAs({ persona: 'jordan', account });
    await until(() => part(queue, 'status-live') && part(queue, 'count'), 'the queue is live');
    const handoff = await escalate({ priority: 'urgent' }, { account });
    const card = await cardOf(queue, handoff);
    await until(() => shownCount(queue, 'open') === 0 || true, 'settled');
    const before = await counts();
    await until(() => shownCount(queue, 'open') === before.open, 'the open count follows the arrival');
    await act(handoff, 'claim', 'sam');
    await until(() => text(part(queue, 'card-notice', card)) === 'Picked up by Sam Rivera', 'it says who');
    await until(() => !cardTitled(queue, handoff.title), 'it leaves Open');
    await until(() => shownCount(queue, 'open') === before.open - 1, 'the open count drops');
    expect(shownCount(queue, 'active')).to.equal(before.active);
    tab(queue, 'active').click();
    const moved = await cardOf(queue, handoff);
    expect(holderOf(queue, moved)).to.match(/^Picked up by Sam Rivera after /);
    expect(part(queue, 'claim-button', moved), 'nothing to pick up').to.equal(null);
    expect(part(queue, 'release-button', moved), 'not Jordan’s to release').to.equal(null);
  });

  it('should keep what Sam picked up in Mine after a reload, with Start, Release and Resolve that work', async () => {
    const first = await escalate({ priority: 'urgent' }, { account });
    const second = await escalate({ priority: 'urgent' }, { account });
    // Picked up in the queue (Pick up), then the page reloads: a new element.
    const before = await queueAs({ persona: 'sam', account });
    for (const handoff of [first, second]) {
      const card = await cardOf(before, handoff);
      part<HTMLButtonElement>(before, 'claim-button', card)!.click();
      await until(() => part(before, 'card-notice', card), 'picked up');
    }
    before.remove();

    const queue = await fixedView('mine', 'sam');
    const card = await cardOf(queue, first);
    expect(text(part(queue, 'state', card))).to.equal('Picked up');
    const buttons = () =>
      parts(queue, 'actions', card)
        .flatMap((row) => [...row.querySelectorAll('button')])
        .map(text);
    expect(buttons()).to.deep.equal(['Start', 'Release', 'Resolve']);

    part<HTMLButtonElement>(queue, 'start-button', card)!.click();
    await until(() => text(part(queue, 'state', card)) === 'Started', 'it is started');
    expect(buttons(), 'a started handoff is no longer released').to.deep.equal(['Resolve']);
    expect((await api<Handoff>(await as('sam'), 'GET', `/handoffs/${first.id}`)).startedAt).to.be.a('string');

    // Priya (admin) resolves the second elsewhere; Sam's Release then meets the API's 409.
    const other = await cardOf(queue, second);
    await act(second, 'resolve', 'priya');
    await until(() => !cardTitled(queue, second.title), 'the resolved one leaves Mine');
    expect(other.isConnected).to.equal(false);

    part<HTMLButtonElement>(queue, 'resolve-button', card)!.click();
    await until(() => text(part(queue, 'card-notice', card)) === 'Resolved', 'resolved');
    expect((await api<Handoff>(await as('sam'), 'GET', `/handoffs/${first.id}`)).status).to.equal('resolved');
  });

  it('should show the API’s refusal when an action is no longer allowed (409)', async () => {
    const handoff = await act(await escalate({}, { account }), 'claim', 'sam');
    const queue = await fixedView('mine', 'sam');
    const card = await cardOf(queue, handoff);
    // The start lands between the card showing Release and Sam pressing it: the API refuses with 409.
    const sam = await as('sam');
    const realFetch = window.fetch;
    window.fetch = async (input, init) => {
      if (String(input).endsWith(`/handoffs/${handoff.id}/release`)) {
        window.fetch = realFetch;
        await api(sam, 'POST', `/handoffs/${handoff.id}/start`);
      }
      return realFetch(input, init);
    };
    try {
      part<HTMLButtonElement>(queue, 'release-button', card)!.click();
      await until(() => part(queue, 'card-error', card), 'the refusal shows');
    } finally {
      window.fetch = realFetch;
    }
    expect(text(part(queue, 'card-error', card))).to.match(/^That did not work: /);
    await until(() => text(part(queue, 'state', card)) === 'Started', 'the live event shows it started');
  });

  it('should offer admins Release and Resolve on anyone’s, and engineers only on their own', async () => {
    const handoff = await act(await escalate({ priority: 'urgent' }, { account }), 'claim', 'sam');
    const actions = async (persona: 'jordan' | 'priya') => {
      const queue = await fixedView('active', persona);
      const card = await cardOf(queue, handoff);
      return parts(queue, 'actions', card)
        .flatMap((row) => [...row.querySelectorAll('button')])
        .map(text);
    };
    expect(await actions('jordan')).to.deep.equal([]);
    expect(await actions('priya')).to.deep.equal(['Release', 'Resolve']);
  });
});

describe('<escalation-queue> paging', () => {
  it('should reach every one of 250 open escalations, in queue order, once each', async function () {
    this.timeout(120_000);
    const alex = await token({ persona: 'alex', account: 'paging' });
    const priorities = ['low', 'normal', 'high', 'urgent'];
    for (let batch = 0; batch < 10; batch++) {
      await Promise.all(
        Array.from({ length: 25 }, (_, i) =>
          api(alex, 'POST', '/handoffs', {
            title: `Paging #${batch * 25 + i}`,
            problemSummary: 'One of many.',
            priority: priorities[(batch * 25 + i) % 4],
          }),
        ),
      );
    }
    const queue = await queueAs({ persona: 'sam', account: 'paging' });
    await until(() => parts(queue, 'card').length === 50, 'the first page shows', 20_000);
    expect(text(part(queue, 'more-button'))).to.equal('Show more');
    expect(Number(text(part(queue, 'count', part(queue, 'tab')!)))).to.equal(250);
    for (let loaded = 100; loaded <= 250; loaded += 50) {
      part<HTMLButtonElement>(queue, 'more-button')!.click();
      await until(() => parts(queue, 'card').length === loaded, `${loaded} shown`, 20_000);
    }
    await until(() => !part(queue, 'more-button'), 'nothing more to load');
    const titles = parts(queue, 'title').map(text);
    expect(new Set(titles).size).to.equal(250);
    const ranks = parts(queue, 'priority').map((badge) =>
      ['Low', 'Normal', 'High', 'Urgent'].indexOf(text(badge)),
    );
    expect(ranks).to.deep.equal([...ranks].sort((a, b) => b - a));
  });
});
