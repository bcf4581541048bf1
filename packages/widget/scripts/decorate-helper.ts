/**
 * Build helper for the widget's vite config (../vite.config.ts): Lit's
 * decorators applied at build time.
 */
import type { Plugin } from 'vite';

/** What the transform imports for `@property()` and `@state()` (TypeScript's experimental decorators). */
const RUNTIME = '@oxc-project/runtime/helpers/decorate';

/** A decorated field as the transform leaves it: `_decorate([property({…})], Class.prototype, "name", void 0);`. */
const FIELD = /_decorate\(\[(property|state)\(([^()]*)\)\], (\w+)\.prototype, ("\w+"), void 0\);/g;

/**
 * Turns each `@property()` and `@state()` on a field into the call the
 * decorator makes when it runs: `Class.createProperty(name, options)`, as Lit's
 * own decorators do for TypeScript's experimental decorators on a field (the
 * prototype has no property of that name, so they return no descriptor), with
 * `state: true, attribute: false` added for `@state()`. The bundle then needs
 * neither the decorator helper nor Lit's decorators, which also carry the
 * standard-decorator path (accessors, `context.metadata`) the widget never
 * takes. Anything else decorated (a method, an accessor, options with calls
 * in them) fails the build rather than being dropped.
 */
export function decorateHelper(): Plugin {
  return {
    name: 'rf-decorate-fields',
    enforce: 'post',
    transform(code, id) {
      if (!id.includes('/packages/widget/src/') || !code.includes(RUNTIME)) return null;
      const out = code.replace(
        FIELD,
        (_call, decorator: string, options: string, owner: string, name: string) => {
          const given = options.trim() ? `, ${options}` : '';
          const settings =
            decorator === 'state'
              ? `, { ...${options.trim() || '{}'}, state: true, attribute: false }`
              : given;
          return `${owner}.createProperty(${name}${settings});`;
        },
      );
      if (/\b_decorate\(/.test(out)) {
        throw new Error(`${id}: only @property() and @state() on fields are applied at build time`);
      }
      return { code: out.replace(`import _decorate from ${JSON.stringify(RUNTIME)};`, ''), map: null };
    },
  };
}
