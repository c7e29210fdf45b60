import type { Change, Database, Member } from '../../core/ports.js';
import { proposalStore } from './proposalStore.js';

const PATTERN = /^(同意|不同意|谢绝|拒绝)联名\s*(?:〔\d{4}〕)?第?0*(\d+)号?$/;

/**
 * 联名确认: an invited co-signer answers 「同意联名 12」 or 「不同意联名 12」. Returns null when the text is not such an
 * answer. A member who was not invited gets the same answer as for a proposal that does not exist.
 */
export async function respondCosign(
  db: Database,
  member: Member,
  text: string,
  now: Date,
): Promise<{ changes: Change[]; reply: string } | null> {
  const m = PATTERN.exec(text.trim().replace(/\s+/g, ' '));
  if (!m) return null;
  const accept = m[1] === '同意';
  const seq = Number(m[2]);
  const candidates = (await proposalStore(db).listForMember(member.userId)).filter(
    (p) => p.seq === seq && p.ownerId !== member.userId,
  );
  for (const p of candidates) {
    const me = (await proposalStore(db).cosigners(p.id)).find((c) => c.userId === member.userId);
    if (!me) continue;
    if (me.status !== 'invited') {
      return {
        changes: [],
        reply: `您已${me.status === 'accepted' ? '同意' : '谢绝'}联名提案 ${p.number}，无需重复回复。`,
      };
    }
    const owner = await db.members.get(p.ownerId);
    const changes: Change[] = [
      {
        type: 'cosigner.respond',
        proposalId: p.id,
        userId: member.userId,
        status: accept ? 'accepted' : 'declined',
        at: now,
      },
    ];
    if (owner) {
      changes.push({
        type: 'outbox.add',
        at: now,
        message: {
          dedupKey: `cosign:${p.id}:${member.userId}:${accept ? 'yes' : 'no'}`,
          toUser: owner.userId,
          message: {
            msgtype: 'text',
            text: {
              content: `${member.name}委员${accept ? '同意' : '谢绝'}联名您的提案 ${p.number}《${p.title}》。`,
            },
          },
        },
      });
    }
    return {
      changes,
      reply: accept
        ? `已确认联名提案 ${p.number}《${p.title}》，谢谢！`
        : `已记录您谢绝联名提案 ${p.number}。`,
    };
  }
  return { changes: [], reply: `没有找到邀请您联名的第 ${seq} 号提案。请核对编号后重试。` };
}
