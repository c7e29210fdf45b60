import { describe, expect, it } from 'vitest';
import { readFlatXml } from '../../../src/wecom/flatXml.js';
import { readXmlFully } from '../../../src/wecom/inbound.js';
import { readEnvelopeFully } from '../../../src/wecom/envelope.js';
import { cleanText } from '../../../src/shared/text.js';
import { A2, A2_BODY } from './vectors.js';
import { textXml } from '../../fakes/wecomSigner.js';

/** Seeded PRNG (mulberry32): the same documents on every run. */
function rng(seed: number): () => number {
  let a = seed;
  return () => {
    a = (a + 0x6d2b79f5) | 0;
    let t = Math.imul(a ^ (a >>> 15), 1 | a);
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

const NAMES = [
  'ToUserName',
  'FromUserName',
  'Content',
  'MsgId',
  'A',
  '_x',
  'x1',
  'a.b',
  'A-B',
  '1A',
  '__proto__',
  'constructor',
  'xml',
  'Encrypt',
  'SelectedItems',
  'OptionId',
];
const PIECES = [
  'a',
  '委员',
  '😀',
  ' ',
  '\n',
  '\t',
  '<',
  '>',
  '&',
  '&amp;',
  '&lt;',
  ']',
  ']]',
  ']]>',
  '"',
  "'",
  '\u0001',
  '\u0000',
  '\uD800',
  '\u202E',
  '<![CDATA[',
  '<b>',
  '</A>',
  '/',
  '=',
  '?',
  '-->',
];

function value(r: () => number): string {
  let v = '';
  const n = Math.floor(r() * 5);
  for (let i = 0; i < n; i++) v += PIECES[Math.floor(r() * PIECES.length)]!;
  return v;
}

function leaf(r: () => number): string {
  const name = NAMES[Math.floor(r() * NAMES.length)]!;
  const v = value(r);
  const form = r();
  if (form < 0.45) return `<${name}><![CDATA[${v}]]></${name}>`;
  if (form < 0.8) return `<${name}>${v}</${name}>`;
  if (form < 0.85) return `<${name}/>`;
  if (form < 0.9) return `<${name} a="1">${v}</${name}>`;
  if (form < 0.95) return `<${name}><OptionId>${v}</OptionId></${name}>`;
  return `<${name}> <![CDATA[${v}]]> </${name}>`;
}

function document(r: () => number): string {
  const leaves = Array.from({ length: 1 + Math.floor(r() * 5) }, () => leaf(r));
  const sep = () => [' ', '', '\n', '\r\n', '\t', '', ''][Math.floor(r() * 7)]!;
  let doc = `<xml>${sep()}${leaves.join(sep())}${sep()}</xml>`;
  const wrap = r();
  if (wrap < 0.05) doc = `<?xml version="1.0"?>${doc}`;
  else if (wrap < 0.1) doc = `${doc}\n`;
  else if (wrap < 0.15) doc = doc.replace('<xml>', '<XML>');
  else if (wrap < 0.2) doc = doc.slice(0, -6);
  else if (wrap < 0.25) doc = `${doc}<xml></xml>`;
  else if (wrap < 0.3) doc = doc.replace('</xml>', '<!-- c --></xml>');
  return doc;
}

function withoutText(record: Record<string, unknown>): Record<string, unknown> {
  return Object.fromEntries(Object.entries(record).filter(([k]) => k !== '#text'));
}

const cleanedAll = (fields: Record<string, string>) =>
  Object.fromEntries(Object.entries(fields).map(([k, v]) => [k, cleanText(v)]));

describe('readFlatXml (fast path) against the validator and parser (full way)', () => {
  it('reads what WeCom sends: the official sample plaintext (newlines between leaves), envelopes and our fixtures', () => {
    expect(readFlatXml(A2.plaintext)).toEqual({
      ToUserName: 'wx5823bf96d3bd56c7',
      FromUserName: 'mycreate',
      CreateTime: '1409659813',
      MsgType: 'text',
      Content: 'hello',
      MsgId: '4561255354251345929',
      AgentID: '218',
    });
    expect(readFlatXml(A2_BODY)).toEqual({
      ToUserName: 'wx5823bf96d3bd56c7',
      Encrypt: A2.encrypt,
      AgentID: '218',
    });
    const fixture = textXml({
      corpId: 'c',
      from: 'zhangsan',
      content: '我想写提案 <a&b> ]]',
      msgId: '1',
      createTime: 1,
      agentId: 1,
    });
    expect(readFlatXml(fixture)).not.toBeNull();
  });

  it('falls back on duplicates, nesting, attributes, self-closing tags, entities, comments and reserved names', () => {
    for (const doc of [
      '<xml><A>1</A><A>2</A></xml>',
      '<xml><A><B>1</B></A></xml>',
      '<xml><A x="1">1</A></xml>',
      '<xml><A/></xml>',
      '<xml><A>a&amp;b</A></xml>',
      '<xml><!-- c --><A>1</A></xml>',
      '<xml><__proto__>1</__proto__></xml>',
      '<xml><A><![CDATA[a]]>b]]></A></xml>',
      '<xml><A><![CDATA[a]]><![CDATA[b]]></A></xml>',
      ' <xml><A>1</A></xml>',
      '<xml><A>1</A></xml> ',
      '<xml>text<A>1</A></xml>',
    ])
      expect(readFlatXml(doc), doc).toBeNull();
  });

  it('whenever it answers, the full way accepts the same document with the same values (10,000 seeded documents)', () => {
    const r = rng(20261203);
    let fast = 0;
    for (let i = 0; i < 10_000; i++) {
      const doc = document(r);
      const flat = readFlatXml(doc);
      if (flat === null) continue;
      fast += 1;
      // The envelope reads raw values; the inner message cleans them (control characters, lone surrogates).
      expect(withoutText(readEnvelopeFully(doc)), doc).toEqual(flat);
      expect(withoutText(readXmlFully(doc)), doc).toEqual(cleanedAll(flat));
    }
    // Not vacuous: a good share of the documents took the fast path.
    expect(fast).toBeGreaterThan(700);
  });
});
