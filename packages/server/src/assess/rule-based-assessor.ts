import type { Assessor, AssessmentInput, AssessmentResult } from './assessor.js';
import { ASSESSMENT_RULES, FALLBACK_RULE, type AssessmentRule } from './rules.js';

/** Identifies the built-in assessor in `assessment.model`. */
export const RULE_BASED_MODEL = 'resolutionflow-rules-1';

const words = (text: string) => text.toLowerCase();

const patterns = new Map<string, RegExp>();

/** A keyword matches at the start of a word: "print" finds "printer", not "fingerprint". */
function matcher(keyword: string): RegExp {
  let pattern = patterns.get(keyword);
  if (!pattern) {
    pattern = new RegExp(`(?<![a-z0-9])${keyword.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}`);
    patterns.set(keyword, pattern);
  }
  return pattern;
}

/** How strongly a rule matches: keyword hits in the title count double. */
function score(rule: AssessmentRule, title: string, body: string): number {
  let total = 0;
  for (const keyword of rule.keywords) {
    const pattern = matcher(keyword);
    if (pattern.test(title)) total += 2;
    else if (pattern.test(body)) total += 1;
  }
  return total;
}

/** True when the technician already tried something this step describes. */
function alreadyTried(step: { skipIfTried?: string[] }, triedText: string): boolean {
  return (step.skipIfTried ?? []).some((keyword) => triedText.includes(keyword));
}

/**
 * An offline, deterministic assessor: matches the summary and tried steps
 * against known MSP problem patterns, so the demo and air-gapped installs get
 * a useful assessment with no network. Same input, same output.
 */
export class RuleBasedAssessor implements Assessor {
  async assess(input: AssessmentInput): Promise<AssessmentResult> {
    const title = words(input.title);
    const triedText = words(input.tried.map((step) => `${step.action} ${step.note ?? ''}`).join(' '));
    const body = words(`${input.problemSummary} ${triedText} ${input.context.device ?? ''}`);
    let best: AssessmentRule = FALLBACK_RULE;
    let bestScore = 0;
    for (const rule of ASSESSMENT_RULES) {
      const s = score(rule, title, body);
      if (s > bestScore) {
        best = rule;
        bestScore = s;
      }
    }
    const failed = input.tried.filter((step) => step.outcome === 'failed').length;
    const confidence =
      best === FALLBACK_RULE ? 0.25 : Math.min(0.9, 0.45 + 0.08 * bestScore + (failed >= 2 ? 0.05 : 0));
    const nextSteps = best.steps.filter((step) => !alreadyTried(step, triedText)).map((step) => step.text);
    return {
      likelyCause: best.cause,
      confidence: Math.round(confidence * 100) / 100,
      nextSteps: nextSteps.slice(0, 5),
      model: RULE_BASED_MODEL,
    };
  }
}
