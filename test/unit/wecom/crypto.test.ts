import { decrypt as libDecrypt, encrypt as libEncrypt, getSignature as libSignature } from '@wecom/crypto';
import { describe, expect, it } from 'vitest';
import {
  computeSignature,
  decryptMessage,
  encryptMessage,
  verifySignature,
  WecomCryptoError,
} from '../../../src/wecom/crypto.js';
import { A, A1, A2, B, B1, B2, B3, PASSIVE, encryptRaw, layout } from './vectors.js';

function cryptoCode(fn: () => unknown): number | null {
  try {
    fn();
    return null;
  } catch (err) {
    if (err instanceof WecomCryptoError) return err.code;
    throw err;
  }
}

describe('official vectors', () => {
  it('A1: URL verification signature and echostr', () => {
    expect(computeSignature(A.token, A1.timestamp, A1.nonce, A1.echostr)).toBe(A1.signature);
    expect(verifySignature(A.token, A1.timestamp, A1.nonce, A1.echostr, A1.signature)).toBe(true);
    expect(decryptMessage(A.encodingAesKey, A1.echostr, A.corpId)).toBe(A1.plaintext);
  });

  it('A2: POST signature and decrypt (pad 30, msg_len 284)', () => {
    expect(computeSignature(A.token, A2.timestamp, A2.nonce, A2.encrypt)).toBe(A2.signature);
    expect(verifySignature(A.token, A2.timestamp, A2.nonce, A2.encrypt, A2.signature)).toBe(true);
    const plaintext = decryptMessage(A.encodingAesKey, A2.encrypt, A.corpId);
    expect(plaintext).toBe(A2.plaintext);
    expect(Buffer.byteLength(plaintext)).toBe(284);
    const raw = Buffer.from(A2.encrypt, 'base64');
    expect(raw.length % 32).toBe(0);
  });

  it('B1: URL verification', () => {
    expect(computeSignature(B.token, B1.timestamp, B1.nonce, B1.echostr)).toBe(B1.signature);
    expect(verifySignature(B.token, B1.timestamp, B1.nonce, B1.echostr, B1.signature)).toBe(true);
    expect(decryptMessage(B.encodingAesKey, B1.echostr, B.corpId)).toBe(B1.plaintext);
  });

  it('B2: POST with Chinese content (pad 22, which proves 32-byte blocks)', () => {
    expect(verifySignature(B.token, B2.timestamp, B2.nonce, B2.encrypt, B2.signature)).toBe(true);
    const plaintext = decryptMessage(B.encodingAesKey, B2.encrypt, B.corpId);
    expect(plaintext).toBe(B2.plaintext);
    expect(Buffer.byteLength(plaintext)).toBe(228);
  });

  it('B3: JSON-format sample, crypto only (its plaintext is not valid JSON)', () => {
    expect(verifySignature(B.token, B3.timestamp, B3.nonce, B3.encrypt, B3.signature)).toBe(true);
    const plaintext = decryptMessage(B.encodingAesKey, B3.encrypt, B.corpId);
    expect(plaintext).toBe(B3.plaintext);
    expect(Buffer.byteLength(plaintext)).toBe(176);
    expect(() => JSON.parse(plaintext)).toThrow(SyntaxError);
  });

  it('encryption with the official random reproduces A1, A2, B1 and B2 byte-for-byte', () => {
    expect(encryptMessage(A.encodingAesKey, A1.plaintext, A.corpId, Buffer.from(A1.random))).toBe(A1.echostr);
    expect(encryptMessage(A.encodingAesKey, A2.plaintext, A.corpId, Buffer.from(A2.random))).toBe(A2.encrypt);
    expect(encryptMessage(B.encodingAesKey, B1.plaintext, B.corpId, Buffer.from(B1.random))).toBe(B1.echostr);
    expect(encryptMessage(B.encodingAesKey, B2.plaintext, B.corpId, Buffer.from(B2.random))).toBe(B2.encrypt);
  });

  it('derived passive-reply vector (corp receiveid and AI-bot empty receiveid)', () => {
    const enc = encryptMessage(A.encodingAesKey, PASSIVE.plaintext, A.corpId, Buffer.from(PASSIVE.random));
    expect(enc).toBe(PASSIVE.encrypt);
    expect(computeSignature(A.token, PASSIVE.timestamp, PASSIVE.nonce, enc)).toBe(PASSIVE.signature);
    expect(decryptMessage(A.encodingAesKey, enc, A.corpId)).toBe(PASSIVE.plaintext);
    const bot = encryptMessage(A.encodingAesKey, PASSIVE.aiBotPlaintext, '', Buffer.from(PASSIVE.random));
    expect(bot).toBe(PASSIVE.aiBotEncrypt);
    expect(computeSignature(A.token, PASSIVE.timestamp, PASSIVE.nonce, bot)).toBe(PASSIVE.aiBotSignature);
    expect(decryptMessage(A.encodingAesKey, bot, '')).toBe(PASSIVE.aiBotPlaintext);
  });

  it('agrees with @wecom/crypto', () => {
    expect(libSignature(A.token, A2.timestamp, A2.nonce, A2.encrypt)).toBe(A2.signature);
    expect(libDecrypt(A.encodingAesKey, A2.encrypt).message).toBe(A2.plaintext);
    const random = Buffer.from('0123456789abcdef');
    for (const msg of ['x', '提案😀'.repeat(40), 'a'.repeat(1000)]) {
      expect(encryptMessage(A.encodingAesKey, msg, A.corpId, random)).toBe(
        libEncrypt(A.encodingAesKey, msg, A.corpId, random),
      );
    }
  });
});

describe('verifySignature', () => {
  const args = [A.token, A2.timestamp, A2.nonce, A2.encrypt] as const;

  it('rejects a single flipped hex char in each of the 40 positions', () => {
    for (let i = 0; i < 40; i++) {
      const c = A2.signature[i];
      const flipped = A2.signature.slice(0, i) + (c === '0' ? '1' : '0') + A2.signature.slice(i + 1);
      expect(verifySignature(...args, flipped), `position ${i}`).toBe(false);
    }
  });

  it('returns false, without throwing, for wrong length, uppercase, non-hex and empty', () => {
    for (const bad of [
      A2.signature.slice(0, 39),
      `${A2.signature}0`,
      A2.signature.toUpperCase(),
      'z'.repeat(40),
      '',
      'é'.repeat(40),
    ]) {
      expect(verifySignature(...args, bad)).toBe(false);
    }
  });

  it('covers every input: changing token, timestamp, nonce or encrypt invalidates it', () => {
    expect(verifySignature('x', A2.timestamp, A2.nonce, A2.encrypt, A2.signature)).toBe(false);
    expect(verifySignature(A.token, '1409659814', A2.nonce, A2.encrypt, A2.signature)).toBe(false);
    expect(verifySignature(A.token, A2.timestamp, '1372623148', A2.encrypt, A2.signature)).toBe(false);
    expect(verifySignature(A.token, A2.timestamp, A2.nonce, B2.encrypt, A2.signature)).toBe(false);
  });
});

describe('decryptMessage strictness', () => {
  const key = A.encodingAesKey;

  it('round-trips every pad value 1..32 (Node auto-padding would reject 17..32)', () => {
    const seen = new Set<number>();
    for (let n = 1; n <= 64; n++) {
      const msg = 'm'.repeat(n);
      const enc = encryptMessage(key, msg, A.corpId);
      const bodyLength = 16 + 4 + n + A.corpId.length;
      seen.add(32 - (bodyLength % 32));
      expect(decryptMessage(key, enc, A.corpId)).toBe(msg);
    }
    expect([...seen].sort((a, b) => a - b)).toEqual(Array.from({ length: 32 }, (_, i) => i + 1));
  });

  it('accepts a hand-built layout with explicit pads 1..32', () => {
    for (let pad = 1; pad <= 32; pad++) {
      // Pick a msg length that makes body + pad a multiple of 32.
      const base = 16 + 4 + A.corpId.length;
      const msgLen = (64 - ((base + pad) % 32)) % 32 || 32;
      const plain = layout({ msg: Buffer.alloc(msgLen, 0x62), receiveId: A.corpId, pad });
      expect(plain.length % 32).toBe(0);
      expect(decryptMessage(key, encryptRaw(key, plain), A.corpId)).toBe('b'.repeat(msgLen));
    }
  });

  function withPadBytes(lastBytes: number[]): string {
    const body = layout({ msg: Buffer.from('hello'), receiveId: A.corpId, padBytes: Buffer.alloc(0) });
    const fill = (16 - ((body.length + lastBytes.length) % 16)) % 16;
    return encryptRaw(key, Buffer.concat([body, Buffer.alloc(fill, 0x7a), Buffer.from(lastBytes)]));
  }

  it('rejects pad 0, pad 33 and inconsistent pad bytes with -40008', () => {
    expect(cryptoCode(() => decryptMessage(key, withPadBytes([0]), A.corpId))).toBe(-40008);
    expect(cryptoCode(() => decryptMessage(key, withPadBytes([33]), A.corpId))).toBe(-40008);
    expect(cryptoCode(() => decryptMessage(key, withPadBytes([5, 5, 4, 5, 5]), A.corpId))).toBe(-40008);
    expect(cryptoCode(() => decryptMessage(key, withPadBytes([5, 5, 5, 5, 5]), A.corpId))).toBeNull();
  });

  it('rejects any single-byte corruption in the pad region', () => {
    const plain = layout({ msg: Buffer.from('hello'), receiveId: A.corpId });
    const pad = plain[plain.length - 1] ?? 0;
    for (let i = plain.length - pad; i < plain.length - 1; i++) {
      const bad = Buffer.from(plain);
      bad[i] = (bad[i] ?? 0) ^ 0x01;
      expect(
        cryptoCode(() => decryptMessage(key, encryptRaw(key, bad), A.corpId)),
        `offset ${i}`,
      ).toBe(-40008);
    }
  });

  it('bounds msg_len: 0, remaining+1 and 2^32−1 rejected; remaining and 1 accepted', () => {
    const msg = Buffer.from('hello');
    const remaining = msg.length + A.corpId.length;
    const dec = (msgLen: number, receiveId = A.corpId) =>
      decryptMessage(key, encryptRaw(key, layout({ msg, receiveId: A.corpId, msgLen })), receiveId);
    expect(cryptoCode(() => dec(0))).toBe(-40008);
    expect(cryptoCode(() => dec(remaining + 1))).toBe(-40008);
    expect(cryptoCode(() => dec(0xffffffff))).toBe(-40008);
    // In bounds but shifting the receiveid boundary: the receiveid check catches it instead.
    expect(cryptoCode(() => dec(1))).toBe(-40005);
    expect(dec(remaining, '')).toBe(`hello${A.corpId}`);
    expect(dec(1, `ello${A.corpId}`)).toBe('h');
  });

  it('rejects a plaintext shorter than random + msg_len', () => {
    const tiny = Buffer.concat([Buffer.alloc(16, 0x61), Buffer.alloc(16, 16)]);
    expect(cryptoCode(() => decryptMessage(key, encryptRaw(key, tiny), A.corpId))).toBe(-40008);
  });

  it('compares receiveid exactly (-40005): other corp, prefix match, trailing space, empty', () => {
    expect(cryptoCode(() => decryptMessage(key, A2.encrypt, B.corpId))).toBe(-40005);
    expect(cryptoCode(() => decryptMessage(key, A2.encrypt, A.corpId.slice(0, -1)))).toBe(-40005);
    expect(cryptoCode(() => decryptMessage(key, A2.encrypt, `${A.corpId} `))).toBe(-40005);
    expect(cryptoCode(() => decryptMessage(key, A2.encrypt, ''))).toBe(-40005);
    const prefixed = encryptMessage(key, 'x', `${A.corpId}X`);
    expect(cryptoCode(() => decryptMessage(key, prefixed, A.corpId))).toBe(-40005);
    const spaced = encryptMessage(key, 'x', `${A.corpId}  `);
    expect(cryptoCode(() => decryptMessage(key, spaced, A.corpId))).toBe(-40005);
  });

  it('rejects invalid UTF-8 in the message', () => {
    const plain = layout({ msg: Buffer.from([0x68, 0xc3, 0x28, 0xff]), receiveId: A.corpId });
    expect(cryptoCode(() => decryptMessage(key, encryptRaw(key, plain), A.corpId))).toBe(-40008);
  });

  it('rejects bad base64 (-40010) and bad ciphertext lengths (-40007)', () => {
    expect(cryptoCode(() => decryptMessage(key, 'abc', A.corpId))).toBe(-40010);
    expect(cryptoCode(() => decryptMessage(key, 'ab c', A.corpId))).toBe(-40010);
    expect(cryptoCode(() => decryptMessage(key, 'a-b_', A.corpId))).toBe(-40010);
    expect(cryptoCode(() => decryptMessage(key, '', A.corpId))).toBe(-40010);
    expect(cryptoCode(() => decryptMessage(key, A2.encrypt.slice(0, -4), A.corpId))).toBe(-40007);
    expect(cryptoCode(() => decryptMessage(key, 'AAAA', A.corpId))).toBe(-40007);
  });

  it('rejects a bad EncodingAESKey (-40004)', () => {
    expect(cryptoCode(() => decryptMessage('short', A2.encrypt, A.corpId))).toBe(-40004);
    expect(cryptoCode(() => decryptMessage(`${key.slice(0, 42)}+`, A2.encrypt, A.corpId))).toBe(-40004);
    expect(cryptoCode(() => encryptMessage('short', 'x', A.corpId))).toBe(-40004);
  });

  it('a tampered ciphertext never decrypts to an accepted message with a wrong key', () => {
    expect(cryptoCode(() => decryptMessage(B.encodingAesKey, A2.encrypt, A.corpId))).not.toBeNull();
  });

  it('encryptMessage requires a 16-byte random and randomizes by default', () => {
    expect(cryptoCode(() => encryptMessage(key, 'x', A.corpId, Buffer.alloc(15)))).toBe(-40006);
    expect(encryptMessage(key, 'x', A.corpId)).not.toBe(encryptMessage(key, 'x', A.corpId));
  });
});
