import { expect } from '@open-wc/testing';
import { defineElement } from './define-element.js';
import { VERSION } from './version.js';

describe('defineElement', () => {
  it('should define once, then warn instead of throwing, naming both versions', () => {
    class First extends HTMLElement {
      static version = '1.0.0';
    }
    class Second extends HTMLElement {
      static version = '2.0.0';
    }
    const warnings: string[] = [];
    const warn = console.warn;
    console.warn = (message: string) => warnings.push(message);
    try {
      defineElement('rf-define-test', First);
      defineElement('rf-define-test', Second);
      defineElement('rf-define-test', First);
    } finally {
      console.warn = warn;
    }
    expect(customElements.get('rf-define-test')).to.equal(First);
    expect(warnings).to.deep.equal([
      '[resolutionflow] <rf-define-test> is already defined by version 1.0.0; this copy (version 2.0.0) is not used.',
    ]);
  });

  it('should carry the package version', async () => {
    const pkg = (await (await fetch(new URL('../../package.json', import.meta.url))).json()) as {
      version: string;
    };
    expect(VERSION).to.equal(pkg.version);
  });
});

describe('custom-elements.json', () => {
  it('should describe the three elements with their tags, events and parts', async () => {
    const manifest = (await (
      await fetch(new URL('../../dist/custom-elements.json', import.meta.url))
    ).json()) as {
      modules: { declarations?: { tagName?: string; events?: { name: string }[]; cssParts?: unknown[] }[] }[];
    };
    const elements = manifest.modules.flatMap((module) => module.declarations ?? []).filter((d) => d.tagName);
    expect(elements.map((element) => element.tagName).sort()).to.deep.equal([
      'escalation-metrics',
      'escalation-queue',
      'handoff-context',
    ]);
    for (const element of elements) {
      expect(
        element.events?.every((event) => event.name.startsWith('rf-')),
        element.tagName,
      ).to.equal(true);
      expect(element.cssParts?.length, element.tagName).to.be.greaterThan(10);
    }
  });
});
