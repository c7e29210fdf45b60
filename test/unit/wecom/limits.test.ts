import { describe, expect, it } from 'vitest';
import { REPLY_MAX_BYTES, splitText, utf8Bytes } from '../../../src/flows/templates.js';
import { MAX_RECIPIENTS_PER_SEND, TEXT_MAX_BYTES } from '../../../src/wecom/limits.js';

describe('WeCom limits', () => {
  it('message/send: 2048-byte texts, 1000 recipients (doc 90236)', () => {
    expect(TEXT_MAX_BYTES).toBe(2048);
    expect(MAX_RECIPIENTS_PER_SEND).toBe(1000);
  });

  it("the flow engine's reply cap is WeCom's text limit (flows/ may not import wecom/)", () => {
    expect(REPLY_MAX_BYTES).toBe(TEXT_MAX_BYTES);
    const pieces = splitText('字'.repeat(TEXT_MAX_BYTES));
    expect(pieces.length).toBeGreaterThan(1);
    for (const p of pieces) expect(utf8Bytes(p)).toBeLessThanOrEqual(TEXT_MAX_BYTES);
  });
});
