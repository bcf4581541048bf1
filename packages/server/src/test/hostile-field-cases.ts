import {
  baseUser,
  create,
  escalationWith,
  settings,
  stored,
  user,
  type HostileCase,
} from './hostile-case.js';
import type { Verdict } from './hostile-payloads.js';

const steps = (n: number) =>
  Array.from({ length: n }, (_, i) => ({
    action: `Step ${i}`,
    outcome: 'unknown',
    at: '2026-11-20T14:05:00Z',
  }));
const fields = (n: number) => Object.fromEntries(Array.from({ length: n }, (_, i) => [`k${i}`, `v${i}`]));

/** Lengths at and past every limit, and bodies past the size limit. */
export function sizeCases(): HostileCase[] {
  const c = 'size';
  return [
    create(
      c,
      'a 200-character title',
      escalationWith(['title'], 'x'.repeat(200)),
      'accept',
      stored(['title'], 'x'.repeat(200)),
    ),
    create(c, 'a 201-character title', escalationWith(['title'], 'x'.repeat(201)), 'reject'),
    create(c, 'a 60,000-character title', escalationWith(['title'], 'x'.repeat(60_000)), 'reject', {
      statuses: [400],
    }),
    create(
      c,
      'a 5,000-character summary',
      escalationWith(['problemSummary'], 'y'.repeat(5000)),
      'accept',
      stored(['problemSummary'], 'y'.repeat(5000)),
    ),
    create(c, 'a 5,001-character summary', escalationWith(['problemSummary'], 'y'.repeat(5001)), 'reject'),
    create(
      c,
      '100 tried steps',
      escalationWith(['tried'], steps(100)),
      'accept',
      stored(['tried', 99, 'action'], 'Step 99'),
    ),
    create(c, '101 tried steps', escalationWith(['tried'], steps(101)), 'reject'),
    create(
      c,
      '10,000 tried steps (over the body limit)',
      escalationWith(['tried'], steps(10_000)),
      'reject',
      { statuses: [413] },
    ),
    create(
      c,
      '30 context fields',
      escalationWith(['context', 'fields'], fields(30)),
      'accept',
      stored(['context', 'fields', 'k29'], 'v29'),
    ),
    create(c, '31 context fields', escalationWith(['context', 'fields'], fields(31)), 'reject'),
    create(
      c,
      'a 65-character context key',
      escalationWith(['context', 'fields'], { ['k'.repeat(65)]: 'v' }),
      'reject',
    ),
    create(c, 'a 70 KB body', escalationWith(['problemSummary'], 'z'.repeat(70_000)), 'reject', {
      statuses: [413],
    }),
    create(c, 'a 5 MB body', escalationWith(['problemSummary'], 'z'.repeat(5_000_000)), 'reject', {
      statuses: [413],
    }),
    user(c, 'a 201-character roster name', { ...baseUser(), name: 'n'.repeat(201) }, 'reject'),
    user(c, 'a 321-character e-mail', { ...baseUser(), email: `${'e'.repeat(309)}@msp.example` }, 'reject'),
    user(c, 'a 129-character roster id', baseUser(), 'reject', `/v1/users/${'u'.repeat(129)}`),
    settings(
      c,
      '50 allowed origins',
      JSON.stringify({ allowedOrigins: Array.from({ length: 50 }, (_, i) => `https://o${i}.example`) }),
      'accept',
      stored(['allowedOrigins', 49], 'https://o49.example', 'settings'),
    ),
    settings(
      c,
      '51 allowed origins',
      JSON.stringify({ allowedOrigins: Array.from({ length: 51 }, (_, i) => `https://o${i}.example`) }),
      'reject',
    ),
  ];
}

/** Enums, formats and identifiers, each with the tricks that fit it. */
export function fieldCases(): HostileCase[] {
  const c = 'formats';
  const escalate = (name: string, path: (string | number)[], value: unknown, verdict: Verdict) =>
    create(c, name, escalationWith(path, value), verdict, verdict === 'reject' ? {} : stored(path, value));
  return [
    escalate('priority with a newline', ['priority'], 'urgent\n', 'reject'),
    escalate('priority __proto__', ['priority'], '__proto__', 'reject'),
    escalate('intent with SQL', ['intent'], "escalate'; --", 'reject'),
    escalate('outcome with CRLF', ['tried', 0, 'outcome'], 'failed\r\n', 'reject'),
    escalate('a timestamp with a newline', ['tried', 0, 'at'], '2026-11-20T14:05:00Z\n', 'reject'),
    escalate('an impossible timestamp', ['tried', 0, 'at'], '2026-13-45T99:99:99Z', 'reject'),
    escalate('hostSessionId with SQL', ['hostSessionId'], "s1' OR '1'='1", 'reject'),
    escalate('hostSessionId with markup', ['hostSessionId'], '<script>', 'reject'),
    escalate('hostSessionId with CRLF', ['hostSessionId'], 's1\r\nX: y', 'reject'),
    escalate('hostSessionId of every allowed character', ['hostSessionId'], 'Ab9._:@|-', 'accept'),
    escalate('ticketUrl javascript:', ['context', 'ticketUrl'], 'javascript:alert(1)', 'reject'),
    escalate('ticketUrl JaVaScRiPt:', ['context', 'ticketUrl'], 'JaVaScRiPt:alert(1)', 'reject'),
    escalate(
      'ticketUrl data:',
      ['context', 'ticketUrl'],
      'data:text/html,<script>alert(1)</script>',
      'reject',
    ),
    escalate('ticketUrl vbscript:', ['context', 'ticketUrl'], 'vbscript:msgbox(1)', 'reject'),
    escalate(
      'ticketUrl with markup in the query',
      ['context', 'ticketUrl'],
      'https://psa.example.com/t?q="><script>alert(1)</script>',
      'either',
    ),
    // Refused, not quietly rewritten: zod's url() strips CR, LF and tab and would store a different link.
    escalate(
      'ticketUrl with CR/LF inside',
      ['context', 'ticketUrl'],
      'https://psa.example.com/t/1\r\nSet-Cookie: x=y',
      'reject',
    ),
    escalate(
      'ticketUrl with a tab inside',
      ['context', 'ticketUrl'],
      'https://psa.example.com/t/\t1',
      'reject',
    ),
    escalate(
      'ticketUrl with an RTL override',
      ['context', 'ticketUrl'],
      'https://psa.example.com/\u202Eexe.txt',
      'either',
    ),
    escalate('context key with markup', ['context', 'fields'], { '<b>': 'x' }, 'reject'),
    escalate('context key with SQL', ['context', 'fields'], { "k' --": 'x' }, 'reject'),
    escalate('context key with CRLF', ['context', 'fields'], { 'a\r\nb': 'x' }, 'reject'),
    escalate('context key with an RTL override', ['context', 'fields'], { 'a\u202Eb': 'x' }, 'reject'),
    escalate(
      'context key of allowed characters',
      ['context', 'fields'],
      { 'Ticket no_1.2 -x': 'v' },
      'accept',
    ),
    user(c, 'role ADMIN', { ...baseUser(), role: 'ADMIN' }, 'reject'),
    user(c, 'role with a newline', { ...baseUser(), role: 'admin\n' }, 'reject'),
    user(c, 'role superuser', { ...baseUser(), role: 'superuser' }, 'reject'),
    user(
      c,
      'e-mail with a Bcc header',
      { ...baseUser(), email: 'a@msp.example\r\nBcc: all@evil.example' },
      'reject',
    ),
    user(
      c,
      'e-mail with markup',
      { ...baseUser(), email: '"<script>"@msp.example' },
      'either',
      undefined,
      stored(['email'], '"<script>"@msp.example', 'user'),
    ),
    user(
      c,
      'e-mail with SQL',
      { ...baseUser(), email: "x'--@msp.example" },
      'either',
      undefined,
      stored(['email'], "x'--@msp.example", 'user'),
    ),
    settings(c, 'baseline -0', '{"manualBaselineMinutes":-0}', 'reject'),
    settings(c, 'baseline 0', '{"manualBaselineMinutes":0}', 'reject'),
    settings(
      c,
      'baseline 1e-300',
      '{"manualBaselineMinutes":1e-300}',
      'accept',
      stored(['manualBaselineMinutes'], 1e-300, 'settings'),
    ),
    settings(
      c,
      'baseline 480',
      '{"manualBaselineMinutes":480}',
      'accept',
      stored(['manualBaselineMinutes'], 480, 'settings'),
    ),
    settings(c, 'baseline 480.0001', '{"manualBaselineMinutes":480.0001}', 'reject'),
    settings(c, 'baseline 1e309 (Infinity)', '{"manualBaselineMinutes":1e309}', 'reject'),
    settings(c, 'baseline as text', '{"manualBaselineMinutes":"10"}', 'reject'),
    settings(c, 'baseline true', '{"manualBaselineMinutes":true}', 'reject'),
    settings(
      c,
      'baseline null (removes it)',
      '{"manualBaselineMinutes":null}',
      'accept',
      stored(['manualBaselineMinutes'], null, 'settings'),
    ),
    ...[
      'https://a.example\r\n',
      "https://a.example'--",
      'https://\u202Eevil.example',
      'null',
      'https://*.example',
      'HTTPS://A.EXAMPLE',
      'https://a.example/<script>',
      'https://a.example:8443/',
    ].map((origin) =>
      settings(c, `origin ${JSON.stringify(origin)}`, JSON.stringify({ allowedOrigins: [origin] }), 'reject'),
    ),
  ];
}
