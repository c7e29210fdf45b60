import type { Member } from './ports.js';

/** The channel a conversation runs on: the WeCom app (members, staff, units) today; 微信客服 (citizens) next. */
export type ChannelId = string;

export const WECOM_APP: ChannelId = 'wecom-app';

/**
 * Who a conversation is with: an id on a channel, and the directory entry when the person is a registered member
 * (members, staff and units are; citizens are not).
 */
export interface Actor {
  channel: ChannelId;
  id: string;
  member: Member | null;
}

/** The key of the actor's conversation and locks. WeCom app users keep their plain userid (rows saved before). */
export function actorKey(actor: Pick<Actor, 'channel' | 'id'>): string {
  return actor.channel === WECOM_APP ? actor.id : `${actor.channel}:${actor.id}`;
}

/**
 * Whose flows a person may start: staff flows for staff, the units' flows (audience unit) for 承办单位 contacts;
 * 督办领导 and members start members' flows.
 */
export function flowRole(actor: Pick<Actor, 'member'>): 'member' | 'staff' | 'unit' {
  const role = actor.member?.role;
  return role === 'staff' || role === 'unit' ? role : 'member';
}
