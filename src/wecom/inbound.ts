import { createHash } from 'node:crypto';
import { XMLParser, XMLValidator } from 'fast-xml-parser';
import { z } from 'zod';
import { assertNever } from '../shared/errors.js';
import { cleanText } from '../shared/text.js';
import { HARDENED_XML_OPTIONS, soleXmlRoot } from './envelope.js';
import { readFlatXml } from './flatXml.js';

/**
 * Decrypted callback XML → a typed message (formats: doc 90239 messages, 90240/90376 events; template card
 * events as in WxJava `WxCpXmlMessageTest`). Every value stays a string: "007", mobile numbers and MsgId
 * (64-bit, past 2^53) must survive verbatim. Unknown types are kept, never rejected: WeCom adds events over time.
 */

export interface InboundCommon {
  toUserName: string;
  fromUserName: string;
  createTime: string;
  agentId: string | null;
}

export type InboundMessage =
  | ({ type: 'text'; content: string; msgId: string } & InboundCommon)
  | ({ type: 'image'; picUrl: string; mediaId: string; msgId: string } & InboundCommon)
  | ({ type: 'voice'; mediaId: string; format: string; msgId: string } & InboundCommon)
  | ({ type: 'video'; mediaId: string; thumbMediaId: string; msgId: string } & InboundCommon)
  | ({
      type: 'location';
      latitude: string;
      longitude: string;
      scale: string;
      label: string;
      msgId: string;
    } & InboundCommon)
  | ({
      type: 'link';
      title: string;
      description: string;
      url: string;
      picUrl: string;
      msgId: string;
    } & InboundCommon)
  | ({
      type: 'event';
      event: 'subscribe' | 'unsubscribe' | 'enter_agent' | 'click' | 'view';
      eventKey: string;
    } & InboundCommon)
  | ({
      type: 'template_card_event';
      eventKey: string;
      taskId: string;
      cardType: string;
      responseCode: string;
      selectedItems: { questionKey: string; optionIds: string[] }[];
    } & InboundCommon)
  /**
   * 微信客服 (doc 94670): new messages wait for the 客服账号 `openKfId`; `token` (valid 10 minutes) is passed to
   * kf/sync_msg. It has no FromUserName and no content (fromUserName is '').
   */
  | ({ type: 'kf_msg_or_event'; token: string; openKfId: string } & InboundCommon)
  | ({
      type: 'unknown';
      msgType: string;
      event: string | null;
      msgId: string | null;
      fields: Record<string, string>;
    } & InboundCommon);

/** The plaintext is not XML we can read, or lacks FromUserName / MsgType. */
export class InboundParseError extends Error {
  constructor(message: string, options?: { cause?: unknown }) {
    super(message, options);
    this.name = 'InboundParseError';
  }
}

/**
 * Same hardening as the envelope, except that the five predefined XML entities are decoded: the plaintext is
 * authenticated, DOCTYPE is refused below (so no custom entity can exist), and a user's `a<b` sent outside CDATA
 * must read back as `a<b`, not `a&lt;b`. CDATA content is never entity-decoded by the parser.
 */
const parser = new XMLParser({ ...HARDENED_XML_OPTIONS, processEntities: true, htmlEntities: false });

const s = z.string();
const orEmpty = s.default('');

const schemas = {
  text: z.object({ Content: s, MsgId: s }),
  image: z.object({ PicUrl: orEmpty, MediaId: s, MsgId: s }),
  voice: z.object({ MediaId: s, Format: orEmpty, MsgId: s }),
  video: z.object({ MediaId: s, ThumbMediaId: orEmpty, MsgId: s }),
  location: z.object({ Location_X: s, Location_Y: s, Scale: orEmpty, Label: orEmpty, MsgId: s }),
  link: z.object({ Title: orEmpty, Description: orEmpty, Url: s, PicUrl: orEmpty, MsgId: s }),
  event: z.object({
    Event: z.enum(['subscribe', 'unsubscribe', 'enter_agent', 'click', 'view']),
    EventKey: orEmpty,
  }),
};

/** An element that appears once parses to a value, twice to an array; whitespace-only content to a string. */
const optionIds = z.union([
  z.object({ OptionId: z.union([s, z.array(s)]).optional() }),
  s.transform(() => ({ OptionId: undefined })),
]);
const selectedItem = z.object({ QuestionKey: s, OptionIds: optionIds.optional() });
const selectedItems = z.union([
  z.object({ SelectedItem: z.union([selectedItem, z.array(selectedItem)]).optional() }),
  s.transform(() => ({ SelectedItem: undefined })),
]);
const templateCardEvent = z.object({
  Event: z.literal('template_card_event'),
  EventKey: orEmpty,
  TaskId: orEmpty,
  CardType: orEmpty,
  ResponseCode: orEmpty,
  SelectedItems: selectedItems.optional(),
});

function toArray<T>(value: T | T[] | undefined): T[] {
  if (value === undefined) return [];
  return Array.isArray(value) ? value : [value];
}

const kfEvent = z.object({
  MsgType: z.literal('event'),
  Event: z.literal('kf_msg_or_event'),
  Token: z.string().min(1),
  OpenKfId: z.string().min(1),
});

export function parseInbound(plaintext: string): InboundMessage {
  const xml = readXml(plaintext);
  // Checked before the schema: a failed safeParse builds an error object, and most messages are not kf notices.
  const kf = xml['MsgType'] === 'event' && xml['Event'] === 'kf_msg_or_event' ? kfEvent.safeParse(xml) : null;
  if (kf?.success)
    return {
      type: 'kf_msg_or_event',
      toUserName: stringField(xml, 'ToUserName') ?? '',
      fromUserName: '',
      createTime: stringField(xml, 'CreateTime') ?? '',
      agentId: stringField(xml, 'AgentID'),
      token: kf.data.Token,
      openKfId: kf.data.OpenKfId,
    };
  const fromUserName = xml['FromUserName'];
  const msgType = xml['MsgType'];
  if (typeof fromUserName !== 'string' || fromUserName === '') throw new InboundParseError('no FromUserName');
  if (typeof msgType !== 'string' || msgType === '') throw new InboundParseError('no MsgType');
  const common: InboundCommon = {
    toUserName: stringField(xml, 'ToUserName') ?? '',
    fromUserName,
    createTime: stringField(xml, 'CreateTime') ?? '',
    agentId: stringField(xml, 'AgentID'),
  };
  return parseKnown(msgType, xml, common) ?? unknownOf(msgType, xml, common);
}

/** A known type with the fields it needs, or null to fall back to 'unknown' (odd but authentic input). */
function parseKnown(
  msgType: string,
  xml: Record<string, unknown>,
  common: InboundCommon,
): InboundMessage | null {
  switch (msgType) {
    case 'text': {
      const r = schemas.text.safeParse(xml);
      return r.success ? { type: 'text', ...common, content: r.data.Content, msgId: r.data.MsgId } : null;
    }
    case 'image': {
      const r = schemas.image.safeParse(xml);
      if (!r.success) return null;
      return {
        type: 'image',
        ...common,
        picUrl: r.data.PicUrl,
        mediaId: r.data.MediaId,
        msgId: r.data.MsgId,
      };
    }
    case 'voice': {
      const r = schemas.voice.safeParse(xml);
      if (!r.success) return null;
      return {
        type: 'voice',
        ...common,
        mediaId: r.data.MediaId,
        format: r.data.Format,
        msgId: r.data.MsgId,
      };
    }
    case 'video': {
      const r = schemas.video.safeParse(xml);
      if (!r.success) return null;
      return {
        type: 'video',
        ...common,
        mediaId: r.data.MediaId,
        thumbMediaId: r.data.ThumbMediaId,
        msgId: r.data.MsgId,
      };
    }
    case 'location': {
      const r = schemas.location.safeParse(xml);
      if (!r.success) return null;
      const d = r.data;
      return {
        type: 'location',
        ...common,
        latitude: d.Location_X,
        longitude: d.Location_Y,
        scale: d.Scale,
        label: d.Label,
        msgId: d.MsgId,
      };
    }
    case 'link': {
      const r = schemas.link.safeParse(xml);
      if (!r.success) return null;
      const d = r.data;
      return {
        type: 'link',
        ...common,
        title: d.Title,
        description: d.Description,
        url: d.Url,
        picUrl: d.PicUrl,
        msgId: d.MsgId,
      };
    }
    case 'event':
      return parseEvent(xml, common);
    default:
      return null;
  }
}

function parseEvent(xml: Record<string, unknown>, common: InboundCommon): InboundMessage | null {
  const card = xml['Event'] === 'template_card_event' ? templateCardEvent.safeParse(xml) : null;
  if (card?.success) {
    const d = card.data;
    return {
      type: 'template_card_event',
      ...common,
      eventKey: d.EventKey,
      taskId: d.TaskId,
      cardType: d.CardType,
      responseCode: d.ResponseCode,
      selectedItems: toArray(d.SelectedItems?.SelectedItem).map((item) => ({
        questionKey: item.QuestionKey,
        optionIds: toArray(item.OptionIds?.OptionId),
      })),
    };
  }
  const r = schemas.event.safeParse(xml);
  return r.success ? { type: 'event', ...common, event: r.data.Event, eventKey: r.data.EventKey } : null;
}

function unknownOf(msgType: string, xml: Record<string, unknown>, common: InboundCommon): InboundMessage {
  // Object.fromEntries defines own properties, so even an odd key cannot reach a prototype.
  const fields: Record<string, string> = Object.fromEntries(
    Object.entries(xml).filter((e): e is [string, string] => typeof e[1] === 'string' && e[0] !== '#text'),
  );
  return {
    type: 'unknown',
    ...common,
    msgType,
    event: stringField(xml, 'Event'),
    msgId: stringField(xml, 'MsgId'),
    fields,
  };
}

function readXml(plaintext: string): Record<string, unknown> {
  const text = plaintext.startsWith('\uFEFF') ? plaintext.slice(1) : plaintext;
  // WeCom's own flat form is read directly; anything else goes through the validator and the parser below.
  const flat = readFlatXml(text);
  if (flat !== null) return cleaned(flat) as Record<string, unknown>;
  return readXmlFully(text);
}

/** The full way: refuse DOCTYPE, validate, parse with the hardened options, require a sole <xml> root. */
export function readXmlFully(text: string): Record<string, unknown> {
  if (/<!(DOCTYPE|ENTITY)/i.test(text)) throw new InboundParseError('DOCTYPE is not allowed');
  const valid = XMLValidator.validate(text);
  if (valid !== true) throw new InboundParseError(`malformed XML: ${valid.err.msg}`);
  let parsed: unknown;
  try {
    parsed = parser.parse(text);
  } catch (cause) {
    throw new InboundParseError('malformed XML', { cause });
  }
  const xml = soleXmlRoot(parsed);
  if (xml === null) throw new InboundParseError('expected a single <xml> root element');
  return cleaned(xml) as Record<string, unknown>;
}

/** Every text value with control characters and lone surrogates made safe (shared/text.ts), before it is used. */
function cleaned(value: unknown): unknown {
  if (typeof value === 'string') return cleanText(value);
  if (Array.isArray(value)) return value.map(cleaned);
  if (typeof value === 'object' && value !== null)
    return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, cleaned(v)]));
  return value;
}

function stringField(xml: Record<string, unknown>, name: string): string | null {
  const value = Object.hasOwn(xml, name) ? xml[name] : undefined;
  return typeof value === 'string' ? value : null;
}

/** Unique-key columns are VARCHAR(191) (utf8mb4 index limit). */
const MAX_KEY_LENGTH = 191;

/**
 * The inbox dedup key. WeCom: "有msgid的消息推荐使用msgid排重。事件类型消息推荐使用FromUserName + CreateTime排重"
 * (doc 90238); Event and EventKey are added so distinct events in the same second do not collapse, and a
 * template card's ResponseCode because every tap gets its own.
 */
export function dedupKeyOf(msg: InboundMessage): string {
  return capLength(rawDedupKey(msg));
}

function rawDedupKey(msg: InboundMessage): string {
  switch (msg.type) {
    case 'text':
    case 'image':
    case 'voice':
    case 'video':
    case 'location':
    case 'link':
      return `m:${msg.msgId}`;
    case 'event':
      return `e:${msg.fromUserName}:${msg.createTime}:${msg.event}:${msg.eventKey}`;
    case 'template_card_event':
      return `e:${msg.fromUserName}:${msg.createTime}:template_card_event:${msg.eventKey}:${msg.responseCode}`;
    case 'kf_msg_or_event':
      // No FromUserName: WeCom's retries of one notification carry the same Token (doc 94670).
      return `kf:${msg.openKfId}:${msg.token}`;
    case 'unknown':
      if (msg.msgId !== null) return `m:${msg.msgId}`;
      return `e:${msg.fromUserName}:${msg.createTime}:${msg.msgType}:${msg.event ?? ''}:${msg.fields['EventKey'] ?? ''}${restDigest(msg.fields)}`;
    default:
      return assertNever(msg, 'inbound message');
  }
}

/** Fields the event key already holds (or that never differ between two events of one sender). */
const KEYED_FIELDS = new Set([
  'ToUserName',
  'FromUserName',
  'CreateTime',
  'MsgType',
  'Event',
  'EventKey',
  'AgentID',
]);

/**
 * An event without MsgId that carries more (a LOCATION report's coordinates…): a digest of the rest, so two distinct
 * reports in the same second stay two, while WeCom's retry (the same plaintext) still has the same key.
 */
function restDigest(fields: Record<string, string>): string {
  const rest = Object.entries(fields)
    .filter(([k]) => !KEYED_FIELDS.has(k))
    .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
  if (rest.length === 0) return '';
  return `:${createHash('sha256').update(JSON.stringify(rest), 'utf8').digest('hex').slice(0, 16)}`;
}

/** Keeps a readable prefix and replaces the rest by a sha256 of the whole key, so long keys stay distinct. */
function capLength(key: string): string {
  if (key.length <= MAX_KEY_LENGTH) return key;
  const digest = createHash('sha256').update(key, 'utf8').digest('hex');
  let prefix = key.slice(0, MAX_KEY_LENGTH - digest.length - 1);
  // Never cut a surrogate pair in half: a lone surrogate is not valid UTF-8 for the database.
  if (/[\uD800-\uDBFF]$/.test(prefix)) prefix = prefix.slice(0, -1);
  return `${prefix}#${digest}`;
}
