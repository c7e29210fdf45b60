/**
 * 履职积分 rules: how many points each kind of duty is worth, the cap per item, the minimum duties of a year and the
 * 退出关 threshold. Staff edit them in a YAML file (flows/duties/points.yaml; flows/duties/examples/ shows another county's);
 * points are always computed from the recorded duties and the rules in force, so a change of rules recomputes them.
 */
import { z } from 'zod';

/** Every kind of duty the app records, in the order the breakdown lists them. */
export const DUTY_ITEMS = [
  'meeting_attend',
  'meeting_leave',
  'meeting_no_reply',
  'meeting_absent',
  'proposal_first',
  'proposal_joint',
  'proposal_filed_first',
  'proposal_filed_joint',
  'proposal_key_first',
  'proposal_key_joint',
  'proposal_excellent_first',
  'proposal_excellent_joint',
  'sentiment_submitted',
  'sentiment_adopted_county',
  'sentiment_adopted_city',
  'sentiment_adopted_province',
  'sentiment_adopted_national',
  'sentiment_instruction',
] as const;
export type DutyItem = (typeof DUTY_ITEMS)[number];

export const DUTY_ITEM_LABELS: Readonly<Record<DutyItem, string>> = {
  meeting_attend: '会议活动出席',
  meeting_leave: '会议活动（请假）',
  meeting_no_reply: '会议活动（未回执）',
  meeting_absent: '会议活动缺席（未请假）',
  proposal_first: '提交提案（第一提案人）',
  proposal_joint: '提交提案（联名）',
  proposal_filed_first: '提案立案（第一提案人）',
  proposal_filed_joint: '提案立案（联名）',
  proposal_key_first: '重点提案（第一提案人）',
  proposal_key_joint: '重点提案（联名）',
  proposal_excellent_first: '优秀提案（第一提案人）',
  proposal_excellent_joint: '优秀提案（联名）',
  sentiment_submitted: '报送社情民意',
  sentiment_adopted_county: '社情民意县级采用',
  sentiment_adopted_city: '社情民意市级采用',
  sentiment_adopted_province: '社情民意省级采用',
  sentiment_adopted_national: '社情民意全国采用',
  sentiment_instruction: '社情民意获领导批示',
};

const Rule = z.strictObject({
  /** Points per occurrence (negative for a deduction). */
  points: z.number().min(-100).max(100),
  /** At most this many points from the item in a year (absolute value for deductions). */
  cap: z.number().positive().max(1000).optional(),
});

export const PointsRulesSchema = z.strictObject({
  /** What the rules are, shown to staff (e.g. 县政协委员履职积分办法（2026）). */
  name: z.string().min(1).max(60),
  items: z.partialRecord(z.enum(DUTY_ITEMS), Rule),
  /** The duties a member should do each year; unmet ones are listed in 我的履职 and 履职统计. */
  minimums: z
    .strictObject({
      meetings: z.number().int().min(0).optional(),
      proposals: z.number().int().min(0).optional(),
      sentiment: z.number().int().min(0).optional(),
    })
    .optional(),
  /** 退出关: members with fewer points than this in a year are listed for staff. */
  exitBelowPoints: z.number().min(0).optional(),
  /** 退出关: members with this many 无故缺席 (absent, not on leave) or more in a year are listed too. */
  exitAbsentAtLeast: z.number().int().min(1).max(100).optional(),
});
export type PointsRules = z.infer<typeof PointsRulesSchema>;
