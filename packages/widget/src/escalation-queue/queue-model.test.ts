import type { Handoff, Priority } from '@resolutionflow/types';
import { expect } from '@open-wc/testing';
import {
  byPriorityThenAge,
  find,
  fromPage,
  inView,
  patch,
  remove,
  upsert,
  type QueueCard,
} from './queue-model.js';

/** Just enough of a handoff for the queue's model. */
const handoff = (id: string, priority: Priority = 'normal', createdAt = '2025-01-01T09:00:00.000Z') =>
  ({ id, priority, createdAt, status: 'open' }) as Handoff;
const ids = (cards: QueueCard[]) => cards.map((card) => card.handoff.id);

describe('queue model', () => {
  it('should order most urgent first, then longest waiting', () => {
    const cards = [
      handoff('low', 'low'),
      handoff('new-urgent', 'urgent', '2025-01-01T10:00:00.000Z'),
      handoff('normal', 'normal'),
      handoff('old-urgent', 'urgent', '2025-01-01T08:00:00.000Z'),
      handoff('high', 'high'),
    ].map((item) => ({ handoff: item }));
    expect(ids(cards.sort(byPriorityThenAge))).to.deep.equal([
      'old-urgent',
      'new-urgent',
      'high',
      'normal',
      'low',
    ]);
  });

  it('should keep a claim in flight and its error across a reload, and nothing else', () => {
    const before: QueueCard[] = [
      { handoff: handoff('a'), busy: true, fresh: true },
      { handoff: handoff('b'), error: 'Could not pick this up', leaving: 'You picked this up' },
    ];
    expect(fromPage([handoff('b'), handoff('c')], before)).to.deep.equal([
      { handoff: handoff('b'), busy: undefined, error: 'Could not pick this up' },
      { handoff: handoff('c'), busy: undefined, error: undefined },
    ]);
    expect(fromPage([handoff('a')], null)).to.deep.equal([
      { handoff: handoff('a'), busy: undefined, error: undefined },
    ]);
  });

  it('should add a new handoff as fresh and update a shown one in place', () => {
    const cards: QueueCard[] = [{ handoff: handoff('a'), busy: true }];
    const added = upsert(cards, handoff('b'));
    expect(added).to.deep.equal([...cards, { handoff: handoff('b'), fresh: true }]);
    const updated = upsert(added, handoff('a', 'urgent'));
    expect(updated[0]).to.deep.equal({ handoff: handoff('a', 'urgent'), busy: true, leaving: undefined });
    expect(upsert(cards, handoff('c'), false).at(-1), 'loaded with a page: not fresh').to.deep.equal({
      handoff: handoff('c'),
    });
    expect(cards, 'the cards given are left as they were').to.have.length(1);
  });

  it('should break ties by id, as the server does', () => {
    const same = '2025-01-01T09:00:00.000Z';
    const cards = [handoff('b', 'high', same), handoff('a', 'high', same)].map((item) => ({ handoff: item }));
    expect(ids(cards.sort(byPriorityThenAge))).to.deep.equal(['a', 'b']);
  });

  it("should put each status in its views: open in open and active, held ones in active and the holder's mine", () => {
    const held = (status: string, by: string) =>
      ({ ...handoff('x'), status, claimedBy: { id: by, name: by } }) as Handoff;
    const where = (item: Handoff) =>
      (['open', 'mine', 'active'] as const).filter((view) => inView(item, view, 'sam'));
    expect(where(handoff('x'))).to.deep.equal(['open', 'active']);
    expect(where(held('claimed', 'sam'))).to.deep.equal(['mine', 'active']);
    expect(where(held('started', 'sam'))).to.deep.equal(['mine', 'active']);
    expect(where(held('claimed', 'jordan'))).to.deep.equal(['active']);
    expect(where(held('resolved', 'sam'))).to.deep.equal([]);
    expect(where({ ...handoff('x'), status: 'cancelled' } as Handoff)).to.deep.equal([]);
  });

  it('should patch, find and remove one card by id', () => {
    const cards: QueueCard[] = [{ handoff: handoff('a') }, { handoff: handoff('b') }];
    const patched = patch(cards, 'b', { leaving: 'No longer open' });
    expect(find(patched, 'b')?.leaving).to.equal('No longer open');
    expect(find(patched, 'a')).to.equal(cards[0]);
    expect(find(null, 'a')).to.equal(undefined);
    expect(ids(remove(patched, 'a'))).to.deep.equal(['b']);
  });
});
