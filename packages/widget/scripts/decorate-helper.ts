/**
 * Build helper for the widget's vite config (../vite.config.ts): a smaller
 * legacy-decorator helper.
 */
import type { Plugin } from 'vite';

/** What the transform imports for `@property()` and `@state()` (TypeScript's experimental decorators). */
const RUNTIME = '@oxc-project/runtime/helpers/decorate';
const ID = '\0rf-decorate';

/**
 * TypeScript's `__decorate`, for decorators on members only. The runtime's own
 * copy also serves `Reflect.decorate` (the reflect-metadata polyfill) and class
 * decorators; the widget has neither (elements are defined by their define
 * files, not `@customElement`), so the script tag need not carry them.
 */
const HELPER = `export default function decorate(decorators, target, key, descriptor) {
  if (descriptor === null) descriptor = Object.getOwnPropertyDescriptor(target, key);
  for (let i = decorators.length; i--; ) descriptor = decorators[i](target, key, descriptor) || descriptor;
  if (descriptor) Object.defineProperty(target, key, descriptor);
}`;

/** Points the widget's decorated modules at {@link HELPER}. */
export function decorateHelper(): Plugin {
  return {
    name: 'rf-decorate-helper',
    enforce: 'post',
    transform(code, id) {
      if (!id.includes('/packages/widget/src/') || !code.includes(RUNTIME)) return null;
      return { code: code.replaceAll(JSON.stringify(RUNTIME), JSON.stringify(ID)), map: null };
    },
    resolveId: (id) => (id === ID ? ID : null),
    load: (id) => (id === ID ? HELPER : null),
  };
}
