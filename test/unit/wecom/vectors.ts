import { createCipheriv } from 'node:crypto';

/** Official vectors (Tencent WXBizMsgCrypt samples, doc 91144; sbzhu/weworkapi_python @16e0b05). */
export const A = {
  corpId: 'wx5823bf96d3bd56c7',
  token: 'QDG6eK',
  encodingAesKey: 'jWmYm7qr5nMoAUwZRjGtBxmz3KA1tkAj3ykkR6q2B2C',
};

export const A1 = {
  signature: '5c45ff5e21c57e6ad56bac8758b79b1d9ac89fd3',
  timestamp: '1409659589',
  nonce: '263014780',
  rawQuery:
    'msg_signature=5c45ff5e21c57e6ad56bac8758b79b1d9ac89fd3&timestamp=1409659589&nonce=263014780&echostr=P9nAzCzyDtyTWESHep1vC5X9xho%2FqYX3Zpb4yKa9SKld1DsH3Iyt3tP3zNdtp%2B4RPcs8TgAE7OaBO%2BFZXvnaqQ%3D%3D',
  echostr: 'P9nAzCzyDtyTWESHep1vC5X9xho/qYX3Zpb4yKa9SKld1DsH3Iyt3tP3zNdtp+4RPcs8TgAE7OaBO+FZXvnaqQ==',
  plaintext: '1616140317555161061',
  random: 'c41b64491c2468d0',
};

export const A2 = {
  signature: '477715d11cdb4164915debcba66cb864d751f3e6',
  timestamp: '1409659813',
  nonce: '1372623149',
  encrypt:
    'RypEvHKD8QQKFhvQ6QleEB4J58tiPdvo+rtK1I9qca6aM/wvqnLSV5zEPeusUiX5L5X/0lWfrf0QADHHhGd3QczcdCUpj911L3vg3W/sYYvuJTs3TUUkSUXxaccAS0qhxchrRYt66wiSpGLYL42aM6A8dTT+6k4aSknmPj48kzJs8qLjvd4Xgpue06DOdnLxAUHzM6+kDZ+HMZfJYuR+LtwGc2hgf5gsijff0ekUNXZiqATP7PF5mZxZ3Izoun1s4zG4LUMnvw2r+KqCKIw+3IQH03v+BCA9nMELNqbSf6tiWSrXJB3LAVGUcallcrw8V2t9EL4EhzJWrQUax5wLVMNS0+rUPA3k22Ncx4XXZS9o0MBH27Bo6BpNelZpS+/uh9KsNlY6bHCmJU9p8g7m3fVKn28H3KDYA5Pl/T8Z1ptDAVe0lXdQ2YoyyH2uyPIGHBZZIs2pDBS8R07+qN+E7Q==',
  plaintext: [
    '<xml><ToUserName><![CDATA[wx5823bf96d3bd56c7]]></ToUserName>',
    '<FromUserName><![CDATA[mycreate]]></FromUserName>',
    '<CreateTime>1409659813</CreateTime>',
    '<MsgType><![CDATA[text]]></MsgType>',
    '<Content><![CDATA[hello]]></Content>',
    '<MsgId>4561255354251345929</MsgId>',
    '<AgentID>218</AgentID>',
    '</xml>',
  ].join('\n'),
  random: '0960688932c47ef1',
};
export const A2_BODY = `<xml><ToUserName><![CDATA[wx5823bf96d3bd56c7]]></ToUserName><Encrypt><![CDATA[${A2.encrypt}]]></Encrypt><AgentID><![CDATA[218]]></AgentID></xml>`;

export const B = {
  corpId: 'ww1436e0e65a779aee',
  token: 'hJqcu3uJ9Tn2gXPmxx2w9kkCkCE2EPYo',
  encodingAesKey: '6qkdMrq68nTKduznJYO1A37W2oEgpkMUvkttRToqhUt',
};

export const B1 = {
  signature: '012bc692d0a58dd4b10f8dfe5c4ac00ae211ebeb',
  timestamp: '1476416373',
  nonce: '47744683',
  echostr: 'fsi1xnbH4yQh0+PJxcOdhhK6TDXkjMyhEPA7xB2TGz6b+g7xyAbEkRxN/3cNXW9qdqjnoVzEtpbhnFyq6SVHyA==',
  plaintext: '1288432023552776189',
  random: '8908d0ff052afda0',
};

export const B2 = {
  signature: '0c3914025cb4b4d68103f6bfc8db550f79dcf48e',
  timestamp: '1476422779',
  nonce: '1597212914',
  encrypt:
    'Kl7kjoSf6DMD1zh7rtrHjFaDapSCkaOnwu3bqLc5tAybhhMl9pFeK8NslNPVdMwmBQTNoW4mY7AIjeLvEl3NyeTkAgGzBhzTtRLNshw2AEew+kkYcD+Fq72Kt00fT0WnN87hGrW8SqGc+NcT3mu87Ha3dz1pSDi6GaUA6A0sqfde0VJPQbZ9U+3JWcoD4Z5jaU0y9GSh010wsHF8KZD24YhmZH4ch4Ka7ilEbjbfvhKkNL65HHL0J6EYJIZUC2pFrdkJ7MhmEbU2qARR4iQHE7wy24qy0cRX3Mfp6iELcDNfSsPGjUQVDGxQDCWjayJOpcwocugux082f49HKYg84EpHSGXAyh+/oxwaWbvL6aSDPOYuPDGOCI8jmnKiypE+',
  plaintext:
    '<xml><ToUserName>ww1436e0e65a779aee</ToUserName><FromUserName>ChenJiaShun</FromUserName><CreateTime>1476422779</CreateTime><MsgType>text</MsgType><Content>你好</Content><MsgId>1456453720</MsgId><AgentID>1000002</AgentID></xml>',
  random: '694ce5a83ae07fe3',
};
export const B2_BODY = `<xml><ToUserName><![CDATA[ww1436e0e65a779aee]]></ToUserName>\n<Encrypt><![CDATA[${B2.encrypt}]]></Encrypt>\n<AgentID><![CDATA[1000002]]></AgentID>\n</xml>`;

/** JSON-format sample; its plaintext is itself invalid JSON, and its receiveid is B's corpid. */
export const B3 = {
  signature: 'e3647471e395139e2308c1fa963f2d648a00b90e',
  timestamp: '1409659813',
  nonce: '1372623149',
  encrypt:
    'cjhLUX7UU4yCSelv1vz7T0zT8huF51bAMVWriNvO1FMegHrQZNrtvRxbwf0fUPsFvwqR0U0fgiJNEA5Y30F2MoI2S7vv3EjVQ68C0cjw9frBoUE2Hj0BvFp9h3u6Vbsg4lc1C8AtHdaN8orKuNKkLRLuYEL52R1J3v8olJGZRLnRdVKIivixmX/eQpzgeExtp20jI1HxRP1AAZ6xZoILdqDPO549LO4WeG+685JRUTdiwcY5fjZlqeMxuT4PpMn1X9OWsS7NRj06Wa5E3Tvg4twjWp39KPfOdRte6P1T4JU=',
  plaintext:
    '{ "ToUserName": "wx5823bf96d3bd56c7", "FromUserName": :mycreate", "CreateTime": 1409659813, "MsgType": "text", "Content": "hello", "MsgId": 4561255354251345929, "AgentID": 218}',
};

/** Derived (not official) passive-reply vector. */
export const PASSIVE = {
  plaintext:
    '<xml><ToUserName><![CDATA[mycreate]]></ToUserName><FromUserName><![CDATA[wx5823bf96d3bd56c7]]></FromUserName><CreateTime>1409659813</CreateTime><MsgType><![CDATA[text]]></MsgType><Content><![CDATA[收到]]></Content></xml>',
  random: '0123456789abcdef',
  timestamp: '1409659813',
  nonce: '1372623149',
  encrypt:
    'sKqRbbiSUnDhFHOvPjtUMUeqt1g4oVlNGGsS6EWXUJfN1O71osbKBEtCfOU7sRX6mzunv/M8vJgpH3vpP3VnG1AqaMLSJxciqBRfMuoqylajN9eVntAeWFFxLbzbfidxezt7Pe3fF728UVGZJM6sOhoRCWhHcHViSP6xPfgve5ByfpPKzrhpn/Yb/T9HIE5MtMGK2cj23luZN+rHk2ey/Bq7FYMsyzY0MNYJdXpTH5iFsJ5TvWYK04Exa1qbOGUh6Hu4iPe99XNb+WsU/3dSoPAS7cX/2Iib6cfCxJakc7oYdBQefK6fOyuGuO9Abkmio2ttRP42IGWQmRyBBFB4NuRjG261EBTizvBqLtmL9SzxkYOhnU662OpjRK11Spbz',
  signature: '6dfd4873e90553e6971764647f9c6b3d3d228871',
  aiBotPlaintext: '{"msgtype":"stream","stream":{"id":"s1","finish":true,"content":"hello"}}',
  aiBotEncrypt:
    'sKqRbbiSUnDhFHOvPjtUMbfoYrFF3IxgWCcEFYVkptGuNJ1CSBHy66NLPtTwxhxc0EsOqhVNoi/EMWdrfKLivk+h9RQlA2dqr89J8+Zm/ZPVQ7AQXBO+E9apkymfg1JE',
  aiBotSignature: '0c5cf9995c6a87a193825b432a46f5becadcff54',
};

/** AES-256-CBC over an already-laid-out buffer (no padding added), to craft malformed plaintexts. */
export function encryptRaw(encodingAesKey: string, plain: Buffer): string {
  const key = Buffer.from(`${encodingAesKey}=`, 'base64');
  const cipher = createCipheriv('aes-256-cbc', key, key.subarray(0, 16)).setAutoPadding(false);
  return Buffer.concat([cipher.update(plain), cipher.final()]).toString('base64');
}

/** random(16) ‖ msg_len ‖ msg ‖ receiveid, with an explicit msg_len and pad, for layout tests. */
export function layout(opts: {
  msg: Buffer;
  receiveId: string;
  msgLen?: number;
  pad?: number;
  padBytes?: Buffer;
}): Buffer {
  const len = Buffer.alloc(4);
  len.writeUInt32BE(opts.msgLen ?? opts.msg.length, 0);
  const body = Buffer.concat([Buffer.alloc(16, 0x61), len, opts.msg, Buffer.from(opts.receiveId, 'utf8')]);
  if (opts.padBytes) return Buffer.concat([body, opts.padBytes]);
  const pad = opts.pad ?? 32 - (body.length % 32);
  return Buffer.concat([body, Buffer.alloc(pad, pad)]);
}
