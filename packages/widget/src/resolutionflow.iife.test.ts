/**
 * The script-tag build (dist/resolutionflow.js, built before the tests), loaded
 * twice on one page as a careless host would: nothing throws, a warning names
 * both versions, and `configure()` from the global still reaches the elements.
 */
import { expect, fixture, html } from '@open-wc/testing';
import type * as Widget from './resolutionflow.js';
import { cardTitled, escalate, part, parts, server, token, until } from './test/helpers.js';

declare global {
  interface Window {
    ResolutionFlow: typeof Widget;
  }
}

function loadScript(src: string): Promise<void> {
  return new Promise((resolve, reject) => {
    const script = document.createElement('script');
    script.src = src;
    script.onload = () => resolve();
    script.onerror = () => reject(new Error(`could not load ${src}`));
    document.head.append(script);
  });
}

describe('the script-tag build', () => {
  it('should still work when loaded twice, warning with both versions', async () => {
    const errors: unknown[] = [];
    const onError = (event: ErrorEvent) => errors.push(event.error);
    window.addEventListener('error', onError);
    const warnings: string[] = [];
    const warn = console.warn;
    console.warn = (...args: unknown[]) => warnings.push(args.join(' '));
    try {
      await loadScript('/packages/widget/dist/resolutionflow.js');
      await loadScript('/packages/widget/dist/resolutionflow.js?again');
    } finally {
      console.warn = warn;
      window.removeEventListener('error', onError);
    }
    expect(errors).to.deep.equal([]);
    const version = window.ResolutionFlow.VERSION;
    for (const tag of ['escalation-queue', 'handoff-context', 'escalation-metrics']) {
      expect(customElements.get(tag), tag).to.be.a('function');
      expect(warnings).to.include(
        `[resolutionflow] <${tag}> is already defined by version ${version}; this copy (version ${version}) is not used.`,
      );
    }

    const sam = await token({ persona: 'sam' });
    window.ResolutionFlow.configure({ apiBase: await server(), getToken: () => sam });
    const queue = await fixture(html`<escalation-queue></escalation-queue>`);
    await until(
      () => part(queue, 'status-live') && parts(queue, 'card').length > 0,
      'the queue configured through the global loads',
    );
    expect(part(queue, 'heading')!.textContent).to.equal('Escalations');
    // The minified build's live path: a new escalation arrives.
    const handoff = await escalate();
    await until(() => cardTitled(queue, handoff.title), 'a live arrival shows');
  });
});
