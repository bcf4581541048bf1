import { expect, fixture, html } from '@open-wc/testing';
import { emulateMedia } from '@web/test-runner-commands';
import { part, parts, server, text, token, until } from '../test/helpers.js';
import { queueAs } from '../test/queue.js';
import './escalation-queue.js';

describe('<escalation-queue>', () => {
  describe('look', () => {
    it('should follow the theme attribute', async () => {
      const queue = await queueAs({ account: 'empty' }, html``);
      queue.theme = 'dark';
      await queue.updateComplete;
      const dark = getComputedStyle(part(queue, 'base')!).backgroundColor;
      queue.theme = 'light';
      await queue.updateComplete;
      const light = getComputedStyle(part(queue, 'base')!).backgroundColor;
      expect(dark).to.equal('rgb(22, 24, 29)');
      expect(light).to.equal('rgb(255, 255, 255)');
    });

    it('should follow prefers-color-scheme unless a theme is pinned', async () => {
      await emulateMedia({ colorScheme: 'dark' });
      try {
        const queue = await queueAs({ account: 'empty' });
        expect(getComputedStyle(part(queue, 'base')!).backgroundColor).to.equal('rgb(22, 24, 29)');
        queue.theme = 'light';
        await queue.updateComplete;
        expect(getComputedStyle(part(queue, 'base')!).backgroundColor).to.equal('rgb(255, 255, 255)');
      } finally {
        await emulateMedia({ colorScheme: 'light' });
      }
    });

    it('should write times in the language of the nearest lang attribute', async () => {
      const wrapper = await fixture<HTMLElement>(
        html`<div lang="de">
          <escalation-queue api-base=${await server()} token=${await token()}></escalation-queue>
        </div>`,
      );
      const queue = wrapper.querySelector('escalation-queue')!;
      await until(() => parts(queue, 'card').length > 0, 'cards appear');
      expect(text(part(queue, 'meta'))).to.match(/^Escalated vor \d+ (Minuten|Stunden|Tagen) by /);
    });

    it('should be accessible, in light and in dark', async () => {
      const queue = await queueAs({ persona: 'sam' });
      await until(() => parts(queue, 'card').length > 0, 'cards appear');
      await expect(queue).to.be.accessible();
      queue.theme = 'dark';
      await queue.updateComplete;
      await expect(queue).to.be.accessible();
    });
  });
});
