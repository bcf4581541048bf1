import type { HandoffContext, TriedStep } from '@resolutionflow/types';

/** What an assessor reads: the first two sections of the handoff and its context. */
export interface AssessmentInput {
  title: string;
  problemSummary: string;
  tried: TriedStep[];
  context: HandoffContext;
}

/** A ready assessment. */
export interface AssessmentResult {
  likelyCause: string;
  /** 0…1. */
  confidence: number;
  nextSteps: string[];
  model: string;
}

/**
 * Produces the AI assessment section. Implementations must stop work when
 * `signal` aborts; the runner enforces the timeout either way.
 */
export interface Assessor {
  assess(input: AssessmentInput, signal: AbortSignal): Promise<AssessmentResult>;
}
