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
 * Turns the `@property()` and `@state()` fields of each class into one
 * `Class.properties = { name: options, … }`, which Lit reads when the class is
 * finalized (before it is defined) and hands field by field to
 * `createProperty`, as its own decorators do for TypeScript's experimental
 * decorators on a field (the prototype has no property of that name, so they
 * return no descriptor). `@state()` becomes `{ state: true }`, from which
 * `createProperty` sets `attribute: false`. The bundle then needs neither the
 * decorator helper nor Lit's decorators, which also carry the standard-decorator
 * path (accessors, `context.metadata`) the widget never takes, and names
 * `createProperty` once per class instead of once per field. Anything else
 * decorated (a method, an accessor, options with calls in them) fails the build
 * rather than being dropped.
 */
export function decorateHelper(): Plugin {
  return {
    name: 'rf-decorate-fields',
    enforce: 'post',
    transform(code, id) {
      if (!id.includes('/packages/widget/src/') || !code.includes(RUNTIME)) return null;
      const fields = new Map<string, string[]>();
      const out = code.replace(
        FIELD,
        (_call, decorator: string, options: string, owner: string, name: string) => {
          const settings =
            decorator === 'state' ? `{ ...${options.trim() || '{}'}, state: true }` : options.trim() || '{}';
          const first = !fields.has(owner);
          if (first) fields.set(owner, []);
          fields.get(owner)!.push(`${name}: ${settings}`);
          // The class's assignment goes where its first field was; the others leave nothing.
          return first ? `/*rf-properties:${owner}*/` : '';
        },
      );
      if (/\b_decorate\(/.test(out)) {
        throw new Error(`${id}: only @property() and @state() on fields are applied at build time`);
      }
      const assigned = out.replace(
        /\/\*rf-properties:(\w+)\*\//g,
        (_marker, owner: string) => `${owner}.properties = { ${fields.get(owner)!.join(', ')} };`,
      );
      return { code: assigned.replace(`import _decorate from ${JSON.stringify(RUNTIME)};`, ''), map: null };
    },
  };
}
