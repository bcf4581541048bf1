/**
 * Hostile text, as data: each payload with whether a single-line field
 * (titles, names, actions) and a multi-line field (summaries, notes) must
 * accept it. Accepted text must come back exactly as sent (after trimming);
 * refused text must change nothing. Pure data, no imports: the widget's tests
 * reuse `XSS_PAYLOADS` to check that each renders as inert text.
 */

/** accept: stored and returned verbatim; reject: a 4xx that changes nothing; either: no 5xx, and verbatim if kept. */
export type Verdict = 'accept' | 'reject' | 'either';

export interface HostilePayload {
  name: string;
  text: string;
  line: Verdict;
  multi: Verdict;
}

const both = (verdict: Verdict) => ({ line: verdict, multi: verdict });

/** Markup and script that must be stored as text and shown as text, never run. */
export const XSS_PAYLOADS: readonly HostilePayload[] = [
  { name: 'script tag', text: '<script>alert(1)</script>', ...both('accept') },
  { name: 'img onerror', text: '<img src=x onerror=alert(1)>', ...both('accept') },
  { name: 'attribute breakout', text: '"><svg onload=alert(1)>', ...both('accept') },
  { name: 'single-quote breakout', text: "'><svg/onload=alert(1)>", ...both('accept') },
  { name: 'javascript: text', text: 'javascript:alert(document.cookie)', ...both('accept') },
  { name: 'textarea breakout', text: '</textarea><script>alert(1)</script>', ...both('accept') },
  { name: 'template injection', text: "{{constructor.constructor('alert(1)')()}}", ...both('accept') },
  { name: 'template literal', text: '${alert(1)}', ...both('accept') },
  {
    name: 'iframe srcdoc',
    text: '<iframe srcdoc="&lt;script&gt;alert(1)&lt;/script&gt;"></iframe>',
    ...both('accept'),
  },
  { name: 'pre-escaped entities', text: '&lt;b&gt;bold&lt;/b&gt; &amp;amp;', ...both('accept') },
  { name: 'javascript: link', text: '<a href="javascript:alert(1)">open ticket</a>', ...both('accept') },
  { name: 'style url', text: '<style>*{background:url("javascript:alert(1)")}</style>', ...both('accept') },
  {
    name: 'mutation XSS',
    text: '<math><mtext><table><mglyph><style><img src=x onerror=alert(1)>',
    ...both('accept'),
  },
  { name: 'comment breakout', text: '--><img src=x onerror=alert(1)><!--', ...both('accept') },
  {
    name: 'escaped-looking script',
    text: '\\u003cscript\\u003ealert(1)\\u003c/script\\u003e',
    ...both('accept'),
  },
  { name: 'lit part marker', text: '<!--?lit$1234$--><?lit$1234$>', ...both('accept') },
  { name: 'svg script entity', text: '<svg><script>alert&#40;1&#41;</script></svg>', ...both('accept') },
  {
    name: 'event handler on custom tag',
    text: '<escalation-queue onclick=alert(1)>x</escalation-queue>',
    ...both('accept'),
  },
  {
    name: 'data URI text',
    text: 'data:text/html;base64,PHNjcmlwdD5hbGVydCgxKTwvc2NyaXB0Pg==',
    ...both('accept'),
  },
  { name: 'full-width angle brackets', text: '＜script＞alert(1)＜/script＞', ...both('accept') },
];

/** Unicode that is legitimate text, or a trick played with it. */
export const UNICODE_PAYLOADS: readonly HostilePayload[] = [
  { name: 'RTL override', text: 'invoice\u202Egpj.exe', ...both('accept') },
  { name: 'bidi isolates', text: 'a\u2066b\u2067c\u2068d\u2069e', ...both('accept') },
  { name: 'zero-width space', text: 'pass\u200Bword', ...both('accept') },
  { name: 'zero-width joiner and non-joiner', text: 'a\u200Db\u200Cc', ...both('accept') },
  { name: 'BOM inside text', text: 'x\uFEFFy', ...both('accept') },
  { name: 'BOM at the start (trimmed)', text: '\uFEFFtitle', ...both('accept') },
  {
    name: 'combining marks (zalgo)',
    text: `Z${'\u0300\u0301\u0302\u0303\u0304\u0305'.repeat(8)}algo`,
    ...both('accept'),
  },
  { name: 'decomposed vs composed', text: 'Cafe\u0301 / Café', ...both('accept') },
  { name: 'emoji ZWJ sequence', text: 'printer 👨‍👩‍👧‍👦 🖨️ 🇺🇦 👍🏽', ...both('accept') },
  { name: 'astral plane letters', text: '𝕏𝔂𝔷 𓀀 𠜎', ...both('accept') },
  { name: 'noncharacters', text: 'a\uFFFEb\uFFFFc\uFDD0', ...both('accept') },
  { name: 'private use', text: '\uE000\uF8FF\u{F0000}', ...both('accept') },
  { name: 'line and paragraph separators', text: 'a\u2028b\u2029c', ...both('accept') },
  { name: 'lone high surrogate', text: 'a\uD800b', ...both('reject') },
  { name: 'lone low surrogate', text: 'x\uDC00y', ...both('reject') },
  { name: 'reversed surrogate pair', text: 'x\uDE00\uD83Dy', ...both('reject') },
  // C1 controls are kept, verbatim: see FORBIDDEN_IN_TEXT in packages/types/src/text.ts.
  { name: 'C1 control NEL', text: 'a\u0085b', ...both('accept') },
  { name: 'C1 control CSI', text: 'a\u009B31mred', ...both('accept') },
  { name: 'C1 control PAD (first of the range)', text: 'a\u0080b', ...both('accept') },
  { name: 'C1 control APC (last of the range)', text: 'a\u009Fb', ...both('accept') },
  { name: 'mojibake (’ decoded as Latin-1)', text: 'O\u00E2\u0080\u0099Brien', ...both('accept') },
  { name: 'Latin-1 right after C1 (no-break space, ÿ)', text: 'a\u00A0b ÿ', ...both('accept') },
  { name: 'homoglyph domain', text: 'раураl.com (Cyrillic)', ...both('accept') },
  { name: 'only whitespace (empty once trimmed)', text: ' \u00A0\u3000 ', ...both('accept') },
];

/** C0 controls: refused everywhere, except tab and line breaks in multi-line text. */
export const CONTROL_PAYLOADS: readonly HostilePayload[] = [
  { name: 'NUL', text: 'a\u0000b', ...both('reject') },
  { name: 'BEL', text: 'ding\u0007dong', ...both('reject') },
  { name: 'backspace', text: 'admin\u0008\u0008\u0008\u0008\u0008user', ...both('reject') },
  { name: 'ANSI escape', text: '\u001B[31mred\u001B[0m', ...both('reject') },
  { name: 'DEL', text: 'a\u007Fb', ...both('reject') },
  { name: 'vertical tab and form feed', text: 'a\u000Bb\u000Cc', ...both('reject') },
  { name: 'tab', text: 'col1\tcol2', line: 'reject', multi: 'accept' },
  { name: 'unit separator', text: 'a\u001Fb', ...both('reject') },
];

/** Line breaks: a single-line field refuses them; multi-line text keeps them without breaking SSE or mail. */
export const LINE_BREAK_PAYLOADS: readonly HostilePayload[] = [
  { name: 'CRLF', text: 'first\r\nsecond', line: 'reject', multi: 'accept' },
  { name: 'LF', text: 'first\nsecond', line: 'reject', multi: 'accept' },
  { name: 'CR', text: 'first\rsecond', line: 'reject', multi: 'accept' },
  {
    name: 'SSE field injection',
    text: 'x\n\nid: 999999\nevent: handoff.claimed\ndata: {"pwned":true}\n\nretry: 1',
    line: 'reject',
    multi: 'accept',
  },
  {
    name: 'header injection',
    text: 'x\r\nSet-Cookie: session=stolen\r\n\r\n<script>alert(1)</script>',
    line: 'reject',
    multi: 'accept',
  },
  { name: 'mail header injection', text: 'x\r\nBcc: everyone@evil.example', line: 'reject', multi: 'accept' },
  { name: 'SSE comment injection', text: 'x\r: comment\r\rdata: y', line: 'reject', multi: 'accept' },
];

/** SQL metacharacters: ordinary text that must be accepted and stored byte for byte. */
export const SQL_PAYLOADS: readonly HostilePayload[] = [
  { name: 'drop table', text: "'; DROP TABLE handoffs; --", ...both('accept') },
  { name: 'tautology', text: '" OR 1=1 --', ...both('accept') },
  {
    name: 'union select',
    text: "' UNION SELECT secret_hash, account_id FROM api_keys --",
    ...both('accept'),
  },
  { name: 'bobby tables', text: "Robert'); DELETE FROM events WHERE ('1'='1", ...both('accept') },
  { name: 'LIKE wildcards and backslash', text: '100% _done_ C:\\Temp\\%USERNAME%', ...both('accept') },
  { name: 'placeholders', text: '$1 ?1 :name @param ?', ...both('accept') },
  { name: 'comments and quoting', text: '/* x */ `tick` [bracket] "dq" \'sq\'', ...both('accept') },
  { name: 'hex and concat', text: "0x27 || CHAR(39) || 'x'", ...both('accept') },
  { name: 'stacked pragma', text: "x'; PRAGMA writable_schema=ON; --", ...both('accept') },
  { name: 'json path', text: "$.__proto__ ->> '$.role'", ...both('accept') },
];

/** Every payload, grouped by why it is hostile. */
export const HOSTILE_PAYLOADS: Readonly<Record<string, readonly HostilePayload[]>> = {
  xss: XSS_PAYLOADS,
  unicode: UNICODE_PAYLOADS,
  control: CONTROL_PAYLOADS,
  'line break': LINE_BREAK_PAYLOADS,
  sql: SQL_PAYLOADS,
};
