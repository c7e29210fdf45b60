import { normalizeWidth } from '../../flows/normalize.js';
import { assertNever } from '../../shared/errors.js';
import type { Change, Database, Member } from '../../core/ports.js';
import type { CosignerStatus, Proposal, ProposalStatus } from './ports.js';
import { proposalStore } from './proposalStore.js';

/**
 * 「同意联名 12」「不同意联名 第12号」「同意联名」「同意」: the verb, whether 联名 was said, and the number if any. Full-width
 * digits and spaces are normalised first (「不同意联名３」).
 */
const PATTERN = /^(同意|不同意|谢绝|拒绝)(联名)?(?:提案)?(?:〔\d{4}〕)?(?:第)?(?:0*(\d+))?(?:号)?(?:提案)?$/;

/**
 * Until the proposal is 立案 a co-signer who declined may still agree (the co-signers are fixed at registration);
 * after that the proposer has to sort it out with the committee.
 */
const OPEN_FOR_COSIGNING: readonly ProposalStatus[] = ['submitted', 'under_review', 'returned'];

export interface CosignAnswer {
  changes: Change[];
  reply: string;
}

/**
 * 联名确认: an invited co-signer answers 「同意联名 12」 or 「不同意联名 12」; without a number the one pending invitation is
 * meant (several → the member is asked which). A bare 「同意」/「不同意」 is taken only when `bare` allows it (nothing
 * else is going on) and an invitation is pending. Returns null when the text is not such an answer. A member who
 * was not invited gets the same answer as for a proposal that does not exist.
 */
export async function respondCosign(
  db: Database,
  member: Member,
  text: string,
  now: Date,
  options: { bare: boolean } = { bare: false },
): Promise<CosignAnswer | null> {
  const m = PATTERN.exec(normalizeCosignText(text));
  if (!m) return null;
  const accept = m[1] === '同意';
  const saidCosign = m[2] !== undefined;
  const number = m[3];
  if (!saidCosign && (number !== undefined || !options.bare)) return null;
  const invitations = (await proposalStore(db).invitationsFor(member.userId)).filter(
    (i) => i.proposal.ownerId !== member.userId,
  );

  if (number === undefined) {
    const pending = invitations.filter((i) => i.status === 'invited');
    const only = pending.length === 1 ? pending[0] : undefined;
    if (only) return answer(db, member, only.proposal, accept, now);
    if (!saidCosign) return null; // a bare 同意 with nothing to agree to is not ours
    if (pending.length === 0) return { changes: [], reply: '目前没有等待您回复的联名邀请。' };
    return {
      changes: [],
      reply: [
        `您有 ${pending.length} 件联名邀请待回复：`,
        ...pending.map((i) => `· ${i.proposal.number}《${i.proposal.title}》`),
        `请回复「${accept ? '同意' : '不同意'}联名 编号」，例如「${accept ? '同意' : '不同意'}联名 ${pending[0]?.proposal.seq ?? 1}」。`,
      ].join('\n'),
    };
  }

  const seq = Number(number);
  // The same seq in two years: the newest invitation still waiting wins, else the newest one.
  const same = invitations.filter((i) => i.proposal.seq === seq);
  const chosen = same.find((i) => i.status === 'invited') ?? same[0];
  if (!chosen) return { changes: [], reply: `没有找到邀请您联名的第 ${seq} 号提案。请核对编号后重试。` };
  return answerKnown(db, member, chosen.proposal, chosen.status, accept, now);
}

/** NFKC (full-width digits and brackets), no spaces, no closing punctuation. */
function normalizeCosignText(text: string): string {
  return normalizeWidth(text)
    .replace(/[\s「」“”"']/g, '')
    .replace(/[。.!！~]+$/u, '');
}

function answerKnown(
  db: Database,
  member: Member,
  p: Proposal,
  status: CosignerStatus,
  accept: boolean,
  now: Date,
): Promise<CosignAnswer> | CosignAnswer {
  switch (status) {
    case 'invited':
      return answer(db, member, p, accept, now);
    case 'accepted':
      return {
        changes: [],
        reply: accept
          ? `您已同意联名提案 ${p.number}，无需重复回复。`
          : `您已同意联名提案 ${p.number}《${p.title}》。如需撤回联名，请联系提案人。`,
      };
    case 'declined':
      if (!accept) return { changes: [], reply: `您已谢绝联名提案 ${p.number}，无需重复回复。` };
      if (OPEN_FOR_COSIGNING.includes(p.status)) return answer(db, member, p, true, now, true);
      return {
        changes: [],
        reply: `您已谢绝联名提案 ${p.number}《${p.title}》，该提案已进入立案办理程序，联名人不能再更改。如需改为同意，请联系提案人。`,
      };
    default:
      return assertNever(status, 'status');
  }
}

async function answer(
  db: Database,
  member: Member,
  p: Proposal,
  accept: boolean,
  now: Date,
  changedMind = false,
): Promise<CosignAnswer> {
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
    const verb = changedMind ? '改为同意' : accept ? '同意' : '谢绝';
    changes.push({
      type: 'outbox.add',
      at: now,
      message: {
        dedupKey: `cosign:${p.id}:${member.userId}:${accept ? 'yes' : 'no'}`,
        toUser: owner.userId,
        message: {
          msgtype: 'text',
          text: { content: `${member.name}委员${verb}联名您的提案 ${p.number}《${p.title}》。` },
        },
      },
    });
  }
  return {
    changes,
    reply: accept
      ? `已确认${changedMind ? '（改为同意）' : ''}联名提案 ${p.number}《${p.title}》，谢谢！`
      : `已记录您谢绝联名提案 ${p.number}。`,
  };
}
