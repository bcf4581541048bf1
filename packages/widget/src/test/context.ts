/** Fixture of the `<handoff-context>` tests: one handoff shown to someone. */
import type { Handoff } from '@resolutionflow/types';
import { fixture, html } from '@open-wc/testing';
import type { HandoffContext } from '../handoff-context/handoff-context.js';
import { part, server, token, until, type Persona } from './helpers.js';

/** `handoff` in a `<handoff-context>` as `persona` sees it, once shown (define the element first). */
export async function contextOf(
  handoff: Pick<Handoff, 'id'>,
  persona: Persona = 'sam',
): Promise<HandoffContext> {
  const element = await fixture<HandoffContext>(
    html`<handoff-context
      api-base=${await server()}
      token=${await token({ persona })}
      handoff-id=${handoff.id}
    ></handoff-context>`,
  );
  await until(() => part(element, 'title'), 'the handoff is shown');
  return element;
}
