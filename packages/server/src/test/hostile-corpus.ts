import {
  baseEscalation,
  baseUser,
  bytes,
  create,
  deep,
  deepArray,
  setIn,
  valid,
  withRaw,
  type HostileCase,
} from './hostile-case.js';
import { fieldCases, sizeCases } from './hostile-field-cases.js';
import { routeCases } from './hostile-route-cases.js';
import { webhookCases } from './hostile-webhook-cases.js';
import { HOSTILE_PAYLOADS, type Verdict } from './hostile-payloads.js';

export { XSS_PAYLOADS, HOSTILE_PAYLOADS, type HostilePayload, type Verdict } from './hostile-payloads.js';
export type { HostileCase } from './hostile-case.js';

/** A text field of a write route, with its rules (types/src: lineText, multilineText). */
interface TextField {
  name: string;
  kind: 'line' | 'multi';
  min: number;
  max: number;
  read: 'handoff' | 'user';
  path: (string | number)[];
}
const FIELDS: TextField[] = [
  { name: 'title', kind: 'line', min: 1, max: 200, read: 'handoff', path: ['title'] },
  { name: 'problemSummary', kind: 'multi', min: 1, max: 5000, read: 'handoff', path: ['problemSummary'] },
  { name: 'tried[0].action', kind: 'line', min: 1, max: 300, read: 'handoff', path: ['tried', 0, 'action'] },
  { name: 'tried[0].note', kind: 'multi', min: 0, max: 2000, read: 'handoff', path: ['tried', 0, 'note'] },
  {
    name: 'context.fields value',
    kind: 'line',
    min: 0,
    max: 500,
    read: 'handoff',
    path: ['context', 'fields', 'note'],
  },
  { name: 'context.client', kind: 'line', min: 1, max: 200, read: 'handoff', path: ['context', 'client'] },
  { name: 'context.device', kind: 'line', min: 1, max: 200, read: 'handoff', path: ['context', 'device'] },
  { name: 'user name', kind: 'line', min: 1, max: 200, read: 'user', path: ['name'] },
];
/** Fields every payload goes into; the context strings get the markup and line-break payloads only. */
const EVERY_PAYLOAD = new Set([
  'title',
  'problemSummary',
  'tried[0].action',
  'tried[0].note',
  'context.fields value',
  'user name',
]);

/** The verdict of a payload in a field: its own, or a refusal when trimming leaves it out of bounds. */
function verdictIn(field: TextField, text: string, own: Verdict): Verdict {
  if (own === 'reject') return 'reject';
  const length = text.trim().length;
  return length < field.min || length > field.max ? 'reject' : own;
}

/** Every text payload in the text fields of the write routes (all of them with `everyField`). */
function textCases(everyField: boolean): HostileCase[] {
  return Object.entries(HOSTILE_PAYLOADS).flatMap(([category, payloads]) =>
    payloads.flatMap((payload) =>
      FIELDS.filter(
        (field) =>
          everyField || EVERY_PAYLOAD.has(field.name) || category === 'xss' || category === 'line break',
      ).map((field): HostileCase => {
        const body = field.read === 'user' ? baseUser() : baseEscalation();
        return {
          category,
          name: `${payload.name} in ${field.name}`,
          method: field.read === 'user' ? 'PUT' : 'POST',
          path: field.read === 'user' ? '/v1/users/{user}' : '/v1/handoffs',
          as: field.read === 'user' ? 'apiKey' : 'technician',
          body: JSON.stringify(setIn(body, field.path, payload.text)),
          verdict: verdictIn(field, payload.text, payload[field.kind]),
          stored: { read: field.read, path: field.path, value: payload.text.trim() },
        };
      }),
    ),
  );
}

function malformedCases(): HostileCase[] {
  const c = 'malformed JSON';
  return [
    create(c, 'truncated', '{"title": ', 'reject'),
    create(c, 'trailing garbage', `${valid} tail`, 'reject'),
    create(c, 'single quotes', "{'title':'x','problemSummary':'y'}", 'reject'),
    create(c, 'trailing comma', valid.replace(/}$/, ',}'), 'reject'),
    create(c, 'unquoted keys', '{title:"x",problemSummary:"y"}', 'reject'),
    create(c, 'NaN', '{"title":"x","problemSummary":"y","priority":NaN}', 'reject'),
    create(c, 'Infinity', '{"title":"x","problemSummary":"y","tried":Infinity}', 'reject'),
    create(c, 'a comment', `// escalation\n${valid}`, 'reject'),
    create(c, 'an empty body', '', 'reject'),
    create(c, 'only whitespace', ' \n\t ', 'reject'),
    ...['null', 'true', '42', '"text"', '[]', `[${valid}]`].map((raw) =>
      create(c, `top-level ${raw.slice(0, 12)}`, raw, 'reject'),
    ),
    create(
      c,
      'a number that overflows to Infinity',
      '{"title":"x","problemSummary":"y","priority":1e999999}',
      'reject',
    ),
    create(c, 'an invalid escape', '{"title":"\\uZZZZ","problemSummary":"y"}', 'reject'),
    create(c, 'an escaped lone surrogate', '{"title":"a\\ud800b","problemSummary":"y"}', 'reject'),
    create(
      c,
      'duplicate keys (last wins)',
      '{"title":"first","title":"second","problemSummary":"y"}',
      'either',
      {
        stored: { read: 'handoff', path: ['title'], value: 'second' },
      },
    ),
    create(c, 'a BOM before the JSON', `\uFEFF${valid}`, 'either', {
      stored: { read: 'handoff', path: ['title'], value: 'Printer offline' },
    }),
    create(
      c,
      'invalid UTF-8 bytes in a string',
      bytes('{"title":"a', [0xff, 0xfe], 'b","problemSummary":"y"}'),
      'reject',
    ),
    create(
      c,
      'an overlong UTF-8 "<"',
      bytes('{"title":"', [0xc0, 0xbc], 'script>","problemSummary":"y"}'),
      'reject',
    ),
    create(
      c,
      'a truncated UTF-8 sequence',
      bytes('{"title":"caf', [0xc3], '","problemSummary":"y"}'),
      'reject',
    ),
  ];
}

function nestingCases(): HostileCase[] {
  const c = 'deep nesting';
  return [
    create(c, 'arrays 10,000 deep as the body', deepArray(10_000), 'reject'),
    create(c, 'objects 10,000 deep as the body', deep(10_000), 'reject'),
    create(
      c,
      'objects 10,000 deep in context.fields',
      valid.replace('"note":"Floor 2"', `"note":${deep(10_000)}`),
      'reject',
    ),
    create(
      c,
      'objects 10,000 deep in a tried step',
      valid.replace('"note":"No change."', `"note":${deep(10_000)}`),
      'reject',
    ),
    create(c, 'arrays 100,000 deep (over the body limit)', deepArray(100_000), 'reject', { statuses: [413] }),
    {
      category: c,
      name: 'objects 10,000 deep in a roster name',
      method: 'PUT',
      path: '/v1/users/{user}',
      as: 'apiKey',
      body: `{"name":${deep(10_000)},"role":"viewer"}`,
      verdict: 'reject',
    },
    {
      category: c,
      name: 'arrays 10,000 deep in allowedOrigins',
      method: 'PUT',
      path: '/v1/account/settings',
      as: 'admin',
      body: `{"allowedOrigins":${deepArray(10_000)}}`,
      verdict: 'reject',
    },
  ];
}

function prototypeCases(): HostileCase[] {
  const c = 'prototype keys';
  const keys = [
    '"__proto__":{"role":"admin","polluted":true}',
    '"constructor":{"prototype":{"polluted":true}}',
    '"prototype":{"polluted":true}',
  ];
  const levels: [string, (raw: string) => string][] = [
    ['the top level', (raw) => `{${raw},${valid.slice(1)}`],
    ['context', (raw) => withRaw(valid, '"context":{', raw)],
    ['context.fields', (raw) => withRaw(valid, '"fields":{', raw.replace(/\{.*\}$/, '"x"'))],
    ['a tried step', (raw) => withRaw(valid, '"tried":[{', raw)],
  ];
  const other: HostileCase[] = keys.flatMap((raw) => [
    {
      category: c,
      name: `${raw.slice(1, raw.indexOf('"', 1))} in a roster body`,
      method: 'PUT',
      path: '/v1/users/{user}',
      as: 'apiKey',
      body: `{${raw},"name":"N","role":"viewer"}`,
      verdict: 'reject',
    },
    {
      category: c,
      name: `${raw.slice(1, raw.indexOf('"', 1))} in a settings body`,
      method: 'PUT',
      path: '/v1/account/settings',
      as: 'admin',
      body: `{${raw},"manualBaselineMinutes":12}`,
      verdict: 'reject',
    },
  ]);
  return [
    ...levels.flatMap(([level, place]) =>
      keys.map((raw) => create(c, `${raw.slice(1, raw.indexOf('"', 1))} at ${level}`, place(raw), 'reject')),
    ),
    ...other,
  ];
}

/** The whole corpus, in a stable order; `everyField` puts every payload in every text field (the soak). */
export function hostileCorpus(options: { everyField?: boolean } = {}): HostileCase[] {
  return [
    ...textCases(options.everyField ?? false),
    ...malformedCases(),
    ...nestingCases(),
    ...prototypeCases(),
    ...sizeCases(),
    ...fieldCases(),
    ...routeCases(),
    ...webhookCases(),
  ];
}
