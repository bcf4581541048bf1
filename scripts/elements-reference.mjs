// Writes docs/elements.md from the widget's custom-elements.json (itself generated from the
// components' JSDoc), so the reference cannot drift from the code.
// Usage: node scripts/elements-reference.mjs [--check]   (--check fails when the file is stale)
import { readFileSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const manifest = JSON.parse(readFileSync(join(root, 'packages/widget/dist/custom-elements.json'), 'utf8'));
const target = join(root, 'docs/elements.md');

const cell = (text = '') => String(text).replace(/\|/g, '\\|').replace(/\n+/g, ' ');
const table = (headers, rows) =>
  rows.length === 0
    ? '_None._\n'
    : [
        `| ${headers.join(' | ')} |`,
        `| ${headers.map(() => '---').join(' | ')} |`,
        ...rows.map((r) => `| ${r.map(cell).join(' | ')} |`),
      ].join('\n') + '\n';

const declarations = manifest.modules.flatMap((mod) => mod.declarations ?? []);
const byName = new Map(declarations.map((d) => [d.name, d]));

/** A declaration with what it inherits from its superclasses merged in. */
function resolved(declaration) {
  const parent = declaration.superclass && byName.get(declaration.superclass.name);
  if (!parent) return declaration;
  const base = resolved(parent);
  const merge = (key) =>
    [...(base[key] ?? []), ...(declaration[key] ?? [])].filter(
      (item, index, all) => all.findIndex((other) => other.name === item.name) === index,
    );
  return {
    ...declaration,
    attributes: merge('attributes'),
    members: merge('members'),
    events: merge('events'),
    cssParts: merge('cssParts'),
    cssProperties: merge('cssProperties'),
    slots: merge('slots'),
  };
}

const elements = declarations
  .filter((d) => d.customElement && d.tagName)
  .map(resolved)
  .sort((a, b) => a.tagName.localeCompare(b.tagName));
let out =
  '# Element reference\n\n_Generated from `custom-elements.json` by `scripts/elements-reference.mjs`; do not edit by hand._\n';
for (const el of elements) {
  out += `\n## \`<${el.tagName}>\`\n\n${el.summary ?? ''}${el.summary && el.description ? '\n\n' : ''}${el.description ?? ''}\n\n`;
  const properties = (el.members ?? []).filter(
    (m) =>
      m.kind === 'field' &&
      !m.static &&
      m.privacy !== 'private' &&
      m.privacy !== 'protected' &&
      !m.name.startsWith('_'),
  );
  out +=
    '### Attributes and properties\n\n' +
    table(
      ['attribute', 'property', 'type', 'default', 'description'],
      properties.map((p) => [
        p.attribute ?? (el.attributes ?? []).find((a) => a.fieldName === p.name)?.name ?? '',
        p.name,
        p.type?.text ?? '',
        p.default ?? '',
        p.description ?? '',
      ]),
    );
  out +=
    '\n### Events\n\n' +
    table(
      ['event', 'description'],
      (el.events ?? []).filter((e) => e.name).map((e) => [e.name, e.description ?? '']),
    );
  out +=
    '\n### CSS parts\n\n' +
    table(
      ['part', 'description'],
      (el.cssParts ?? []).map((p) => [p.name, p.description ?? '']),
    );
  out +=
    '\n### CSS custom properties\n\n' +
    table(
      ['property', 'description', 'default'],
      (el.cssProperties ?? []).map((p) => [p.name, p.description ?? '', p.default ?? '']),
    );
}

if (process.argv.includes('--check')) {
  let current = '';
  try {
    current = readFileSync(target, 'utf8');
  } catch {
    // missing counts as stale
  }
  if (current !== out) {
    console.error('docs/elements.md is out of date: run `node scripts/elements-reference.mjs`');
    process.exit(1);
  }
} else {
  writeFileSync(target, out);
  console.log(`wrote ${target} (${elements.length} elements)`);
}
