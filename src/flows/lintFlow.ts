import { assertNever } from '../shared/errors.js';
import type { StepDef } from './schema.js';
import type { CompiledFlow, Problem } from './types.js';
import { exprRefs } from './expressions.js';
import { isInputStep, reachable, stepEdges } from './graph.js';
import { templateRefs, utf8Bytes, REPLY_MAX_BYTES } from './templates.js';
import { renderOptions } from './render.js';

/**
 * Graph and content checks on a built flow: dangling targets, unreachable steps, fields read before they are
 * surely set, submit actions reachable without a confirm, texts over WeCom's text limit (REPLY_MAX_BYTES), missing prompts.
 */
export function lintFlow(flow: CompiledFlow): Problem[] {
  return [
    ...danglingTargets(flow),
    ...unreachableSteps(flow),
    ...readsBeforeSet(flow),
    ...submitsWithoutConfirm(flow),
    ...textProblems(flow),
  ];
}

function danglingTargets(flow: CompiledFlow): Problem[] {
  const problems: Problem[] = [];
  if (!flow.steps.has(flow.def.start))
    problems.push({ path: 'start', message: `起始步骤「${flow.def.start}」不存在` });
  for (const step of flow.steps.values()) {
    for (const e of stepEdges(step, flow.implicitNext)) {
      if (!flow.steps.has(e.to))
        problems.push({ path: `steps.${step.id}`, message: `指向不存在的步骤「${e.to}」（${e.kind}）` });
    }
    const needsNext = isInputStep(step) || step.type === 'action' || step.type === 'message';
    if (needsNext && !stepEdges(step, flow.implicitNext).some((e) => e.kind === 'next')) {
      problems.push({ path: `steps.${step.id}.next`, message: '没有下一步：请写 next，或在其后放一个步骤' });
    }
  }
  return problems;
}

function unreachableSteps(flow: CompiledFlow): Problem[] {
  const seen = reachable(flow.def.start, flow.steps, flow.implicitNext);
  return [...flow.steps.keys()]
    .filter((id) => !seen.has(id))
    .map((id) => ({ path: `steps.${id}`, message: `步骤「${id}」从起点无法到达` }));
}

/** Template texts a step shows (before rendering). */
export function stepTexts(step: StepDef): { key: string; text: string }[] {
  const out: { key: string; text: string }[] = [];
  const add = (key: string, text: string | undefined): void => {
    if (text !== undefined) out.push({ key, text });
  };
  switch (step.type) {
    case 'message':
    case 'end':
      add('text', step.text);
      return out;
    case 'branch':
      return out;
    case 'action':
      add('text', step.text);
      for (const [k, v] of Object.entries(step.payload ?? {})) add(`payload.${k}`, v);
      return out;
    case 'ask':
    case 'choice':
    case 'multi':
    case 'number':
    case 'date':
    case 'time':
    case 'member':
    case 'confirm':
    case 'summary':
      add('prompt', step.prompt);
      add('help', step.help);
      add('exhaustedText', step.exhaustedText);
      (step.reprompts ?? []).forEach((r, i) => add(`reprompts.${i}`, r));
      return out;
    default:
      return assertNever(step, 'step');
  }
}

function stepReads(flow: CompiledFlow, step: StepDef): string[] {
  const fromTexts = stepTexts(step).flatMap((t) => templateRefs(t.text, true));
  const fromConditions = (flow.conditions.get(step.id) ?? []).flatMap((e) => exprRefs(e, true));
  return [...new Set([...fromTexts, ...fromConditions])];
}

/** Forward must-analysis: a field is surely set at a step when it is set on every path from the start. */
function readsBeforeSet(flow: CompiledFlow): Problem[] {
  const setAt = new Map<string, Set<string>>([[flow.def.start, new Set<string>()]]);
  const queue = [flow.def.start];
  while (queue.length > 0) {
    const id = queue.shift();
    const step = id === undefined ? undefined : flow.steps.get(id);
    const before = id === undefined ? undefined : setAt.get(id);
    if (step === undefined || before === undefined) continue;
    for (const e of stepEdges(step, flow.implicitNext)) {
      if (!flow.steps.has(e.to)) continue;
      const out = new Set([...before, ...e.sets]);
      const prev = setAt.get(e.to);
      const next = prev === undefined ? out : new Set([...prev].filter((f) => out.has(f)));
      if (prev === undefined || next.size !== prev.size) {
        setAt.set(e.to, next);
        queue.push(e.to);
      }
    }
  }
  const problems: Problem[] = [];
  for (const [id, before] of setAt) {
    const step = flow.steps.get(id);
    if (step === undefined) continue;
    // Unknown fields in conditions are reported by compileFlow; in templates (`{{x?}}` too), here.
    const inTemplates = new Set(stepTexts(step).flatMap((t) => templateRefs(t.text)));
    for (const f of inTemplates)
      if (!Object.hasOwn(flow.def.fields, f))
        problems.push({ path: `steps.${id}`, message: `模板引用了未知字段「${f}」` });
    for (const f of stepReads(flow, step)) {
      if (!Object.hasOwn(flow.def.fields, f)) continue;
      if (!before.has(f)) problems.push({ path: `steps.${id}`, message: `读取字段「${f}」时它可能尚未填写` });
    }
  }
  return problems;
}

function isSubmit(step: StepDef): boolean {
  return step.type === 'action' && (step.submit ?? step.effect.endsWith('.submit'));
}

function submitsWithoutConfirm(flow: CompiledFlow): Problem[] {
  const unguarded = reachable(
    flow.def.start,
    flow.steps,
    flow.implicitNext,
    (_s, e) => e.kind !== 'yes' && e.kind !== 'confirm',
  );
  return [...unguarded]
    .filter((id) => {
      const s = flow.steps.get(id);
      return s !== undefined && isSubmit(s);
    })
    .map((id) => ({ path: `steps.${id}`, message: `提交类操作「${id}」可以不经确认步骤到达` }));
}

function textProblems(flow: CompiledFlow): Problem[] {
  const problems: Problem[] = [];
  for (const step of flow.steps.values()) {
    const texts = stepTexts(step);
    const needs =
      step.type === 'message' ? 'text' : isInputStep(step) || step.type === 'confirm' ? 'prompt' : null;
    if (needs !== null && !texts.some((t) => t.key === needs && t.text.trim() !== '')) {
      problems.push({
        path: `steps.${step.id}.${needs}`,
        message: needs === 'text' ? '缺少消息内容' : '缺少提示语',
      });
    }
    for (const t of texts) {
      const shown =
        t.key === 'prompt' && (step.type === 'choice' || step.type === 'multi')
          ? `${t.text}\n${renderOptions(step.options)}`
          : t.text;
      const bytes = utf8Bytes(shown);
      if (!t.key.startsWith('payload.') && bytes > REPLY_MAX_BYTES) {
        problems.push({
          path: `steps.${step.id}.${t.key}`,
          message: `文本 ${bytes} 字节，超过企业微信 ${REPLY_MAX_BYTES} 字节上限`,
        });
      }
    }
  }
  return problems;
}
