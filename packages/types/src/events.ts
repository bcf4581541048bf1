import { z } from '@hono/zod-openapi';
import { HandoffSchema, UserRefSchema } from './domain.js';

/** Event types about one handoff, one per state change. */
export const HANDOFF_EVENT_TYPES = [
  'handoff.created',
  'handoff.assessed',
  'handoff.claimed',
  'handoff.released',
  'handoff.started',
  'handoff.resolved',
  'handoff.cancelled',
] as const;
export type HandoffEventType = (typeof HANDOFF_EVENT_TYPES)[number];

/** Control events of the stream itself. */
export const STREAM_EVENT_TYPES = ['stream.reset', 'stream.expired'] as const;
export type StreamEventType = (typeof STREAM_EVENT_TYPES)[number];

/** `data` of every `handoff.*` event: the handoff as it was right after the change. */
export const HandoffEventDataSchema = z
  .object({
    type: z.enum(HANDOFF_EVENT_TYPES),
    handoff: HandoffSchema,
    actor: UserRefSchema.nullable(),
    at: z.string(),
  })
  .openapi('HandoffEventData');
export type HandoffEventData = z.infer<typeof HandoffEventDataSchema>;

/** `stream.reset`: the Last-Event-ID is older than what is retained; refetch the list. */
export const StreamResetDataSchema = z
  .object({ type: z.literal('stream.reset'), reason: z.string() })
  .openapi('StreamResetData');

/** `stream.expired`: the token expired; reconnect with a fresh one and the last id. */
export const StreamExpiredDataSchema = z
  .object({ type: z.literal('stream.expired'), reason: z.string() })
  .openapi('StreamExpiredData');

/** Any `data` payload the live stream sends, discriminated by `type`. */
export const LiveEventDataSchema = z.discriminatedUnion('type', [
  HandoffEventDataSchema,
  StreamResetDataSchema,
  StreamExpiredDataSchema,
]);
export type LiveEventData = z.infer<typeof LiveEventDataSchema>;

/** A parsed live event: `id` is the event's sequence number (absent on control events). */
export interface LiveEvent {
  id: string | null;
  type: HandoffEventType | StreamEventType;
  data: LiveEventData;
}
