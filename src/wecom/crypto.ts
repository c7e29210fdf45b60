import { createCipheriv, createDecipheriv, createHash, randomBytes, timingSafeEqual } from 'node:crypto';

/**
 * WeCom callback crypto ("加解密方案说明", doc 91144 / 90968), written on node:crypto directly.
 *
 * Why not `@wecom/crypto`: its decrypt does not check the padding bytes, does not bound-check msg_len, does not
 * check the receiveid and decodes invalid UTF-8 silently. Every one of those checks matters
 * here, so the 60 lines below own the whole scheme; the tests cross-check against `@wecom/crypto` and the official
 * vectors.
 */

/** Official crypto library error codes (sbzhu/weworkapi_python callback/ierror.py). */
export const WECOM_CRYPTO_CODES = {
  validateSignature: -40001,
  illegalAesKey: -40004,
  validateReceiveId: -40005,
  encryptAes: -40006,
  decryptAes: -40007,
  illegalBuffer: -40008,
  decodeBase64: -40010,
} as const;

export class WecomCryptoError extends Error {
  /** One of the official -400xx codes (see {@link WECOM_CRYPTO_CODES}). */
  readonly code: number;
  constructor(code: number, message: string, options?: { cause?: unknown }) {
    super(message, options);
    this.name = 'WecomCryptoError';
    this.code = code;
  }
}

/** WeCom pads to 32-byte blocks, not AES's 16 (doc 91144; the official A2 vector has pad 30). */
const PAD_BLOCK = 32;
const RANDOM_BYTES = 16;
const BASE64_RE = /^[A-Za-z0-9+/]+={0,2}$/;
const AES_KEY_RE = /^[A-Za-z0-9]{43}$/;
const SIGNATURE_RE = /^[0-9a-f]{40}$/;

/** `sha1(sort([token, timestamp, nonce, encrypt]).join(''))`, lowercase hex (doc 91144). */
export function computeSignature(token: string, timestamp: string, nonce: string, encrypt: string): string {
  return createHash('sha1').update([token, timestamp, nonce, encrypt].sort().join('')).digest('hex');
}

/**
 * Constant-time signature check. Anything that is not 40 lowercase hex chars is `false` (never a throw), so a
 * malformed header costs the same as a wrong one and cannot crash the handler.
 */
export function verifySignature(
  token: string,
  timestamp: string,
  nonce: string,
  encrypt: string,
  signature: string,
): boolean {
  if (!SIGNATURE_RE.test(signature)) return false;
  const expected = Buffer.from(computeSignature(token, timestamp, nonce, encrypt), 'latin1');
  return timingSafeEqual(expected, Buffer.from(signature, 'latin1'));
}

/** `AESKey = Base64_Decode(EncodingAESKey + "=")`, 32 bytes; IV is its first 16 bytes. */
/** The last key decoded: a server has one EncodingAESKey, and decoding it per message showed in profiles. */
let lastKey: { encodingAesKey: string; key: Buffer } | null = null;

function aesKeyOf(encodingAesKey: string): Buffer {
  if (lastKey?.encodingAesKey === encodingAesKey) return lastKey.key;
  const key = decodeAesKey(encodingAesKey);
  lastKey = { encodingAesKey, key };
  return key;
}

function decodeAesKey(encodingAesKey: string): Buffer {
  if (!AES_KEY_RE.test(encodingAesKey)) {
    throw new WecomCryptoError(
      WECOM_CRYPTO_CODES.illegalAesKey,
      'EncodingAESKey must be 43 chars of [A-Za-z0-9]',
    );
  }
  const key = Buffer.from(`${encodingAesKey}=`, 'base64');
  if (key.length !== 32)
    throw new WecomCryptoError(WECOM_CRYPTO_CODES.illegalAesKey, 'AES key is not 32 bytes');
  return key;
}

const utf8 = new TextDecoder('utf-8', { fatal: true });

/**
 * Decrypts `Encrypt` / `echostr` and checks every structural rule of the envelope (length prefix, 32-byte PKCS#7 padding, receiveid).
 * Layout: random(16) ‖ msg_len(4, BE) ‖ msg ‖ receiveid ‖ PKCS#7 pad (1..32).
 * @throws WecomCryptoError -40010 bad base64, -40007 bad ciphertext, -40008 bad layout/UTF-8, -40005 receiveid.
 */
export function decryptMessage(encodingAesKey: string, encrypted: string, expectedReceiveId: string): string {
  const key = aesKeyOf(encodingAesKey);
  if (encrypted.length % 4 !== 0 || !BASE64_RE.test(encrypted)) {
    throw new WecomCryptoError(WECOM_CRYPTO_CODES.decodeBase64, 'ciphertext is not canonical base64');
  }
  const cipherBytes = Buffer.from(encrypted, 'base64');
  if (cipherBytes.length === 0 || cipherBytes.length % 16 !== 0) {
    throw new WecomCryptoError(
      WECOM_CRYPTO_CODES.decryptAes,
      'ciphertext length is not a positive multiple of 16',
    );
  }
  let plain: Buffer;
  try {
    // Node's own PKCS#7 check assumes 16-byte blocks and rejects WeCom's pads 17..32, so unpad by hand.
    const decipher = createDecipheriv('aes-256-cbc', key, key.subarray(0, 16)).setAutoPadding(false);
    plain = Buffer.concat([decipher.update(cipherBytes), decipher.final()]);
  } catch (cause) {
    throw new WecomCryptoError(WECOM_CRYPTO_CODES.decryptAes, 'AES decryption failed', { cause });
  }

  const pad = plain[plain.length - 1] ?? 0;
  if (pad < 1 || pad > PAD_BLOCK || pad > plain.length) {
    throw new WecomCryptoError(WECOM_CRYPTO_CODES.illegalBuffer, 'invalid padding');
  }
  // The official libraries only read the last byte; a forged or corrupted block would slip through, we do not.
  for (let i = plain.length - pad; i < plain.length; i++) {
    if (plain[i] !== pad)
      throw new WecomCryptoError(WECOM_CRYPTO_CODES.illegalBuffer, 'inconsistent padding');
  }
  const content = plain.subarray(0, plain.length - pad);
  if (content.length < RANDOM_BYTES + 4) {
    throw new WecomCryptoError(WECOM_CRYPTO_CODES.illegalBuffer, 'plaintext too short');
  }
  const msgLen = content.readUInt32BE(RANDOM_BYTES);
  const rest = content.subarray(RANDOM_BYTES + 4);
  if (msgLen === 0 || msgLen > rest.length) {
    throw new WecomCryptoError(WECOM_CRYPTO_CODES.illegalBuffer, 'msg_len out of bounds');
  }
  // Byte equality: a prefix match or a trimmed compare would accept another corp's (or a padded) id.
  const receiveId = rest.subarray(msgLen);
  if (!receiveId.equals(Buffer.from(expectedReceiveId, 'utf8'))) {
    throw new WecomCryptoError(WECOM_CRYPTO_CODES.validateReceiveId, 'receiveid mismatch');
  }
  try {
    return utf8.decode(rest.subarray(0, msgLen));
  } catch (cause) {
    throw new WecomCryptoError(WECOM_CRYPTO_CODES.illegalBuffer, 'message is not valid UTF-8', { cause });
  }
}

/**
 * Encrypts a message the way WeCom does. `random` is injectable so the official vectors can be reproduced
 * byte-for-byte in tests; production leaves it to `randomBytes`.
 */
export function encryptMessage(
  encodingAesKey: string,
  plaintext: string,
  receiveId: string,
  random: Buffer = randomBytes(RANDOM_BYTES),
): string {
  const key = aesKeyOf(encodingAesKey);
  if (random.length !== RANDOM_BYTES) {
    throw new WecomCryptoError(WECOM_CRYPTO_CODES.encryptAes, 'random prefix must be 16 bytes');
  }
  const msg = Buffer.from(plaintext, 'utf8');
  const msgLen = Buffer.alloc(4);
  msgLen.writeUInt32BE(msg.length, 0);
  const body = Buffer.concat([random, msgLen, msg, Buffer.from(receiveId, 'utf8')]);
  const pad = PAD_BLOCK - (body.length % PAD_BLOCK);
  const padded = Buffer.concat([body, Buffer.alloc(pad, pad)]);
  const cipher = createCipheriv('aes-256-cbc', key, key.subarray(0, 16)).setAutoPadding(false);
  return Buffer.concat([cipher.update(padded), cipher.final()]).toString('base64');
}
