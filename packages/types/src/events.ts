import { z } from 'zod';
import { HANDOFF_EVENT_TYPES } from './constants.js';
import { HandoffSchema, UserRefSchema } from './domain.js';

/** `data` of every `handoff.*` event: the handoff as it was right after the change. */
export const HandoffEventDataSchema = z
  .object({
    type: z.enum(HANDOFF_EVENT_TYPES),
    handoff: HandoffSchema,
    actor: UserRefSchema.nullable(),
    at: z.string(),
  })
  .meta({ id: 'HandoffEventData' });
export type HandoffEventData = z.infer<typeof HandoffEventDataSchema>;
