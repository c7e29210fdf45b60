import { z } from 'zod';
import { defineEffect } from './defineEffect.js';

/**
 * `members.search`, emitted by the flow engine's member steps (联名提案人, 指定委员): active members whose name
 * contains the text, or whose userid is it, never the one asking; at most 9 (one screen of choices). With `role`
 * (the step's `searchRole`), only people of that role: co-signers are members, never staff.
 */
export const membersSearchEffect = defineEffect({
  type: 'members.search',
  payload: z.object({ query: z.string(), role: z.enum(['member', 'staff']).optional() }),
  result: z.object({
    members: z.array(z.object({ userId: z.string(), name: z.string(), dept: z.string().optional() })),
  }),
  async run(payload, ctx) {
    const q = payload.query.trim();
    if (!q) return { data: { members: [] } };
    const all = await ctx.db.members.list();
    const members = all
      .filter((m) => m.active && m.userId !== ctx.actor.id && (m.name.includes(q) || m.userId === q))
      .filter((m) => payload.role === undefined || m.role === payload.role)
      .slice(0, 9)
      .map((m) => ({ userId: m.userId, name: m.name, ...(m.sector ? { dept: m.sector } : {}) }));
    return { data: { members } };
  },
});
