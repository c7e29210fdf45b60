import { randomBytes } from 'node:crypto';
import { computeSignature, encryptMessage } from './crypto.js';
import type { CallbackCredentials } from './envelope.js';

/** Builds what WeCom would send to our callback URL (doc 90238): used by the chat simulator (npm run chat) and tests. */

export interface SignedCallback {
  /** `msg_signature=…&timestamp=…&nonce=…`, URL-encoded. */
  query: string;
  /** The envelope XML: ToUserName, Encrypt, AgentID. */
  body: string;
  encrypted: string;
}

function nowSeconds(): number {
  return Math.floor(Date.now() / 1000);
}

function randomNonce(): string {
  return String(randomBytes(4).readUInt32BE(0));
}

export function signCallback(opts: {
  credentials: CallbackCredentials;
  plaintext: string;
  timestamp?: number;
  nonce?: string;
  random?: Buffer;
  receiveId?: string;
  agentId?: string;
}): SignedCallback {
  const { corpId, token, encodingAesKey } = opts.credentials;
  const timestamp = String(opts.timestamp ?? nowSeconds());
  const nonce = opts.nonce ?? randomNonce();
  const encrypted = encryptMessage(encodingAesKey, opts.plaintext, opts.receiveId ?? corpId, opts.random);
  const signature = computeSignature(token, timestamp, nonce, encrypted);
  const query = new URLSearchParams({ msg_signature: signature, timestamp, nonce }).toString();
  const body =
    `<xml><ToUserName>${cdata(corpId)}</ToUserName><Encrypt>${cdata(encrypted)}</Encrypt>` +
    `<AgentID>${cdata(opts.agentId ?? '1000002')}</AgentID></xml>`;
  return { query, body, encrypted };
}

export function signUrlVerification(opts: {
  credentials: CallbackCredentials;
  echostr: string;
  timestamp?: number;
  nonce?: string;
  random?: Buffer;
}): { query: string; encrypted: string } {
  const { corpId, token, encodingAesKey } = opts.credentials;
  const timestamp = String(opts.timestamp ?? nowSeconds());
  const nonce = opts.nonce ?? randomNonce();
  const encrypted = encryptMessage(encodingAesKey, opts.echostr, corpId, opts.random);
  const signature = computeSignature(token, timestamp, nonce, encrypted);
  return {
    query: new URLSearchParams({ msg_signature: signature, timestamp, nonce, echostr: encrypted }).toString(),
    encrypted,
  };
}

/** CDATA cannot contain `]]>`; split it across two sections so the text reads back unchanged. */
export function cdata(text: string): string {
  return `<![CDATA[${text.replaceAll(']]>', ']]]]><![CDATA[>')}]]>`;
}

interface Common {
  corpId: string;
  from: string;
  createTime: number | string;
  agentId: number | string;
}

function head(c: Common, msgType: string): string {
  return (
    `<xml><ToUserName>${cdata(c.corpId)}</ToUserName><FromUserName>${cdata(c.from)}</FromUserName>` +
    `<CreateTime>${c.createTime}</CreateTime><MsgType>${cdata(msgType)}</MsgType>`
  );
}

export function textXml(opts: Common & { content: string; msgId: string }): string {
  return `${head(opts, 'text')}<Content>${cdata(opts.content)}</Content><MsgId>${opts.msgId}</MsgId><AgentID>${opts.agentId}</AgentID></xml>`;
}

export function eventXml(opts: Common & { event: string; eventKey?: string }): string {
  return (
    `${head(opts, 'event')}<Event>${cdata(opts.event)}</Event><EventKey>${cdata(opts.eventKey ?? '')}</EventKey>` +
    `<AgentID>${opts.agentId}</AgentID></xml>`
  );
}

export function templateCardEventXml(
  opts: Common & {
    eventKey: string;
    taskId: string;
    responseCode: string;
    cardType: string;
    selectedItems?: { questionKey: string; optionIds: string[] }[];
  },
): string {
  const items = (opts.selectedItems ?? [])
    .map(
      (item) =>
        `<SelectedItem><QuestionKey>${cdata(item.questionKey)}</QuestionKey><OptionIds>` +
        item.optionIds.map((id) => `<OptionId>${cdata(id)}</OptionId>`).join('') +
        '</OptionIds></SelectedItem>',
    )
    .join('');
  return (
    `${head(opts, 'event')}<Event>${cdata('template_card_event')}</Event><EventKey>${cdata(opts.eventKey)}</EventKey>` +
    `<TaskId>${cdata(opts.taskId)}</TaskId><CardType>${cdata(opts.cardType)}</CardType>` +
    `<ResponseCode>${cdata(opts.responseCode)}</ResponseCode><AgentID>${opts.agentId}</AgentID>` +
    (items === '' ? '' : `<SelectedItems>${items}</SelectedItems>`) +
    '</xml>'
  );
}

/** A 微信客服 notice (doc 94670): no FromUserName and no content, only the token to pull with and the 客服账号. */
export function kfNoticeXml(opts: {
  corpId: string;
  token: string;
  openKfid: string;
  createTime: number;
}): string {
  return (
    `<xml><ToUserName>${cdata(opts.corpId)}</ToUserName><CreateTime>${opts.createTime}</CreateTime>` +
    `<MsgType>${cdata('event')}</MsgType><Event>${cdata('kf_msg_or_event')}</Event>` +
    `<Token>${cdata(opts.token)}</Token><OpenKfId>${cdata(opts.openKfid)}</OpenKfId></xml>`
  );
}
