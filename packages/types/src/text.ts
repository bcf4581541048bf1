import { z } from 'zod';

/**
 * C0 control characters other than tab, line feed and carriage return, DEL, and
 * lone UTF-16 surrogates. None of them belongs in text a person typed, and a
 * lone surrogate cannot be stored as UTF-8 without being silently rewritten.
 * C1 controls (U+0080–U+009F) are accepted on purpose: they arrive in names and
 * ticket text mis-decoded by host systems (`’` read as Latin-1 is `â\u0080\u0099`),
 * and refusing them would block an escalation or lock a person out over
 * characters no one can see. They are stored verbatim and rendered as text.
 */
const FORBIDDEN_IN_TEXT = /[\u0000-\u0008\u000B\u000C\u000E-\u001F\u007F]|\p{Cs}/u;
/** Single-line fields additionally refuse line breaks (they reach headers and SSE fields). */
const FORBIDDEN_IN_LINE = /[\u0000-\u001F\u007F]|\p{Cs}/u;

/** Multi-line user text, trimmed, between `min` and `max` characters. */
export const multilineText = (min: number, max: number) =>
  z
    .string()
    .trim()
    .min(min)
    .max(max)
    .refine((value) => !FORBIDDEN_IN_TEXT.test(value), {
      message: 'Must not contain control characters',
    });

/** Single-line user text (titles, names, actions), trimmed, between `min` and `max` characters. */
export const lineText = (min: number, max: number) =>
  z
    .string()
    .trim()
    .min(min)
    .max(max)
    .refine((value) => !FORBIDDEN_IN_LINE.test(value), {
      message: 'Must be a single line without control characters',
    });

/** An identifier chosen by a host system (user ids, session ids). */
export const externalId = z
  .string()
  .min(1)
  .max(128)
  .regex(/^[A-Za-z0-9._:@|-]+$/, 'Use letters, digits and . _ : @ | - only');

/** An ISO-8601 timestamp with a time zone, as the API writes them. */
export const isoDateTime = z.iso.datetime({ offset: true });

/** An absolute http(s) URL: other schemes (javascript:, data:) are refused. */
export const httpUrl = z
  .string()
  .max(2048)
  // Checked on the raw text: the URL parser silently drops tabs and line breaks, and a link
  // carrying them is refused rather than stored changed.
  .regex(/^[^\s\u0000-\u001F\u007F]+$/, 'A URL without spaces or control characters')
  .pipe(z.url({ protocol: /^https?$/ }));
