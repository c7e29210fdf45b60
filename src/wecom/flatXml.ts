/**
 * The fast path for the XML WeCom actually sends: `<xml>` holding only leaf elements, each once, each a single
 * CDATA section or plain text, no attributes, only whitespace between them (WeCom's samples put newlines there). Such a document is read with one sticky
 * regex instead of the validator and the parser (two passes and an object tree), which is most of what a callback
 * costs before its row is stored. Anything else returns null and goes the full way (validator, hardened parser),
 * so the fast path never decides on its own what is refused: it only accepts what the full way accepts, with the
 * same values (test/unit/wecom/flatXml.test.ts compares both on canonical and hostile documents).
 */

/**
 * One leaf: a name, then a lone CDATA section (no `]]>` inside) or plain text without markup or entities; no CR in
 * either (XML turns CR LF into LF, which is the full parser's business).
 */
const LEAF =
  /<([A-Za-z_][A-Za-z0-9_]*)>(?:<!\[CDATA\[([^\]\r]*(?:\](?!\]>)[^\]\r]*)*)\]\]>|([^<&\]\r]*))<\/\1>/y;

/** Names the full parser refuses (strictReservedNames) or that mean something to an object. */
const RESERVED = new Set(['__proto__', 'constructor', 'prototype']);

const OPEN = '<xml>';
const CLOSE = '</xml>';

/** The leaves of a flat `<xml>` document by name, or null when the document is not of that simple form. */
export function readFlatXml(text: string): Record<string, string> | null {
  if (!text.startsWith(OPEN) || !text.endsWith(CLOSE)) return null;
  const end = text.length - CLOSE.length;
  const entries: [string, string][] = [];
  const seen = new Set<string>();
  let at = OPEN.length;
  for (;;) {
    while (at < end && isSpace(text.charCodeAt(at))) at += 1;
    if (at >= end) break;
    LEAF.lastIndex = at;
    const m = LEAF.exec(text);
    if (!m) return null;
    const name = m[1]!;
    if (seen.has(name) || RESERVED.has(name)) return null;
    seen.add(name);
    entries.push([name, m[2] ?? m[3] ?? '']);
    at = LEAF.lastIndex;
  }
  if (at !== end) return null;
  // The full parser keeps the whitespace between leaves as '#text', which nothing reads; it is left out here.
  return Object.fromEntries(entries);
}

/** XML whitespace: space, tab, CR, LF. */
function isSpace(c: number): boolean {
  return c === 0x20 || c === 0x09 || c === 0x0d || c === 0x0a;
}
