/**
 * Build helpers for the widget's vite config (../vite.config.ts): a template
 * literal minifier, and the names property mangling must leave alone.
 */
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { Plugin } from 'vite';

/**
 * Shrinks the widget's own `css` and `html`/`svg` template literals, which no
 * minifier touches, including those nested in `${…}`. Markup: every run of
 * whitespace becomes the line breaks it contained (or one space), so line
 * numbers, and with them the source maps, stay right; it renders the same (no
 * <pre> in the widget). CSS (always the last statement of a `.styles.ts` file,
 * so nothing after it moves): comments and line breaks go, and the spaces
 * around braces, semicolons, commas and child combinators, and after colons.
 * Untagged templates and strings are left as they are.
 *
 * A `css` literal without `${…}` then becomes `unsafeCSS(`…`)`: the same
 * CSSResult, since the tag's only work beyond that is to check interpolated
 * values, and there are none. The bundle no longer needs the tag's code. A
 * styles file whose CSS has an interpolation or a backslash fails the build.
 */
export function minifyTemplates(): Plugin {
  const shrinkCss = (text: string) =>
    text
      .replace(/\/\*[\s\S]*?\*\//g, '')
      .replace(/\s+/g, ' ')
      .replace(/ ?([{};,>]) ?/g, '$1')
      // After a colon only: a space before one is a descendant combinator (`a :hover`).
      .replace(/: /g, ':')
      .replace(/;}/g, '}')
      .trim();
  const shrinkMarkup = (text: string) => text.replace(/\s+/g, (run) => run.replace(/[^\n]/g, '') || ' ');

  /** Reads a template from after its opening backtick; returns it (shrunk if tagged) and where it ends. */
  function template(code: string, at: number, tag: string | undefined): [string, number] {
    const shrink = tag === 'css' ? shrinkCss : tag ? shrinkMarkup : (text: string) => text;
    let out = '';
    let chunk = '';
    for (let i = at; i < code.length;) {
      const char = code[i]!;
      if (char === '\\') {
        chunk += code.slice(i, i + 2);
        i += 2;
      } else if (char === '`') {
        return [`${out}${shrink(chunk)}\``, i + 1];
      } else if (char === '$' && code[i + 1] === '{') {
        const [inner, end] = expression(code, i + 2);
        out += `${shrink(chunk)}\${${inner}}`;
        chunk = '';
        i = end;
      } else {
        chunk += char;
        i++;
      }
    }
    throw new Error('unterminated template literal');
  }

  /** Reads an expression from after `${` to its closing brace, shrinking tagged templates inside. */
  function expression(code: string, at: number): [string, number] {
    let out = '';
    let depth = 0;
    for (let i = at; i < code.length;) {
      const char = code[i]!;
      if (char === '`') {
        const [body, end] = template(code, i + 1, /\b(css|html|svg)$/.exec(out)?.[1]);
        out += `\`${body}`;
        i = end;
      } else if (char === "'" || char === '"') {
        const end = code.indexOf(char, i + 1) + 1;
        out += code.slice(i, end);
        i = end;
      } else {
        if (char === '}' && depth-- === 0) return [out, i + 1];
        if (char === '{') depth++;
        out += char;
        i++;
      }
    }
    throw new Error('unterminated template expression');
  }

  return {
    name: 'rf-minify-templates',
    transform(code, id) {
      if (!id.includes('/packages/widget/src/') || !id.endsWith('.ts')) return null;
      let out = '';
      let last = 0;
      for (const match of code.matchAll(/\b(css|html|svg)`/g)) {
        if (match.index < last) continue;
        const [body, end] = template(code, match.index + match[0].length, match[1]);
        out += code.slice(last, match.index + match[0].length) + body;
        last = end;
      }
      out += code.slice(last);
      if (id.endsWith('.styles.ts')) out = plainCss(out);
      return { code: out, map: null };
    },
  };
}

/** Every `css` literal without an interpolation as `unsafeCSS(…)`; Lit's `css` import goes once none is left. */
function plainCss(code: string): string {
  const out = code.replace(/\bcss(`[^`$\\]*`)/g, 'unsafeCSS($1)');
  if (out === code) return code;
  const imported = out.replace(/import \{ css \} from (["'])lit\1;/, 'import { unsafeCSS } from "lit";');
  if (imported === out || /\bcss`/.test(imported))
    throw new Error("a styles file imports only { css } from 'lit', for CSS without ${…} or backslashes");
  return imported;
}

/** `@state()` and `@property()` fields named `_…`: their names must survive minification. */
export function reactiveNames(sourceDir: string): string[] {
  const names = new Set<string>();
  for (const file of readdirSync(sourceDir, { recursive: true, encoding: 'utf8' })) {
    if (!file.endsWith('.ts') || file.endsWith('.test.ts')) continue;
    const code = readFileSync(join(sourceDir, file), 'utf8');
    for (const [, name] of code.matchAll(
      /@(?:state|property)\([^)]*\)\s*(?:(?:private|protected|public|readonly)\s+)*(_\w+)/g,
    )) {
      names.add(name!);
    }
  }
  return [...names];
}
