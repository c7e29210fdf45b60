/**
 * A member's recorded duties of a year, read where they happen — notices (回执 and whether the meeting has taken
 * place), proposals (first proposer or accepted co-signer; 立案, 重点, 优秀), 社情民意 (reported or joined; 采用 level;
 * 批示) —
 * through those features' public exports. Nothing is copied: the record is always the features' own data.
 */
import type { Database, Member } from '../../core/ports.js';
import { shanghaiParts } from '../../shared/chinaTime.js';
import { noticeStore } from '../notices/index.js';
import { proposalStore } from '../proposals/index.js';
import { sentimentStore } from '../sentiment/index.js';
import { dutyStore } from './dutyStore.js';
import { DUTY_ITEMS, type DutyCounts, type DutyItem } from './domain/index.js';

/** Proposal statuses from 立案 on. */
const FILED: readonly string[] = ['registered', 'assigned', 'in_progress', 'replied', 'rehandling', 'closed'];
const ADOPTED = ['adopted', 'reported', 'forwarded', 'handled'] as const;
const LEVEL_ITEM = {
  县: 'sentiment_adopted_county',
  市: 'sentiment_adopted_city',
  省: 'sentiment_adopted_province',
  全国: 'sentiment_adopted_national',
} as const satisfies Record<string, DutyItem>;

/** One recorded duty, for the 履职档案 (what happened, when). */
export interface DutyEntry {
  item: DutyItem;
  what: string;
  at: Date;
}

export interface DutyRecord {
  counts: DutyCounts;
  entries: DutyEntry[];
}

/** How many notices of a member are looked at (a member gets far fewer in a year). */
const NOTICE_LIMIT = 500;

export async function dutyRecord(
  db: Database,
  member: Pick<Member, 'userId'>,
  year: number,
  now: Date,
): Promise<DutyRecord> {
  const counts = Object.fromEntries(DUTY_ITEMS.map((k) => [k, 0])) as Record<DutyItem, number>;
  const entries: DutyEntry[] = [];
  const add = (item: DutyItem, what: string, at: Date, times = 1): void => {
    counts[item] += times;
    entries.push({ item, what, at });
  };

  // A meeting that has taken place: 出席 / 缺席 as marked (staff, or the member's 签到) wins over the 回执.
  const notices = noticeStore(db);
  const marked = await dutyStore(db).attendanceOf(member.userId);
  for (const n of await notices.listForMember(member.userId, NOTICE_LIMIT)) {
    if (shanghaiParts(n.startsAt).year !== year || n.startsAt > now) continue;
    const r = await notices.recipient(n.id, member.userId);
    if (!r) continue;
    const attendance = marked.get(n.id);
    if (attendance?.status === 'present')
      add(
        'meeting_attend',
        `出席《${n.title}》${attendance.source === 'checkin' ? '（签到）' : ''}`,
        n.startsAt,
      );
    else if (attendance?.status === 'absent' && r.answer !== 'leave')
      add('meeting_absent', `缺席《${n.title}》`, n.startsAt);
    else if (r.answer === 'attend') add('meeting_attend', `参加《${n.title}》（回执）`, n.startsAt);
    else if (r.answer === 'leave') add('meeting_leave', `请假《${n.title}》`, n.startsAt);
    else add('meeting_no_reply', `未回执《${n.title}》`, n.startsAt);
  }

  const proposals = proposalStore(db);
  for (const p of await proposals.listForMember(member.userId)) {
    if (p.year !== year || p.status === 'withdrawn') continue;
    const first = p.ownerId === member.userId;
    if (!first) {
      const mine = (await proposals.cosigners(p.id)).find((c) => c.userId === member.userId);
      if (mine?.status !== 'accepted') continue;
    }
    add(first ? 'proposal_first' : 'proposal_joint', `提案 ${p.number}《${p.title}》`, p.submittedAt);
    if (!FILED.includes(p.status)) continue;
    // The timeline says when it was 立案 and whether (and when) it became 重点 or 优秀.
    const timeline = await proposals.timeline(p.id);
    const when = (kind: string): Date => timeline.filter((e) => e.kind === kind).at(-1)?.at ?? p.updatedAt;
    add(first ? 'proposal_filed_first' : 'proposal_filed_joint', `提案 ${p.number} 立案`, when('register'));
    if (p.keyProposal)
      add(
        first ? 'proposal_key_first' : 'proposal_key_joint',
        `提案 ${p.number} 列为重点提案`,
        when('flag_key'),
      );
    if (timeline.some((e) => e.kind === 'award_excellent'))
      add(
        first ? 'proposal_excellent_first' : 'proposal_excellent_joint',
        `提案 ${p.number} 评为优秀提案`,
        when('award_excellent'),
      );
  }

  for (const r of await sentimentStore(db).listForReporter(member.userId)) {
    if (r.year !== year || r.state === 'returned') continue;
    add('sentiment_submitted', `社情民意 ${r.number}《${r.title}》`, r.submittedAt);
    if (ADOPTED.some((s) => s === r.state) && r.level)
      add(LEVEL_ITEM[r.level], `${r.number} ${r.level}级采用`, r.updatedAt);
    if (r.instructions > 0)
      add('sentiment_instruction', `${r.number} 获领导批示`, r.updatedAt, r.instructions);
  }
  entries.sort((a, b) => a.at.getTime() - b.at.getTime());
  return { counts, entries };
}
