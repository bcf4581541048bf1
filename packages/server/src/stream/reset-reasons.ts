import type { ResumePoint } from './resume-point.js';

/** What a client whose Last-Event-ID cannot be resumed from is told with `stream.reset`. */
export const RESET_REASONS: Record<NonNullable<ResumePoint['lost']>, string> = {
  pruned: 'Events after your Last-Event-ID are no longer retained',
  unknown: 'Your Last-Event-ID is unknown to this server',
  epoch: "Your Last-Event-ID is from an earlier numbering of your account's events",
};
