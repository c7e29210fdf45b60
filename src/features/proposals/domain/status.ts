/**
 * The statuses a proposal moves through: the codes as stored, and the words members see. The one
 * list: the ports, both database enums (db/types.ts) and the labels all derive from it, so adding a status here
 * fails `tsc` until it has a label.
 */
export const PROPOSAL_STATUSES = [
  'submitted',
  'under_review',
  'returned',
  'withdrawn',
  'merged',
  'not_registered',
  'converted',
  'registered',
  'assigned',
  'return_requested',
  'in_progress',
  'reply_review',
  'replied',
  'rehandling',
  'closed',
] as const;
export type ProposalStatus = (typeof PROPOSAL_STATUSES)[number];

/** The labels members see. */
export const PROPOSAL_STATUS_LABELS: Readonly<Record<ProposalStatus, string>> = {
  submitted: '已提交，待审查',
  under_review: '审查中',
  returned: '退回修改',
  withdrawn: '已撤回',
  merged: '已并案',
  not_registered: '不予立案',
  converted: '已转社情民意',
  registered: '已立案',
  assigned: '已交办',
  return_requested: '承办单位申请退回',
  in_progress: '办理中',
  reply_review: '答复审核中',
  replied: '已答复，待评价',
  rehandling: '重新办理中',
  closed: '已办结',
};
