/** A WeCom text callback signed and encrypted as WeCom sends it, for the in-process ingest and HTTP tests. */
import type { CallbackCredentials } from '../../src/wecom/envelope.js';
import { signCallback, textXml } from '../../src/wecom/simulate.js';

export const CALLBACK_CREDENTIALS: CallbackCredentials = {
  corpId: 'wwcorp',
  token: 'token123',
  encodingAesKey: 'k'.repeat(43),
};

export function signedText(opts: {
  from: string;
  content: string;
  msgId: string;
  now: Date;
  credentials?: CallbackCredentials;
}): { query: Record<string, string>; queryString: string; body: string; encrypted: string } {
  const credentials = opts.credentials ?? CALLBACK_CREDENTIALS;
  const seconds = Math.floor(opts.now.getTime() / 1000);
  const plaintext = textXml({
    corpId: credentials.corpId,
    from: opts.from,
    createTime: seconds,
    agentId: 1000002,
    content: opts.content,
    msgId: opts.msgId,
  });
  const signed = signCallback({ credentials, plaintext, timestamp: seconds });
  return {
    ...signed,
    queryString: signed.query,
    query: Object.fromEntries(new URLSearchParams(signed.query)),
  };
}
