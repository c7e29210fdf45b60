/**
 * One staff action on a report, the same for chat and the admin API: who may, what it changes, and the reporter's
 * notice. The notice is an outbox row keyed by the report and the event's seq, committed with the action: told
 * exactly once. A citizen is told on their channel while their reply window (48 h since they last wrote) is open;
 * otherwise the event waits, and the citizen hears of it the next time they write (routes.ts).
 */
import type { Change, Database } from '../../core/ports.js';
import {
  decide,
  LEVEL_BODY,
  SENTIMENT_STATE_LABELS,
  type ActorRole,
  type ReviewRequest,
} from './domain/index.js';
import { formatShanghaiDate } from '../../shared/chinaTime.js';
import type { Report, ReportEvent, TellStatus } from './ports.js';
import { sentimentStore } from './sentimentStore.js';

/** How long after a citizen's last message the 微信客服 channel lets us write to them. */
export const CITIZEN_WINDOW_MS = 48 * 3600_000;

export type ReviewOutcome =
  | { ok: true; report: Report; event: Omit<ReportEvent, 'reportId' | 'at'>; changes: Change[] }
  | { ok: false; code: 'not_found' | 'forbidden' | 'conflict'; reason: string };

export async function reviewReport(
  db: Database,
  args: { reportId: number; request: ReviewRequest; actorId: string; now: Date },
): Promise<ReviewOutcome> {
  const store = sentimentStore(db);
  const report = await store.get(args.reportId);
  if (!report) return { ok: false, code: 'not_found', reason: '没有这条社情民意信息。' };
  const actor = await db.members.get(args.actorId);
  const role: ActorRole = actor?.active ? (actor.role === 'staff' ? 'staff' : 'member') : 'citizen';
  const decision = decide(report, args.request, role);
  if (!decision.ok) return { ok: false, code: decision.code, reason: decision.reason };
  const seq = (await store.events(report.id)).reduce((n, e) => Math.max(n, e.seq), 0) + 1;
  const r = args.request;
  const detail: Record<string, string> = Object.fromEntries(
    Object.entries(r).filter(([k, v]) => k !== 'action' && typeof v === 'string') as [string, string][],
  );
  const text = noticeText(report, r);
  const citizen = report.source === 'citizen';
  const final = decision.next === 'kept' || decision.next === 'handled';
  let tell: TellStatus = 'queued';
  const changes: Change[] = [];
  if (citizen) {
    const open =
      report.replyTo !== null &&
      report.lastSeenAt !== null &&
      args.now.getTime() - report.lastSeenAt.getTime() < CITIZEN_WINDOW_MS;
    tell = report.replyTo === null ? 'none' : open ? 'queued' : 'waiting';
    if (open && report.replyTo)
      changes.push({
        type: 'outbox.add',
        at: args.now,
        message: {
          dedupKey: `sentiment:${report.id}:${seq}`,
          toUser: report.replyTo,
          channel: report.replyChannel ?? 'wecom-kf',
          message: { msgtype: 'text', text: { content: text } },
        },
      });
  } else {
    changes.push({
      type: 'outbox.add',
      at: args.now,
      message: {
        dedupKey: `sentiment:${report.id}:${seq}`,
        toUser: report.reporterId,
        message: { msgtype: 'text', text: { content: text } },
      },
    });
  }
  const event: Omit<ReportEvent, 'reportId' | 'at'> = {
    seq,
    action: r.action,
    state: decision.next,
    actorId: args.actorId,
    summary: decision.summary,
    detail,
    tell,
  };
  changes.unshift({
    type: 'sentiment.act',
    reportId: report.id,
    expected: report.state,
    update: {
      state: decision.next,
      level: decision.level,
      ...(r.action === 'adopt' ? { adoptionMode: r.mode } : {}),
      ...(r.action === 'forward' ? { forwardUnit: r.unit, forwardDue: r.dueDate } : {}),
      instructionsDelta: r.action === 'instruct' ? 1 : 0,
      // A citizen's raw id is forgotten once the last outcome has gone out.
      clearReplyTo: citizen && final && tell === 'queued',
    },
    event,
    at: args.now,
  });
  return { ok: true, report, event, changes };
}

/** What the reporter is told of one action. */
export function noticeText(report: Report, r: ReviewRequest): string {
  const what =
    report.source === 'citizen'
      ? `您于 ${formatShanghaiDate(report.submittedAt)} 留言反映的问题`
      : `您反映的社情民意《${report.title}》（${report.number}）`;
  switch (r.action) {
    case 'adopt':
      return report.source === 'citizen'
        ? `【县政协】${what}已被采纳，编入社情民意信息报送。感谢您的反映！`
        : `【社情民意】${what}已被${r.level}级${r.mode}采用。感谢您的履职！`;
    case 'keep':
      return `【${tag(report)}】${what}经审核暂未采用，已留存备查。感谢您的反映。`;
    case 'return':
      return `【社情民意】${what}被退回修改，原因：${r.reason}\n请修改后发送「反映社情民意」重新报送。`;
    case 'instruct':
      return `【${tag(report)}】${what}获得领导批示（${r.by}）：${r.text}`;
    case 'report_up':
      return `【${tag(report)}】${what}已报送${LEVEL_BODY[r.level]}。`;
    case 'forward':
      return `【${tag(report)}】${what}已转${r.unit}办理，要求 ${r.dueDate} 前办结。`;
    case 'forward_result':
      return `【${tag(report)}】${what}已办理，结果：${r.text}`;
  }
}

const tag = (report: Report): string => (report.source === 'citizen' ? '县政协' : '社情民意');

/** One line for lists: number, title, state. */
export function reportLine(r: Report): string {
  return `${r.number}《${r.title}》— ${SENTIMENT_STATE_LABELS[r.state]}`;
}
