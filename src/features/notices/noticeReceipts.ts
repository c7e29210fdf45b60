import { ANSWER_LABELS, describeAudience, formatShanghai, formatShanghaiShort } from './domain/index.js';
import type { Database } from '../../core/ports.js';
import type { Notice, NoticeDelivery, NoticeRecipient } from './ports.js';
import { noticeStore } from './noticeStore.js';

export interface ReceiptCounts {
  total: number;
  attend: number;
  leave: number;
  noAnswer: number;
  delivery: Record<NoticeDelivery, number>;
}

export interface NoticeReceipts {
  notice: Notice;
  counts: ReceiptCounts;
  recipients: NoticeRecipient[];
}

export const DELIVERY_LABELS: Record<NoticeDelivery, string> = {
  pending: '发送中',
  sent: '已送达',
  failed: '未送达',
};

export function countReceipts(recipients: readonly NoticeRecipient[]): ReceiptCounts {
  const counts: ReceiptCounts = {
    total: recipients.length,
    attend: 0,
    leave: 0,
    noAnswer: 0,
    delivery: { pending: 0, sent: 0, failed: 0 },
  };
  for (const r of recipients) {
    if (r.answer === 'attend') counts.attend += 1;
    else if (r.answer === 'leave') counts.leave += 1;
    else counts.noAnswer += 1;
    counts.delivery[r.delivery] += 1;
  }
  return counts;
}

export async function noticeReceipts(db: Database, noticeId: number): Promise<NoticeReceipts | null> {
  const notice = await noticeStore(db).get(noticeId);
  if (!notice) return null;
  const recipients = await noticeStore(db).recipients(noticeId);
  return { notice, counts: countReceipts(recipients), recipients };
}

/** 通知统计 for staff in chat: counts, who is on leave (with reason), who has not answered. */
export function formatReceiptsText(r: NoticeReceipts, now: Date): string {
  const { notice, counts } = r;
  const names = (list: NoticeRecipient[]): string => list.map((x) => x.name).join('、');
  const onLeave = r.recipients.filter((x) => x.answer === 'leave');
  const silent = r.recipients.filter((x) => x.answer === null);
  const lines = [
    `《${notice.title}》（${notice.kind}，${formatShanghai(notice.startsAt)}，${notice.place}）`,
    `发送对象：${describeAudience(notice.audience)}，共 ${counts.total} 人` +
      (counts.delivery.failed > 0 ? `（${counts.delivery.failed} 人未送达）` : ''),
    `${ANSWER_LABELS.attend} ${counts.attend} 人，${ANSWER_LABELS.leave} ${counts.leave} 人，未回复 ${counts.noAnswer} 人` +
      `（回执${now.getTime() > notice.replyBy.getTime() ? '已截止' : `截止 ${formatShanghaiShort(notice.replyBy)}`}）`,
  ];
  if (onLeave.length > 0)
    lines.push(`请假：${onLeave.map((x) => (x.reason ? `${x.name}（${x.reason}）` : x.name)).join('、')}`);
  if (silent.length > 0) lines.push(`未回复：${truncateNames(names(silent), 600)}`);
  const undelivered = r.recipients.filter((x) => x.delivery === 'failed');
  if (undelivered.length > 0) {
    const why = (e: string | null): string => DELIVERY_ERROR_LABELS[e ?? ''] ?? e ?? '原因不明';
    lines.push(
      `未送达：${truncateNames(undelivered.map((x) => `${x.name}（${why(x.deliveryError)}）`).join('、'), 400)}`,
    );
  }
  return lines.join('\n');
}

/** Keeps the text under WeCom's 2048-byte limit with large audiences. */
function truncateNames(text: string, maxChars: number): string {
  const chars = [...text];
  return chars.length <= maxChars ? text : `${chars.slice(0, maxChars).join('')}……（完整名单请导出）`;
}

/** Why a card did not reach a member, in the words staff use. */
const DELIVERY_ERROR_LABELS: Record<string, string> = {
  invaliduser: '账号无效或已离职',
  unlicenseduser: '未开通企业微信许可',
};
