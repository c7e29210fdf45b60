import type { ChoiceOptionDef, StepDef } from './schema.js';
import type { CompiledFlow, FlowState } from './types.js';
import { displayAnswer, renderTemplate } from './templates.js';

/** Stock sentences; a flow overrides some of them under `texts:`. */
export const STOCK = {
  cancelled: '已取消。您已填写的内容已保存为草稿，下次可以继续。',
  exhausted: '多次没能识别您的回答，本次填写先到这里，已填写的内容已保存为草稿。',
  busy: '正在处理上一条请求，请稍候……',
  help: '请直接回复您的答案。可随时发送「返回」回到上一步、「重新开始」从头填写、「取消」退出（内容会保存为草稿）。',
  restarted: '好的，重新开始。',
  actionFailed: '操作没有成功，请稍后再试。已填写的内容已保存为草稿。',
  noPrevious: '已经是第一步了。',
  nothingToKeep: '这一项还没有填写过，请直接回复。',
  summaryHint: '回复「确认」提交；回复「修改 N」修改第 N 项。',
  notEditable: '这一项不能修改。',
  memberNotFound: (q: string) => `没有找到「${q}」，请检查姓名后重新输入。`,
  memberSeveral: (n: number) => `找到 ${n} 位，请回复序号选择（或重新输入姓名）：`,
  memberFailed: '查询委员名单失败，请稍后再试。',
  broken: '抱歉，流程出现了问题，请稍后重新开始。',
  required: '这一题需要回答。',
  skipped: '（未回答）',
} as const;

export type StockKey = 'cancelled' | 'exhausted' | 'busy' | 'help' | 'restarted' | 'actionFailed';

export function stockText(flow: CompiledFlow, key: StockKey): string {
  return flow.def.texts?.[key] ?? STOCK[key];
}

export function renderOptions(options: readonly ChoiceOptionDef[]): string {
  return options.map((o, i) => `${i + 1}. ${o.label}`).join('\n');
}

/** The question of a waiting step as sent: prompt, numbered options, and the value kept so far if any. */
export function renderQuestion(flow: CompiledFlow, state: FlowState, step: StepDef): string {
  if (step.type === 'summary') return renderSummary(flow, state, step.id, step.prompt);
  const prompt =
    'prompt' in step && step.prompt !== undefined ? renderTemplate(step.prompt, state.answers, flow) : '';
  const parts = [prompt];
  if (step.type === 'choice') parts.push(renderOptions(step.options));
  if (step.type === 'multi') parts.push(`${renderOptions(step.options)}\n（可多选，如「1 3」）`);
  const field = 'field' in step ? step.field : undefined;
  const fresh = 'reask' in step && step.reask === true;
  if (field !== undefined && !fresh) {
    const current = Object.hasOwn(state.answers, field)
      ? state.answers[field]
      : Object.hasOwn(state.defaults, field)
        ? state.defaults[field]
        : undefined;
    const keep = flow.commands.keep[0];
    if (current !== undefined && current !== '' && keep !== undefined) {
      parts.push(`（当前：${displayAnswer(flow, field, current)}。回复「${keep}」保持不变）`);
    }
  }
  return parts.filter((p) => p !== '').join('\n');
}

/** The fields a summary lists, in order: all of them, or only the answered ones with `hideEmpty`. */
export function visibleSummaryFields(
  flow: CompiledFlow,
  state: FlowState,
  stepId: string,
): readonly string[] {
  const fields = flow.summaryFields.get(stepId) ?? [];
  const step = flow.steps.get(stepId);
  if (step?.type !== 'summary' || step.hideEmpty !== true) return fields;
  return fields.filter((f) => Object.hasOwn(state.answers, f));
}

export function renderSummary(
  flow: CompiledFlow,
  state: FlowState,
  stepId: string,
  heading: string | undefined,
): string {
  const fields = visibleSummaryFields(flow, state, stepId);
  const lines = fields.map((f, i) => {
    const label = flow.def.fields[f]?.label ?? f;
    const value = Object.hasOwn(state.answers, f) ? state.answers[f] : undefined;
    const shown =
      value === undefined ? '（未填）' : value === '' ? STOCK.skipped : displayAnswer(flow, f, value);
    return `${i + 1}. ${label}：${shown}`;
  });
  const head = heading === undefined ? '请核对以下信息：' : renderTemplate(heading, state.answers, flow);
  return [head, ...lines, STOCK.summaryHint].join('\n');
}
