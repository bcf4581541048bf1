import type { Handoff, Priority } from '@resolutionflow/types';
import { expect } from '@open-wc/testing';
import { byPriorityThenAge, find, fromPage, patch, remove, upsert, type QueueCard } from './queue-model.js';

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
      { handoff: handoff('a'), claiming: true, fresh: true },
      { handoff: handoff('b'), error: 'Could not pick this up', leaving: 'You picked this up' },
    ];
    expect(fromPage([handoff('b'), handoff('c')], before)).to.deep.equal([
      { handoff: handoff('b'), claiming: undefined, error: 'Could not pick this up' },
      { handoff: handoff('c'), claiming: undefined, error: undefined },
    ]);
    expect(fromPage([handoff('a')], null)).to.deep.equal([
      { handoff: handoff('a'), claiming: undefined, error: undefined },
    ]);
  });

  it('should add a new handoff as fresh and update a shown one in place', () => {
    const cards: QueueCard[] = [{ handoff: handoff('a'), claiming: true }];
    const added = upsert(cards, handoff('b'));
    expect(added).to.deep.equal([...cards, { handoff: handoff('b'), fresh: true }]);
    const updated = upsert(added, handoff('a', 'urgent'));
    expect(updated[0]).to.deep.equal({ handoff: handoff('a', 'urgent'), claiming: true });
    expect(cards, 'the cards given are left as they were').to.have.length(1);
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
