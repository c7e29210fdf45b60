import { createServer } from 'node:http';
import type { IncomingMessage, ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';

/**
 * A test double of qyapi.weixin.qq.com on loopback: gettoken, message/send (with invalid/unlicensed users and
 * enable_duplicate_check), message/update_template_card, plus fault injection. Behaviour follows WeCom's documented message/send rules.
 */

export type Fault =
  | { errcode: number; errmsg?: string }
  | { httpStatus: number }
  /** Stall the answer; with `apply` the send takes effect first (the "timed out but delivered" case). */
  | { hangMs: number; apply?: boolean }
  /** No fault for this call: lets a fault list start at the second or a later call. */
  | { pass: true };

export interface Delivery {
  touser: string;
  msgtype: string;
  body: Record<string, unknown>;
  at: number;
}

export interface FakeWecomApi {
  url: string;
  close(): Promise<void>;
  readonly tokenCalls: number;
  readonly sendCalls: number;
  readonly updateCalls: number;
  readonly currentToken: string | null;
  deliveries: Delivery[];
  cardUpdates: Array<{ body: Record<string, unknown>; at: number }>;
  /** Every message/send request body WeCom accepted (including duplicates it absorbed), in order. */
  sendBodies: Array<Record<string, unknown>>;
  deliveriesTo(userid: string): Delivery[];
  /** Card updates addressed to `userid`. */
  cardUpdatesFor(userid: string): Array<{ body: Record<string, unknown>; at: number }>;
  /** These response codes are refused by update_template_card (as WeCom does once a code expired, after 72 h). */
  expireResponseCodes(codes: string[]): void;
  waitForDeliveries(n: number, timeoutMs: number): Promise<void>;
  setInvalidUsers(userids: string[]): void;
  setUnlicensedUsers(userids: string[]): void;
  /** Faults for `path` (e.g. 'message/send' or '/cgi-bin/gettoken'), consumed one per call, in order. */
  injectFaults(path: string, faults: Fault[]): void;
  /** Drops pending faults for `path`, or for every path when omitted. */
  clearFaults(path?: string): void;
  /** The current token now answers 42001; the next gettoken issues a new one. */
  expireToken(): void;
  /**
   * WeCom's 45009 block (doc 90454): from now on every message/send answers 45009 until the block ends — 60 s, 60
   * min, or the end of the natural day in China time — measured on the fake's clock. With `afterCalls`, the block
   * begins after that many more message/send calls went through.
   */
  blockSends(window: 'minute' | 'hour' | 'day', opts?: { afterCalls?: number }): void;
  /** Every message/send call: when (fake's clock), and the errcode answered (null: HTTP error or hang). */
  sendLog: Array<{ at: number; errcode: number | null; touser: string }>;
  /** The raw request body of every message/send call, byte for byte, in order (accepted or not). */
  sendRaw: string[];
  /**
   * From now on each call to `path` fails with probability `rate`, with one of `faults`, drawn from a PRNG seeded
   * with `seed` (the same seed, the same sequence). Queued faults (injectFaults) go first.
   */
  randomFaults(path: string, o: { rate: number; seed: number; faults: Fault[] }): void;
  /** 微信客服 (kf/*): see FakeKf. */
  kf: FakeKf;
}

/** A pulled kf message as sync_msg returns it. */
export type KfMessage = Record<string, unknown> & { msgid: string; send_time: number; origin: number };

export interface KfSend {
  via: 'send_msg' | 'send_msg_on_event';
  touser: string;
  openKfid: string;
  msgtype: string;
  body: Record<string, unknown>;
  at: number;
}

/**
 * The fake 微信客服: messages citizens "send" are queued per 客服账号 and returned by kf/sync_msg in pages (cursor =
 * position, `has_more`, optional overlap and empty pages); kf/send_msg enforces "5 messages within 48 h of the
 * customer's last message" with 95001 / 95002, as WeCom does; send_msg_on_event takes a welcome code once, within
 * 20 s.
 */
export interface FakeKf {
  /** A notice token as a kf_msg_or_event callback carries it (valid 10 minutes). */
  token(openKfid: string): string;
  /** A citizen writes (origin 3): a text, or a tap on a msgmenu item (menuId). Returns the msgid. */
  customerSays(m: {
    openKfid: string;
    externalUserid: string;
    text?: string;
    menuId?: string;
    msgtype?: string;
  }): string;
  /** A citizen enters the session (enter_session); with `welcome`, a welcome_code (returned) comes with it. */
  enterSession(m: {
    openKfid: string;
    externalUserid: string;
    scene?: string;
    welcome?: boolean;
  }): string | null;
  /** Any other entry (a servicer's message, a send-fail event). */
  push(openKfid: string, m: Record<string, unknown> & { origin: number; msgid?: string }): string;
  messages(openKfid: string): KfMessage[];
  /** Page size of sync_msg (default 1000); `overlap` makes next_cursor repeat that many messages on the next page. */
  setPaging(p: { pageSize?: number; overlap?: number; emptyPagesFirst?: number }): void;
  syncCalls: Array<{ openKfid: string; cursor: string; token: string | null }>;
  sends: KfSend[];
  sendsTo(externalUserid: string): KfSend[];
  /**
   * msgids sent again after WeCom had taken them (a resend after a lost answer or a crash), answered 40058 and not
   * delivered twice. WeCom's docs say a msgid is unique in the 客服账号 but name no code for a reused one; 40058
   * (invalid parameter) stands in.
   */
  duplicates: string[];
  /** Sends WeCom refused (95001 / 95002 / …), with their errcode. */
  refused: Array<{ errcode: number; body: Record<string, unknown> }>;
  /** Links made by kf/add_contact_way, in order. */
  contactWays: Array<{ openKfid: string; scene: string; url: string }>;
  /** 客服账号 that kf/add_contact_way knows (default: any id starting with `wk`). */
  setAccounts(openKfids: string[]): void;
}

const MSGTYPES = new Set([
  'text',
  'image',
  'voice',
  'video',
  'file',
  'textcard',
  'news',
  'mpnews',
  'markdown',
  'miniprogram_notice',
  'template_card',
]);
const POST_PATHS = new Set([
  'message/send',
  'message/update_template_card',
  'kf/sync_msg',
  'kf/send_msg',
  'kf/send_msg_on_event',
  'kf/add_contact_way',
]);
const INTERACTIVE_CARDS = new Set(['button_interaction', 'vote_interaction', 'multiple_interaction']);

/** A small seeded PRNG (mulberry32): uniform in [0, 1). */
function mulberry32(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4_294_967_296;
  };
}

function touserOf(raw: string): string {
  try {
    const body: unknown = JSON.parse(raw);
    return isRecord(body) && typeof body['touser'] === 'string' ? body['touser'] : '';
  } catch {
    return '';
  }
}

function normalizePath(path: string): string {
  return path.replace(/^\/?(cgi-bin\/)?/, '');
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

export async function startFakeWecomApi(opts: {
  corpId: string;
  secret: string;
  agentId?: number;
  now?: () => number;
}): Promise<FakeWecomApi> {
  const now = opts.now ?? Date.now;
  let tokenSeq = 0;
  let currentToken: string | null = null;
  const expiredTokens = new Set<string>();
  let tokenCalls = 0;
  let sendCalls = 0;
  let updateCalls = 0;
  let msgSeq = 0;
  let invalidUsers = new Set<string>();
  let unlicensedUsers = new Set<string>();
  const faults = new Map<string, Fault[]>();
  const duplicateWindow = new Map<string, { until: number; response: Record<string, unknown> }>();
  const waiters: Array<() => void> = [];
  const timers = new Set<NodeJS.Timeout>();
  const deliveries: Delivery[] = [];
  const cardUpdates: Array<{ body: Record<string, unknown>; at: number }> = [];
  const sendBodies: Array<Record<string, unknown>> = [];
  const sendLog: Array<{ at: number; errcode: number | null; touser: string }> = [];
  const sendRaw: string[] = [];
  const randomFaultsByPath = new Map<string, { rate: number; next: () => number; faults: Fault[] }>();
  let blockedUntil = 0;
  let pendingBlock: { window: 'minute' | 'hour' | 'day'; calls: number } | null = null;
  const startBlock = (window: 'minute' | 'hour' | 'day'): void => {
    const t = now();
    const CHINA_OFFSET_MS = 8 * 3_600_000;
    blockedUntil =
      window === 'minute'
        ? t + 60_000
        : window === 'hour'
          ? t + 3_600_000
          : (Math.floor((t + CHINA_OFFSET_MS) / 86_400_000) + 1) * 86_400_000 - CHINA_OFFSET_MS;
  };
  const usedResponseCodes = new Set<string>();
  const kfQueues = new Map<string, KfMessage[]>();
  const kfTokens = new Map<string, { openKfid: string; until: number }>();
  const kfWelcomeCodes = new Map<string, { until: number; used: boolean; touser: string }>();
  const kfMsgids = new Set<string>();
  let kfSeq = 0;
  let paging = { pageSize: 1000, overlap: 0, emptyPagesFirst: 0 };
  const kf: FakeKf = {
    token(openKfid) {
      const t = `ENC${++kfSeq}x${openKfid}`;
      kfTokens.set(t, { openKfid, until: now() + 10 * 60_000 });
      return t;
    },
    customerSays(m) {
      const content = m.text ?? '';
      return kf.push(m.openKfid, {
        open_kfid: m.openKfid,
        external_userid: m.externalUserid,
        origin: 3,
        msgtype: m.msgtype ?? 'text',
        ...((m.msgtype ?? 'text') === 'text'
          ? { text: { content, ...(m.menuId !== undefined ? { menu_id: m.menuId } : {}) } }
          : {}),
      });
    },
    enterSession(m) {
      const code = m.welcome ? `wc-${++kfSeq}` : null;
      if (code) kfWelcomeCodes.set(code, { until: now() + 20_000, used: false, touser: m.externalUserid });
      kf.push(m.openKfid, {
        origin: 4,
        msgtype: 'event',
        event: {
          event_type: 'enter_session',
          open_kfid: m.openKfid,
          external_userid: m.externalUserid,
          scene: m.scene ?? '',
          scene_param: '',
          ...(code ? { welcome_code: code } : {}),
        },
      });
      return code;
    },
    push(openKfid, m) {
      const msg: KfMessage = {
        ...m,
        msgid: m.msgid ?? `kfmsg-${++kfSeq}`,
        // A given send_time is kept (a burst sent within one second, whenever the test runs).
        send_time: typeof m['send_time'] === 'number' ? m['send_time'] : Math.floor(now() / 1000),
      };
      const q = kfQueues.get(openKfid) ?? [];
      q.push(msg);
      kfQueues.set(openKfid, q);
      return msg.msgid;
    },
    messages: (openKfid) => [...(kfQueues.get(openKfid) ?? [])],
    setPaging(p) {
      paging = { ...paging, ...p };
    },
    syncCalls: [],
    sends: [],
    sendsTo: (u) => kf.sends.filter((x) => x.touser === u),
    duplicates: [],
    refused: [],
    contactWays: [],
    setAccounts(openKfids) {
      kfAccounts = new Set(openKfids);
    },
  };

  function kfSync(body: Record<string, unknown>): Record<string, unknown> {
    const openKfid = body['open_kfid'];
    if (typeof openKfid !== 'string' || openKfid === '')
      return { errcode: 40058, errmsg: 'open_kfid required' };
    const token = typeof body['token'] === 'string' ? body['token'] : null;
    const cursor = typeof body['cursor'] === 'string' ? body['cursor'] : '';
    kf.syncCalls.push({ openKfid, cursor, token });
    if (token !== null) {
      const t = kfTokens.get(token);
      if (!t || t.openKfid !== openKfid || t.until < now())
        return { errcode: 95007, errmsg: 'invalid msg token' };
    }
    if (paging.emptyPagesFirst > 0) {
      paging.emptyPagesFirst -= 1;
      return { errcode: 0, errmsg: 'ok', next_cursor: cursor, has_more: 1, msg_list: [] };
    }
    const q = kfQueues.get(openKfid) ?? [];
    const start = cursor === '' ? 0 : Number(cursor.slice(1));
    const limit = Math.min(typeof body['limit'] === 'number' ? body['limit'] : 1000, paging.pageSize);
    const end = Math.min(q.length, start + limit);
    const next = end > start ? Math.max(start + 1, end - paging.overlap) : start;
    return {
      errcode: 0,
      errmsg: 'ok',
      next_cursor: `c${next}`,
      has_more: end < q.length ? 1 : 0,
      msg_list: q.slice(start, end),
    };
  }

  function kfCheckContent(body: Record<string, unknown>): Record<string, unknown> | null {
    const msgtype = body['msgtype'];
    const part = typeof msgtype === 'string' ? body[msgtype] : undefined;
    if ((msgtype !== 'text' && msgtype !== 'msgmenu') || !isRecord(part))
      return { errcode: 40008, errmsg: 'invalid message type' };
    const bytes = (v: unknown): number => (typeof v === 'string' ? Buffer.byteLength(v) : 0);
    if (msgtype === 'text' && (bytes(part['content']) === 0 || bytes(part['content']) > 2048))
      return { errcode: 45002, errmsg: 'content size out of limit' };
    if (msgtype === 'msgmenu') {
      const list = part['list'];
      if (!Array.isArray(list) || list.length === 0) return { errcode: 40058, errmsg: 'menu list empty' };
      if (list.length > 10) return { errcode: 95008, errmsg: 'menu item count exceeds 10' };
      if (bytes(part['head_content']) > 1024 || bytes(part['tail_content']) > 1024)
        return { errcode: 45002, errmsg: 'content size out of limit' };
    }
    return null;
  }

  function kfSend(body: Record<string, unknown>): Record<string, unknown> {
    const touser = String(body['touser'] ?? '');
    const openKfid = String(body['open_kfid'] ?? '');
    const msgid = String(body['msgid'] ?? '');
    const bad = kfCheckContent(body);
    if (bad) return bad;
    if (msgid !== '' && kfMsgids.has(`${openKfid}/${msgid}`)) {
      kf.duplicates.push(msgid);
      return { errcode: 40058, errmsg: 'invalid parameter: msgid exists' };
    }
    const fromCustomer = (kfQueues.get(openKfid) ?? []).filter(
      (m) => m['origin'] === 3 && m['external_userid'] === touser,
    );
    const last = fromCustomer[fromCustomer.length - 1];
    const at = now();
    const refuse = (errcode: number, errmsg: string): Record<string, unknown> => {
      kf.refused.push({ errcode, body });
      return { errcode, errmsg };
    };
    if (!last || at - last.send_time * 1000 > 48 * 3600_000) return refuse(95002, 'over 48 hours');
    const since = kf.sends.filter(
      (x) =>
        x.via === 'send_msg' &&
        x.touser === touser &&
        x.openKfid === openKfid &&
        x.at >= last.send_time * 1000,
    );
    if (since.length >= 5) return refuse(95001, 'over 5 messages');
    if (msgid !== '') kfMsgids.add(`${openKfid}/${msgid}`);
    kf.sends.push({ via: 'send_msg', touser, openKfid, msgtype: String(body['msgtype']), body, at });
    for (const wake of waiters.splice(0)) wake();
    return { errcode: 0, errmsg: 'ok', msgid: msgid || `kfsent-${++kfSeq}` };
  }

  function kfSendOnEvent(body: Record<string, unknown>): Record<string, unknown> {
    const code = String(body['code'] ?? '');
    const bad = kfCheckContent(body);
    if (bad) return bad;
    const c = kfWelcomeCodes.get(code);
    if (!c || c.used || c.until < now()) {
      kf.refused.push({ errcode: 95000, body });
      return { errcode: 95000, errmsg: 'invalid code' };
    }
    c.used = true;
    kf.sends.push({
      via: 'send_msg_on_event',
      touser: c.touser,
      openKfid: '',
      msgtype: String(body['msgtype']),
      body,
      at: now(),
    });
    for (const wake of waiters.splice(0)) wake();
    return { errcode: 0, errmsg: 'ok', msgid: String(body['msgid'] ?? `kfsent-${++kfSeq}`) };
  }

  const expiredResponseCodes = new Set<string>();

  // ── 微信客服 contact ways (kf/add_contact_way, for the surveys' links) ──────────────────────────────────
  let kfAccounts: Set<string> | null = null;
  /** Doc 94665: open_kfid required and known, scene ≤ 32 bytes of [0-9a-zA-Z_-]; answers the link. */
  function addContactWay(body: Record<string, unknown>): Record<string, unknown> {
    const openKfid = body['open_kfid'];
    const scene = body['scene'] ?? '';
    if (typeof openKfid !== 'string' || openKfid === '')
      return { errcode: 40058, errmsg: 'open_kfid missing' };
    const known = kfAccounts === null ? openKfid.startsWith('wk') : kfAccounts.has(openKfid);
    if (!known) return { errcode: 95000, errmsg: 'invalid open_kfid' };
    if (typeof scene !== 'string' || !/^[0-9A-Za-z_-]{0,32}$/.test(scene))
      return { errcode: 40058, errmsg: 'invalid scene' };
    const url = `https://work.weixin.qq.com/kfid/${openKfid}?enc_scene=ENC${kf.contactWays.length + 1}${scene}`;
    kf.contactWays.push({ openKfid, scene, url });
    return { errcode: 0, errmsg: 'ok', url };
  }
  // ── end of 微信客服 contact ways ──────────────────────────────────────────────────────────────────────

  function later(ms: number): Promise<void> {
    return new Promise((resolve) => {
      const t = setTimeout(() => {
        timers.delete(t);
        resolve();
      }, ms);
      timers.add(t);
    });
  }

  function tokenError(token: string | null): Record<string, unknown> | null {
    if (token !== null && token === currentToken) return null;
    if (token !== null && expiredTokens.has(token)) return { errcode: 42001, errmsg: 'access_token expired' };
    return { errcode: 40014, errmsg: 'invalid access_token' };
  }

  function gettoken(url: URL): Record<string, unknown> {
    if (
      url.searchParams.get('corpid') !== opts.corpId ||
      url.searchParams.get('corpsecret') !== opts.secret
    ) {
      return { errcode: 40001, errmsg: 'invalid credential' };
    }
    // Only the newest token is honoured: stricter than WeCom, so stale-token handling gets exercised.
    currentToken = `tok-${++tokenSeq}`;
    return { errcode: 0, errmsg: 'ok', access_token: currentToken, expires_in: 7200 };
  }

  function send(raw: string, body: Record<string, unknown>): Record<string, unknown> {
    const agentid = body['agentid'];
    if (
      typeof agentid !== 'number' ||
      !Number.isInteger(agentid) ||
      (opts.agentId !== undefined && agentid !== opts.agentId)
    ) {
      return { errcode: 40056, errmsg: 'invalid agentid' };
    }
    const msgtype = body['msgtype'];
    if (typeof msgtype !== 'string' || !MSGTYPES.has(msgtype) || !isRecord(body[msgtype])) {
      return { errcode: 40008, errmsg: 'invalid message type' };
    }
    const touser = body['touser'];
    if (typeof touser !== 'string' || touser === '') return { errcode: 40031, errmsg: 'invalid touser' };
    if (body['enable_duplicate_check'] === 1) {
      const seen = duplicateWindow.get(raw);
      if (seen && seen.until > now()) return seen.response;
    }
    const users = touser.split('|');
    const invalid = users.filter((u) => invalidUsers.has(u.toLowerCase()));
    const unlicensed = users.filter(
      (u) => !invalidUsers.has(u.toLowerCase()) && unlicensedUsers.has(u.toLowerCase()),
    );
    const deliverable = users.filter((u) => !invalid.includes(u) && !unlicensed.includes(u));
    if (deliverable.length === 0 && unlicensed.length === 0) {
      return { errcode: 81013, errmsg: 'user & party & tag all invalid' };
    }
    const at = now();
    for (const u of deliverable) deliveries.push({ touser: u, msgtype, body, at });
    const card = body['template_card'];
    const interactive =
      isRecord(card) && typeof card['card_type'] === 'string' && INTERACTIVE_CARDS.has(card['card_type']);
    const response: Record<string, unknown> = {
      errcode: 0,
      errmsg: 'ok',
      // WeCom answers userids lower-cased (doc 90236).
      invaliduser: invalid.map((u) => u.toLowerCase()).join('|'),
      unlicenseduser: unlicensed.map((u) => u.toLowerCase()).join('|'),
      msgid: `msg-${++msgSeq}`,
      ...(interactive ? { response_code: `rc-${msgSeq}` } : {}),
    };
    if (body['enable_duplicate_check'] === 1) {
      const interval =
        typeof body['duplicate_check_interval'] === 'number' ? body['duplicate_check_interval'] : 1800;
      duplicateWindow.set(raw, { until: at + interval * 1000, response });
    }
    for (const wake of waiters.splice(0)) wake();
    return response;
  }

  function handlePost(path: string, raw: string): Record<string, unknown> {
    // WeCom refuses a body holding \uXXXX escapes (what JSON.stringify makes of NUL or a lone surrogate).
    if (path === 'message/send' && /(?<!\\)(?:\\\\)*\\u[0-9a-fA-F]{4}/.test(raw))
      return {
        errcode: 40033,
        errmsg: 'invalid charset. please check your request, if include \\uxxxx will create fail!',
      };
    let body: unknown;
    try {
      body = JSON.parse(raw);
    } catch {
      return { errcode: 47001, errmsg: 'data format error' };
    }
    if (!isRecord(body)) return { errcode: 47001, errmsg: 'data format error' };
    if (path === 'kf/add_contact_way') return addContactWay(body);
    if (path === 'message/send') {
      const response = send(raw, body);
      if (response['errcode'] === 0) sendBodies.push(body);
      return response;
    }
    if (path === 'kf/sync_msg') return kfSync(body);
    if (path === 'kf/send_msg') return kfSend(body);
    if (path === 'kf/send_msg_on_event') return kfSendOnEvent(body);
    return updateCard(body);
  }

  /** Doc 94888: each response_code works once and for 72 h. The errcode for a spent code is not documented in our
   * sources; 40058 (invalid parameter) stands in, and the app treats any refusal alike. */
  function updateCard(body: Record<string, unknown>): Record<string, unknown> {
    const code = body['response_code'];
    const userids = body['userids'];
    if (typeof code !== 'string' || code === '') return { errcode: 40058, errmsg: 'response_code missing' };
    if (!Array.isArray(userids) || userids.length === 0 || userids.length > 1000)
      return { errcode: 40058, errmsg: 'userids invalid' };
    if (usedResponseCodes.has(code) || expiredResponseCodes.has(code))
      return { errcode: 40058, errmsg: 'invalid response_code' };
    if (!isRecord(body['button']) && !isRecord(body['template_card']))
      return { errcode: 40058, errmsg: 'button or template_card required' };
    usedResponseCodes.add(code);
    cardUpdates.push({ body, at: now() });
    return { errcode: 0, errmsg: 'ok', invaliduser: [] };
  }

  async function handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const url = new URL(req.url ?? '/', 'http://127.0.0.1');
    const path = normalizePath(url.pathname);
    const chunks: Buffer[] = [];
    for await (const chunk of req) chunks.push(Buffer.isBuffer(chunk) ? chunk : Buffer.from(String(chunk)));
    const raw = Buffer.concat(chunks).toString('utf8');
    const reply = (status: number, json: unknown): void => {
      if (res.destroyed) return;
      res.writeHead(status, { 'content-type': 'application/json' }).end(JSON.stringify(json));
    };

    const route =
      req.method === 'GET' && path === 'gettoken'
        ? 'gettoken'
        : req.method === 'POST' && POST_PATHS.has(path)
          ? path
          : null;
    if (route === null) return reply(404, { errcode: 404, errmsg: 'not found' });
    if (route === 'gettoken') tokenCalls++;
    else if (route === 'message/send') sendCalls++;
    else if (route === 'message/update_template_card') updateCalls++;

    const random = randomFaultsByPath.get(route);
    const drawn =
      random && random.next() < random.rate
        ? random.faults[Math.floor(random.next() * random.faults.length)]
        : undefined;
    const queued = faults.get(route)?.shift() ?? drawn;
    const fault = queued && 'pass' in queued ? undefined : queued;
    const logged =
      route === 'message/send' ? { at: now(), errcode: null as number | null, touser: touserOf(raw) } : null;
    if (logged) {
      sendLog.push(logged);
      sendRaw.push(raw);
    }
    if (logged && pendingBlock && pendingBlock.calls-- <= 0) {
      startBlock(pendingBlock.window);
      pendingBlock = null;
    }
    if (logged && now() < blockedUntil) {
      logged.errcode = 45009;
      return reply(200, { errcode: 45009, errmsg: 'api freq out of limit' });
    }
    if (fault && 'errcode' in fault) {
      if (logged) logged.errcode = fault.errcode;
      return reply(200, { errcode: fault.errcode, errmsg: fault.errmsg ?? 'injected' });
    }
    if (fault && 'httpStatus' in fault) return reply(fault.httpStatus, { errmsg: 'injected http status' });

    const run = (): Record<string, unknown> => {
      if (route === 'gettoken') return gettoken(url);
      return tokenError(url.searchParams.get('access_token')) ?? handlePost(route, raw);
    };
    const runLogged = (): Record<string, unknown> => {
      const result = run();
      if (logged) logged.errcode = typeof result['errcode'] === 'number' ? result['errcode'] : null;
      return result;
    };
    if (fault && 'hangMs' in fault) {
      const result = fault.apply ? runLogged() : null;
      await later(fault.hangMs);
      if (result === null) {
        res.destroy();
        return;
      }
      return reply(200, result);
    }
    return reply(200, runLogged());
  }

  const server = createServer((req, res) => {
    handle(req, res).catch(() => {
      if (!res.destroyed) res.destroy();
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;

  return {
    url: `http://127.0.0.1:${port}`,
    get tokenCalls() {
      return tokenCalls;
    },
    get sendCalls() {
      return sendCalls;
    },
    get updateCalls() {
      return updateCalls;
    },
    get currentToken() {
      return currentToken;
    },
    deliveries,
    cardUpdates,
    sendBodies,
    sendLog,
    sendRaw,
    randomFaults(path, o) {
      randomFaultsByPath.set(normalizePath(path), {
        rate: o.rate,
        next: mulberry32(o.seed),
        faults: o.faults,
      });
    },
    blockSends(window, o = {}) {
      if ((o.afterCalls ?? 0) > 0) pendingBlock = { window, calls: o.afterCalls ?? 0 };
      else startBlock(window);
    },
    deliveriesTo: (userid) => deliveries.filter((d) => d.touser.toLowerCase() === userid.toLowerCase()),
    cardUpdatesFor: (userid) =>
      cardUpdates.filter((u) => Array.isArray(u.body['userids']) && u.body['userids'].includes(userid)),
    expireResponseCodes(codes) {
      for (const c of codes) expiredResponseCodes.add(c);
    },
    waitForDeliveries(n, timeoutMs) {
      return new Promise<void>((resolve, reject) => {
        const deadline = setTimeout(
          () => reject(new Error(`timed out waiting for ${n} deliveries (have ${deliveries.length})`)),
          timeoutMs,
        );
        const check = (): void => {
          if (deliveries.length >= n) {
            clearTimeout(deadline);
            resolve();
          } else waiters.push(check);
        };
        check();
      });
    },
    setInvalidUsers(userids) {
      invalidUsers = new Set(userids.map((u) => u.toLowerCase()));
    },
    setUnlicensedUsers(userids) {
      unlicensedUsers = new Set(userids.map((u) => u.toLowerCase()));
    },
    injectFaults(path, list) {
      const key = normalizePath(path);
      faults.set(key, [...(faults.get(key) ?? []), ...list]);
    },
    clearFaults(path) {
      if (path === undefined) faults.clear();
      else faults.delete(normalizePath(path));
    },
    expireToken() {
      if (currentToken !== null) expiredTokens.add(currentToken);
      currentToken = null;
    },
    kf,
    async close() {
      for (const t of timers) clearTimeout(t);
      timers.clear();
      server.closeAllConnections();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}
