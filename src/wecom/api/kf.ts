import { z } from 'zod';
import type { WecomClient } from './client.js';

/**
 * 微信客服 (kf) calls (doc 94670 sync_msg, 94677 send_msg, 95122 send_msg_on_event, 94665 add_contact_way). They use
 * the app's access_token. Values stay strings; `origin` and `has_more` are numbers in WeCom's answers.
 */

/** One entry of sync_msg's msg_list. Unknown msgtypes and event types are kept (WeCom adds them over time). */
export const kfSyncedMessage = z.looseObject({
  msgid: z.string().min(1).max(191),
  open_kfid: z.string().default(''),
  external_userid: z.string().default(''),
  send_time: z.number().int().nonnegative(),
  /** 3 customer, 4 system event, 5 a servicer's message sent from the WeCom client. */
  origin: z.number().int(),
  servicer_userid: z.string().optional(),
  msgtype: z.string(),
  text: z.looseObject({ content: z.string().default(''), menu_id: z.string().optional() }).optional(),
  event: z
    .looseObject({
      event_type: z.string(),
      open_kfid: z.string().optional(),
      external_userid: z.string().optional(),
      scene: z.string().optional(),
      scene_param: z.string().optional(),
      welcome_code: z.string().optional(),
      fail_msgid: z.string().optional(),
      fail_type: z.number().optional(),
    })
    .optional(),
});
export type KfSyncedMessage = z.infer<typeof kfSyncedMessage>;

const syncResponse = z.looseObject({
  next_cursor: z.string().default(''),
  has_more: z.number().int().default(0),
  msg_list: z.array(z.unknown()).default([]),
});

export interface KfSyncPage {
  nextCursor: string;
  hasMore: boolean;
  /** Entries that parse; `skipped` counts the ones that do not (logged by the caller, never fatal). */
  messages: KfSyncedMessage[];
  skipped: number;
}

/** kf/send_msg and kf/send_msg_on_event bodies, without touser / open_kfid / msgid / code. */
export type KfOutbound =
  | { msgtype: 'text'; text: { content: string } }
  | {
      msgtype: 'msgmenu';
      msgmenu: {
        head_content?: string;
        list: { type: 'click'; click: { id: string; content: string } }[];
        tail_content?: string;
      };
    };

export interface KfApi {
  syncMsg(input: { openKfid: string; cursor: string; token?: string; limit?: number }): Promise<KfSyncPage>;
  sendMsg(input: {
    touser: string;
    openKfid: string;
    msgid: string;
    message: KfOutbound;
  }): Promise<{ msgid: string | null }>;
  sendMsgOnEvent(input: {
    code: string;
    msgid: string;
    message: KfOutbound;
  }): Promise<{ msgid: string | null }>;
  addContactWay(input: { openKfid: string; scene: string }): Promise<{ url: string }>;
}

const sendResponse = z.looseObject({ msgid: z.string().optional() });
const contactWayResponse = z.looseObject({ url: z.string().min(1) });

/** The kf calls over the typed client (tokens, errcodes and their errors are the client's). */
export function createKfApi(client: Pick<WecomClient, 'call'>): KfApi {
  return {
    async syncMsg(input) {
      const body = {
        cursor: input.cursor,
        ...(input.token ? { token: input.token } : {}),
        limit: input.limit ?? 1000,
        voice_format: 0,
        open_kfid: input.openKfid,
      };
      const res = await client.call('kf/sync_msg', body, syncResponse);
      const messages: KfSyncedMessage[] = [];
      let skipped = 0;
      for (const raw of res.msg_list) {
        const parsed = kfSyncedMessage.safeParse(raw);
        if (parsed.success) messages.push(parsed.data);
        else skipped += 1;
      }
      return { nextCursor: res.next_cursor, hasMore: res.has_more === 1, messages, skipped };
    },
    async sendMsg(input) {
      const res = await client.call(
        'kf/send_msg',
        { touser: input.touser, open_kfid: input.openKfid, msgid: input.msgid, ...input.message },
        sendResponse,
      );
      return { msgid: res.msgid ?? null };
    },
    async sendMsgOnEvent(input) {
      const res = await client.call(
        'kf/send_msg_on_event',
        { code: input.code, msgid: input.msgid, ...input.message },
        sendResponse,
      );
      return { msgid: res.msgid ?? null };
    },
    async addContactWay(input) {
      const res = await client.call(
        'kf/add_contact_way',
        { open_kfid: input.openKfid, scene: input.scene },
        contactWayResponse,
      );
      return { url: res.url };
    },
  };
}

/** kf error codes (doc 94677 / error-code list): the 5-message cap, the 48 h window, a session that forbids it. */
export const KF_QUOTA_ERRCODE = 95001;
export const KF_WINDOW_ERRCODE = 95002;
export const KF_SESSION_ERRCODE = 95018;
/**
 * What kf/send_msg answers when its `msgid` was used before in the 客服账号 (doc 94677: "msgid 在客服账号下唯一").
 * The docs name no dedicated code for it: 40058 is WeCom's generic "invalid parameter", so the deliverer takes it as
 * "already delivered" only for a resend of a part that may have reached WeCom before (see deliverWecomKf.ts).
 */
export const KF_DUPLICATE_MSGID_ERRCODE = 40058;
