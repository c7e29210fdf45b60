/** The Chinese notices of the proposal lifecycle: one text per action and audience. */
import {
  ACTION_LABELS,
  RESULT_CLASS_LABELS,
  type Audience,
  type LifecycleCommand,
} from '../domain/lifecycle.js';
import { PROPOSAL_STATUS_LABELS, type ProposalStatus } from '../domain/status.js';

export interface TextContext {
  number: string;
  title: string;
  to: ProposalStatus;
  /** Who acted, in words (张三 / 县教育局 / 提案委). */
  actorWords: string;
  /** The unit concerned (host for member texts). */
  unit: string | null;
  /** Reply due, evaluation due … */
  dueDate: string | null;
  /** For unit contacts / staff acting for a unit without a contact: 「（代县教育局）」. */
  forUnit: string | null;
  mergedIntoNumber: string | null;
  /** The 社情民意 report a 转社情民意 made. */
  reportNumber: string | null;
  hostUnit: string | null;
  coUnits: string[];
}

function p(c: TextContext): string {
  return `${c.number}《${c.title}》`;
}

function forUnit(c: TextContext): string {
  return c.forUnit === null ? '' : `（代${c.forUnit}处理：该单位暂无企业微信联系人）`;
}

/** The text for one recipient group; null when the action tells this group nothing. */
export function lifecycleText(command: LifecycleCommand, audience: Audience, c: TextContext): string | null {
  const head = `【提案办理】${p(c)}`;
  const status = `当前状态：${PROPOSAL_STATUS_LABELS[c.to]}。`;
  switch (command.action) {
    case 'accept':
      return `${head} 已通过预审，进入立案审查。${status}`;
    case 'register':
      return `${head} 已立案，将交有关承办单位办理。${status}`;
    case 'reject':
      return `${head} 经审查不予立案。理由：${command.ground}${command.note ? `（${command.note}）` : ''}。您的意见可以转为社情民意信息，由政协办公室审核后报送有关方面参考；如同意，请回复「同意转社情民意」。`;
    case 'convert':
      return `${head} 已按您的同意转为社情民意信息${c.reportNumber ? `，编号 ${c.reportNumber}` : ''}，进入社情民意审核；采用等结果会另行告知您，也可发送「我的社情民意」查看。`;
    case 'merge':
      return `${head} 与${c.mergedIntoNumber ?? '另一件提案'}内容相近，已并案办理，今后随该提案一并办理和答复。`;
    case 'return':
      return `${head} 被退回修改。意见：${command.reason}。请发送「写提案」继续修改后重新提交。`;
    case 'resubmit':
      return `${head} 提案人已修改并重新提交，请审查。`;
    case 'withdraw':
      return audience === 'staff' ? `${head} 提案人已撤回。` : `${head} 已由第一提案人撤回。`;
    case 'flag_key':
      return command.key === false ? null : `${head} 已列为重点提案，将重点督办。`;
    case 'award_excellent':
      return `${head} 被评为优秀提案${command.note ? `（${command.note}）` : ''}，计入履职档案。感谢您的履职！`;
    case 'assign':
      if (audience === 'units')
        return `【提案交办】${p(c)} 已交贵单位办理${forUnit(c)}。主办：${c.hostUnit ?? ''}${c.coUnits.length > 0 ? `；会办：${c.coUnits.join('、')}` : ''}。答复期限：${c.dueDate ?? '按规定'}。请及时签收，并在办理前与提案人面商；如不属于贵单位职责，可在规定期限内申请退回。`;
      return `${head} 已交办，主办单位：${c.hostUnit ?? ''}${c.coUnits.length > 0 ? `，会办单位：${c.coUnits.join('、')}` : ''}，答复期限 ${c.dueDate ?? '按规定'}。承办单位将与您面商办理意见。`;
    case 'sign':
      return `${head} ${c.actorWords}已签收，正在办理。`;
    case 'request_return':
      return `【申请退回】${c.actorWords}申请退回 ${p(c)}，理由：${command.reason}。请审批（同意后重新交办，或驳回由原单位办理）。`;
    case 'decide_return':
      if (audience === 'proposer') return `${head} 承办单位已调整，将重新交办。${status}`;
      if (audience === 'host')
        return `【提案交办】${p(c)} 原主办单位申请退回获同意，现改交贵单位主办${forUnit(c)}。答复期限：${c.dueDate ?? '按规定'}。请及时签收，并在办理前与提案人面商。`;
      return command.approve
        ? `【退回申请】${p(c)} 的退回申请已同意${forUnit(c)}，贵单位不再承办。`
        : `【退回申请】${p(c)} 的退回申请未获同意${command.note ? `（${command.note}）` : ''}${forUnit(c)}，请继续办理。`;
    case 'record_meeting':
      return `${head} ${c.actorWords}记录了与您的面商：${command.date}，${command.way}，参加人：${command.participants}。如与实际不符，请告知提案委。`;
    case 'progress':
      return `${head} 办理进展（${c.actorWords}）：${command.note}`;
    case 'co_opinion':
      return `【会办意见】${c.actorWords}对 ${p(c)} 提交了会办意见${forUnit(c)}：${command.text}`;
    case 'reply':
      return `【答复待审核】${c.actorWords}提交了 ${p(c)} 的答复（${RESULT_CLASS_LABELS[command.resultClass]}），请审核。`;
    case 'approve_reply':
      if (audience === 'host') return `${head} 的答复已审核通过并送提案人评价${forUnit(c)}。`;
      return `${head} 承办单位${c.unit ?? ''}已答复。请对办理情况作出评价（满意 / 基本满意 / 不满意），评价截止 ${c.dueDate ?? ''}。`;
    case 'reject_reply':
      return `${head} 的答复未通过审核${forUnit(c)}：${command.reason}。请修改后重新提交答复。`;
    case 'evaluate':
      if (command.rating === '不满意')
        return audience === 'host'
          ? `${head} 提案人对答复不满意${command.comment ? `（${command.comment}）` : ''}，请重新办理${forUnit(c)}，新的答复期限 ${c.dueDate ?? ''}。`
          : `${head} 提案人评价「不满意」${command.comment ? `：${command.comment}` : ''}，已转承办单位重新办理。`;
      return `${head} 提案人评价「${command.rating}」${command.comment ? `：${command.comment}` : ''}，已办结${audience === 'host' ? forUnit(c) : ''}。`;
    case 'close':
      return `${head} 已办结。`;
    case 'confirm_meeting':
      return command.held
        ? null
        : `【面商情况】提案人反映 ${p(c)} 承办单位尚未与其面商${command.note ? `（${command.note}）` : ''}，请及时联系提案人${audience === 'host' ? forUnit(c) : ''}。`;
    case 'urge':
      return `【督办】${p(c)} 请加快办理${forUnit(c)}${command.note ? `：${command.note}` : ''}。`;
    case 'follow_up':
      return `${head} 跟踪问效：${command.note}`;
    case 'evaluation_timeout':
      return audience === 'staff'
        ? `${head} 评价期限已过，按规定视为满意，已办结。`
        : `${head} 评价期限已过，按规定视为满意，已办结。如有意见，请联系提案委。`;
  }
}

export const labelOfAction = (a: LifecycleCommand['action']): string => ACTION_LABELS[a];
