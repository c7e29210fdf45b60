/**
 * Text that came from people, on its way in (before it is stored) and on its way out to a screen or a file.
 */

/** C0 control characters other than tab, line feed and carriage return, and DEL. */
// eslint-disable-next-line no-control-regex -- matching control characters is the point
const CONTROL_RE = /[\u0000-\u0008\u000B\u000C\u000E-\u001F\u007F]/g;
/** A high surrogate not followed by a low one, or a low one not preceded by a high one. */
const LONE_SURROGATE_RE = /[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/g;

/**
 * What a person typed, made storable and sendable: control characters (NUL…) are dropped and a lone surrogate
 * becomes U+FFFD. Neither can be stored as utf8mb4 text reliably, and echoed back they make WeCom refuse the whole
 * message (40033: the JSON then holds `\uXXXX` escapes). Everything else, emoji included, is kept as typed.
 */
export function cleanText(text: string): string {
  return text.replace(CONTROL_RE, '').replace(LONE_SURROGATE_RE, '\uFFFD');
}

/** Characters that reorder the text around them (bidi embeddings, overrides, isolates and marks). */
const BIDI_CONTROL_RE = /[\u061C\u200E\u200F\u202A-\u202E\u2066-\u2069]/g;
/** More combining marks on one character than any script needs (a "Zalgo" flood). */
const COMBINING_FLOOD_RE = /(\p{M}{3})\p{M}+/gu;

/**
 * Stored text as staff see it in a file or on a screen: a bidi control (U+202E makes 「exe.gnp」 read 「png.exe」) is
 * shown as a visible `<U+202E>` instead of acting, and a flood of combining marks is cut to three per character.
 * Display only: the stored text is not changed.
 */
export function inertText(text: string): string {
  return text
    .replace(BIDI_CONTROL_RE, (c) => `<U+${c.codePointAt(0)!.toString(16).toUpperCase().padStart(4, '0')}>`)
    .replace(COMBINING_FLOOD_RE, '$1');
}

/**
 * A text cell of an exported spreadsheet: inert (above), and never read as a formula: a leading = + - @ (or a tab
 * or carriage return before one) gets a `'` in front (OWASP ASVS 1.2.10, CSV/formula injection).
 */
export function spreadsheetText(text: string): string {
  const inert = inertText(text);
  return /^[=+\-@\t\r]/.test(inert) ? `'${inert}` : inert;
}
