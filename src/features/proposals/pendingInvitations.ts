import type { Actor } from '../../core/actor.js';
import type { Database } from '../../core/ports.js';
import { proposalStore } from './proposalStore.js';

/** Co-sign invitations the member has not answered yet. */
export async function pendingInvitations(actor: Actor, db: Database): Promise<string[]> {
  const member = actor.member;
  if (!member) return [];
  const store = proposalStore(db);
  const lines: string[] = [];
  for (const p of await store.listForMember(member.userId)) {
    if (p.ownerId === member.userId) continue;
    const me = (await store.cosigners(p.id)).find((c) => c.userId === member.userId);
    if (me?.status !== 'invited') continue;
    lines.push(
      `联名邀请：${p.number}《${p.title}》待您确认：回复「同意联名 ${p.seq}」或「不同意联名 ${p.seq}」`,
    );
  }
  return lines;
}
