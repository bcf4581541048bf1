/**
 * The element reference (docs/elements.md) as Markdown, from a custom elements manifest: one
 * section per element with its attributes and properties, events, slots, CSS parts and CSS custom
 * properties. The analyzer has already merged what each element inherits (RfElement's attributes
 * and tokens included), so every element reads complete on its own.
 */

/** A table cell: one line, pipes escaped (GitHub tables need that inside code spans too). */
const cell = (text = '') =>
  String(text)
    .replace(/\s*\n\s*/g, ' ')
    .replace(/\|/g, '\\|');
const code = (text) => (text ? `\`${text}\`` : '');

const table = (headers, rows) =>
  rows.length === 0
    ? '_None._\n'
    : [
        `| ${headers.join(' | ')} |`,
        `| ${headers.map(() => '---').join(' | ')} |`,
        ...rows.map((row) => `| ${row.map(cell).join(' | ')} |`),
      ].join('\n') + '\n';

/** What a page sets or reads: neither static, nor protected or private, nor `_`-prefixed. */
const isPublic = (member) =>
  !member.static && !member.privacy && !member.name.startsWith('_') && !member.name.startsWith('#');

// A default column only when a property documents one (`@cssproperty [--rf-x=1rem]`).
const customProperties = (properties) =>
  properties.some((p) => p.default)
    ? table(
        ['property', 'default', 'description'],
        properties.map((p) => [code(p.name), code(p.default), p.description ?? '']),
      )
    : table(
        ['property', 'description'],
        properties.map((p) => [code(p.name), p.description ?? '']),
      );

const sections = (element) => {
  const members = element.members ?? [];
  const methods = members.filter((m) => m.kind === 'method' && isPublic(m));
  return [
    [
      'Attributes and properties',
      table(
        ['attribute', 'property', 'type', 'default', 'description'],
        members
          .filter((m) => m.kind === 'field' && isPublic(m))
          .map((m) => [
            m.attribute ? code(m.attribute) : '—',
            code(m.name),
            code(m.type?.text),
            code(m.default),
            `${m.description ?? ''}${m.readonly ? ' Read-only.' : ''}`,
          ]),
      ),
    ],
    // Only when an element has any: no element has public methods today.
    ...(methods.length
      ? [
          [
            'Methods',
            table(
              ['method', 'description'],
              methods.map((m) => [
                code(`${m.name}(${(m.parameters ?? []).map((p) => p.name).join(', ')})`),
                m.description ?? '',
              ]),
            ),
          ],
        ]
      : []),
    [
      'Events',
      table(
        ['event', 'description'],
        (element.events ?? []).filter((e) => e.name).map((e) => [code(e.name), e.description ?? '']),
      ),
    ],
    [
      'Slots',
      table(
        ['slot', 'description'],
        (element.slots ?? []).map((s) => [s.name ? code(s.name) : '(default)', s.description ?? '']),
      ),
    ],
    [
      'CSS parts',
      table(
        ['part', 'description'],
        (element.cssParts ?? []).map((p) => [code(p.name), p.description ?? '']),
      ),
    ],
    ['CSS custom properties', customProperties(element.cssProperties ?? [])],
  ];
};

/**
 * Renders the reference. `entry(tagName)` names the package export that defines an element, or
 * nothing when it has none of its own.
 *
 * @example
 * ```js
 * const markdown = elementsMarkdown(manifest, (tag) => `@resolutionflow/widget/${tag}`);
 * ```
 */
export function elementsMarkdown(manifest, entry) {
  const elements = manifest.modules
    .flatMap((module) => module.declarations ?? [])
    .filter((declaration) => declaration.customElement && declaration.tagName)
    .sort((a, b) => a.tagName.localeCompare(b.tagName));
  const out = [
    '# Element reference',
    '',
    '_Generated from the elements’ JSDoc (the custom elements manifest) by',
    '`packages/widget/scripts/elements-reference.mjs`, which the build runs; `npm run lint` fails',
    'when this file is stale. Do not edit by hand._',
    '',
    'How to use tokens and parts: [theming](theming.md). What the events carry: [events](events.md).',
    '',
    table(
      ['element', 'defined by importing', 'summary'],
      elements.map((el) => [
        `[${code(`<${el.tagName}>`)}](#${el.tagName})`,
        code(entry(el.tagName)),
        el.summary,
      ]),
    ).trimEnd(),
  ];
  for (const element of elements) {
    const defined = entry(element.tagName);
    out.push('', `## \`<${element.tagName}>\``, '');
    if (element.summary) out.push(`**${element.summary}**`, '');
    if (element.description) out.push(element.description, '');
    out.push(
      `Class \`${element.name}\`${defined ? `; defined by \`import '${defined}'\`` : ''}.` +
        (element.superclass ? ` Extends \`${element.superclass.name}\`.` : ''),
    );
    for (const [heading, body] of sections(element)) out.push('', `### ${heading}`, '', body.trimEnd());
  }
  return `${out.join('\n')}\n`;
}
