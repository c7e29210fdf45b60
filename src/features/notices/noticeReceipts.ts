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
  /** Cards not yet out because WeCom's quota blocks the app (45009): they wait, pending, until `until`. */
  paused: { reason: 'quota'; until: Date } | null;
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
  const counts = countReceipts(recipients);
  return {
    notice,
    counts,
    recipients,
    paused: counts.delivery.pending > 0 ? await quotaPause(db, noticeId) : null,
  };
}

/** A notice's batches are outbox rows labelled `@notice:<id>:<batch>` (broadcastNotice.ts); one held by 45009? */
async function quotaPause(db: Database, noticeId: number): Promise<NoticeReceipts['paused']> {
  for (let batch = 0; ; batch++) {
    const [row] = await db.outbox.listForUser(`@notice:${noticeId}:${batch}`, 0, 1);
    if (!row) return null;
    if (row.status === 'pending' && row.lastErrcode === 45009)
      return { reason: 'quota', until: row.nextAttemptAt };
  }
}

/** What 通知统计 may take of a 2048-byte WeCom text, leaving room for the question the flow asks after it. */
export const RECEIPTS_TEXT_BYTES = 1600;

/**
 * 通知统计 for staff in chat: counts, then who comes, who is on leave (with reason), who has not answered and who
 * was not reached — the name lists share what is left of RECEIPTS_TEXT_BYTES, a list cut short says how many more.
 */
export function formatReceiptsText(r: NoticeReceipts, now: Date): string {
  const { notice, counts } = r;
  const head = [
    `《${notice.title}》（${notice.kind}，${formatShanghai(notice.startsAt)}，${notice.place}）`,
    `发送对象：${describeAudience(notice.audience)}，共 ${counts.total} 人` +
      (counts.delivery.failed > 0 ? `（${counts.delivery.failed} 人未送达）` : ''),
    `${ANSWER_LABELS.attend} ${counts.attend} 人，${ANSWER_LABELS.leave} ${counts.leave} 人，未回复 ${counts.noAnswer} 人` +
      `（回执${now.getTime() > notice.replyBy.getTime() ? '已截止' : `截止 ${formatShanghaiShort(notice.replyBy)}`}）`,
  ];
  const why = (e: string | null): string => DELIVERY_ERROR_LABELS[e ?? ''] ?? e ?? '原因不明';
  const lists: { label: string; names: string[] }[] = [
    {
      label: ANSWER_LABELS.attend,
      names: r.recipients.filter((x) => x.answer === 'attend').map((x) => x.name),
    },
    {
      label: ANSWER_LABELS.leave,
      names: r.recipients
        .filter((x) => x.answer === 'leave')
        .map((x) => (x.reason ? `${x.name}（${x.reason}）` : x.name)),
    },
    { label: '未回复', names: r.recipients.filter((x) => x.answer === null).map((x) => x.name) },
    {
      label: '未送达',
      names: r.recipients
        .filter((x) => x.delivery === 'failed')
        .map((x) => `${x.name}（${why(x.deliveryError)}）`),
    },
  ].filter((l) => l.names.length > 0);
  let budget = RECEIPTS_TEXT_BYTES - Buffer.byteLength(head.join('\n'));
  const lines = [...head];
  lists.forEach((l, i) => {
    // An even share of what is left; what a short list does not use goes to the lists after it.
    const share = Math.floor(budget / (lists.length - i));
    const line = nameLine(l.label, l.names, share);
    budget -= Buffer.byteLength(line) + 1;
    lines.push(line);
  });
  return lines.join('\n');
}

/** 「参加：张三、李四」, or as many names as fit in `maxBytes` and 「……等 12 人（完整名单请导出）」. */
function nameLine(label: string, names: readonly string[], maxBytes: number): string {
  const full = `${label}：${names.join('、')}`;
  if (Buffer.byteLength(full) <= maxBytes) return full;
  let line = `${label}：`;
  let shown = 0;
  for (const name of names) {
    const more = `${shown === 0 ? '' : '、'}${name}`;
    const tail = `……等 ${names.length} 人（完整名单请导出）`;
    if (Buffer.byteLength(line + more + tail) > maxBytes) break;
    line += more;
    shown += 1;
  }
  return `${line}……等 ${names.length} 人（完整名单请导出）`;
}

/** Why a card did not reach a member, in the words staff use. */
const DELIVERY_ERROR_LABELS: Record<string, string> = {
  invaliduser: '账号无效或已离职',
  unlicenseduser: '未开通企业微信许可',
};
