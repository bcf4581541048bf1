import { z } from 'zod';
import type { Assessor, AssessmentInput, AssessmentResult } from './assessor.js';

/** The JSON the model must answer with. */
const ModelAnswerSchema = z.object({
  likelyCause: z.string().trim().min(1).max(1000),
  confidence: z.number().min(0).max(1),
  nextSteps: z.array(z.string().trim().min(1).max(500)).min(1).max(8),
});

const JSON_SCHEMA = {
  type: 'object',
  additionalProperties: false,
  required: ['likelyCause', 'confidence', 'nextSteps'],
  properties: {
    likelyCause: { type: 'string' },
    confidence: { type: 'number', minimum: 0, maximum: 1 },
    nextSteps: { type: 'array', items: { type: 'string' }, minItems: 1, maxItems: 8 },
  },
};

const SYSTEM_PROMPT =
  "You are a senior MSP engineer. From a junior technician's escalation, give the most likely cause, your confidence (0-1) and up to five concrete next steps that do not repeat what was already tried. Answer only with JSON matching the schema.";

/** Raised when the provider answers with something we cannot use. */
export class AssessorOutputError extends Error {
  override name = 'AssessorOutputError';
}

/**
 * An OpenAI-compatible chat-completions provider (`AI_BASE_URL`, `AI_API_KEY`,
 * `AI_MODEL`) asked for structured JSON, whose answer is validated before use.
 */
export class OpenAiAssessor implements Assessor {
  constructor(private readonly _options: { baseUrl: string; apiKey?: string | undefined; model: string }) {}

  async assess(input: AssessmentInput, signal: AbortSignal): Promise<AssessmentResult> {
    const headers: Record<string, string> = { 'Content-Type': 'application/json' };
    if (this._options.apiKey) headers.Authorization = `Bearer ${this._options.apiKey}`;
    const response = await fetch(`${this._options.baseUrl.replace(/\/$/, '')}/chat/completions`, {
      method: 'POST',
      headers,
      signal,
      body: JSON.stringify({
        model: this._options.model,
        temperature: 0,
        response_format: {
          type: 'json_schema',
          json_schema: { name: 'assessment', strict: true, schema: JSON_SCHEMA },
        },
        messages: [
          { role: 'system', content: SYSTEM_PROMPT },
          { role: 'user', content: JSON.stringify(input) },
        ],
      }),
    });
    if (!response.ok) throw new AssessorOutputError(`provider answered ${response.status}`);
    const body = (await response.json().catch(() => null)) as {
      choices?: { message?: { content?: unknown } }[];
    } | null;
    const content = body?.choices?.[0]?.message?.content;
    if (typeof content !== 'string') throw new AssessorOutputError('no message content');
    let parsed: unknown;
    try {
      parsed = JSON.parse(content);
    } catch {
      throw new AssessorOutputError('message content is not JSON');
    }
    const answer = ModelAnswerSchema.safeParse(parsed);
    if (!answer.success) throw new AssessorOutputError('message content does not match the schema');
    return { ...answer.data, model: this._options.model };
  }
}
