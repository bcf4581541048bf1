import { HandoffEventDataSchema, type Handoff } from '@resolutionflow/types';
import { describe, expect, it } from 'vitest';
import { eventInsert, type EventDraft } from './events.js';
import { handoffJson } from './handoff-json.js';

const handoff: Handoff = {
  id: '0b4c7a52-8a57-4c59-9d0e-2f1f0c8a9b11',
  intent: 'escalate',
  status: 'claimed',
  priority: 'high',
  title: 'Quotes " and \\ backslashes, </script>, \u2028 and émoji 🚀',
  problemSummary: 'Line one\nline two',
  tried: [{ action: 'Cleared cached credentials', outcome: 'failed', at: '2026-11-20T14:05:00Z' }],
  context: { client: 'Northwind', device: 'NW-LT-0142', ticketUrl: 'https://psa.example.com/t/1' },
  hostSessionId: null,
  assessment: { status: 'pending' },
  createdBy: { id: 'tech-1', name: 'Tess Tech' },
  claimedBy: { id: 'eng-1', name: 'Eli Engineer' },
  createdAt: '2026-12-01T10:00:00.000Z',
  claimedAt: '2026-12-01T10:05:00.000Z',
  startedAt: null,
  resolvedAt: null,
  cancelledAt: null,
};

const now = Date.parse('2026-12-01T10:05:00.000Z');
const drafts: EventDraft[] = [
  { type: 'handoff.created', handoff, actor: { id: 'tech-1', name: 'Tess Tech' }, now },
  { type: 'handoff.released', handoff, actor: null, now, reason: 'policy' },
  {
    type: 'handoff.overdue',
    handoff,
    actor: null,
    now,
    policy: { rule: 'unclaimed', step: 0, afterSeconds: 600, action: 'engineers', notified: ['eng-1'] },
  },
];

describe('event data', () => {
  it.each(drafts)(
    'should write $type data exactly as JSON.stringify would, with the handoff made once',
    (draft) => {
      const { type, actor, reason, policy } = draft;
      const expected = JSON.stringify({
        type,
        handoff,
        actor,
        at: new Date(now).toISOString(),
        ...(reason ? { reason } : {}),
        ...(policy ? { policy } : {}),
      });
      const row = eventInsert(draft);
      expect(row.data).toBe(expected);
      expect(HandoffEventDataSchema.parse(JSON.parse(row.data))).toEqual(JSON.parse(expected));
      expect(row).toMatchObject({ type, handoffId: handoff.id, createdAt: now });
      // The same text the 201 answers with, from the cache rather than a second serialisation.
      expect(row.data).toContain(`"handoff":${handoffJson(handoff)},`);
    },
  );
});
