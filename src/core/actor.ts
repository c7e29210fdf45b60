import type { TriggerRole } from '../flows/index.js';
import type { Member } from './ports.js';

/** The channel a conversation runs on: the WeCom app (members, staff, units) or 微信客服 (citizens). */
export type ChannelId = string;

export const WECOM_APP: ChannelId = 'wecom-app';
export const WECOM_KF: ChannelId = 'wecom-kf';

/**
 * Who a conversation is with: an id on a channel, and the directory entry when the person is a registered member
 * (members, staff and units are; citizens are not). A citizen on 微信客服 is their external_userid, with the
 * 客服账号 (`openKfid`) they wrote to.
 */
export interface Actor {
  channel: ChannelId;
  id: string;
  member: Member | null;
  /** 微信客服 only: the 客服账号 the citizen wrote to. */
  openKfid?: string;
}

/** The key of the actor's conversation and locks. WeCom app users keep their plain userid (rows saved before). */
export function actorKey(actor: Pick<Actor, 'channel' | 'id'>): string {
  return actor.channel === WECOM_APP ? actor.id : `${actor.channel}:${actor.id}`;
}

/**
 * Whose flows and routes the actor is offered: staff and members by their directory role; anyone who is not in the
 * directory (only a channel that welcomes strangers lets them in: citizens on 微信客服) is a citizen.
 */
export function roleOf(actor: Pick<Actor, 'member'>): TriggerRole {
  const role = actor.member?.role;
  if (role === undefined) return 'citizen';
  // 督办领导 start members' flows; 承办单位 contacts have flows of their own (audience unit).
  return role === 'staff' || role === 'unit' ? role : 'member';
}
