/** Fixtures of the `<escalation-queue>` tests: a queue as someone, and a card once it shows. */
import type { Handoff } from '@resolutionflow/types';
import { fixture, html } from '@open-wc/testing';
import type { TemplateResult } from 'lit';
import type { EscalationQueue } from '../escalation-queue/escalation-queue.js';
import { cardTitled, server, token, until, type TokenOptions } from './helpers.js';

/** A queue on the test server with a token minted for `options` (define the element first). */
export async function queueAs(
  options: TokenOptions,
  attributes: TemplateResult = html``,
): Promise<EscalationQueue> {
  return fixture<EscalationQueue>(
    html`<escalation-queue api-base=${await server()} token=${await token(options)}
      >${attributes}</escalation-queue
    >`,
  );
}

/** Waits for the card of `handoff` and returns it. */
export async function cardOf(queue: EscalationQueue, handoff: Handoff): Promise<HTMLElement> {
  await until(() => cardTitled(queue, handoff.title), `the card "${handoff.title}" appears`);
  return cardTitled(queue, handoff.title)!;
}
