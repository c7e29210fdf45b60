import { parse as parseYaml } from 'yaml';
import type { Expr } from './expressions.js';
import type { FlowDef, StepDef } from './schema.js';
import type { CompiledFlow, Problem } from './types.js';
import { resolveCommands } from './commands.js';
import { checkExpr, exprRefs, parseExpr } from './expressions.js';
import { isInputStep, reachable, stepEdges } from './graph.js';
import { lintFlow } from './lintFlow.js';
import { FlowFileSchema } from './schema.js';
import { isSurveyDocument, parseSurvey, surveyToFlowDef } from './survey.js';

export type CompileResult = { ok: true; flow: CompiledFlow } | { ok: false; problems: Problem[] };

/** Parses YAML text (pure: no file access). Syntax errors come back as problems, never thrown. */
export function parseFlowYaml(
  text: string,
): { ok: true; value: unknown } | { ok: false; problems: Problem[] } {
  try {
    return { ok: true, value: parseYaml(text, { prettyErrors: true }) };
  } catch (err) {
    return {
      ok: false,
      problems: [{ path: '', message: `YAML 语法错误：${err instanceof Error ? err.message : String(err)}` }],
    };
  }
}

/**
 * Validates (zod), builds the lookups, lints, and hashes a flow definition. Any problem fails the compile:
 * a flow that lints dirty is not deployable.
 */
export function compileFlow(input: unknown): CompileResult {
  if (isSurveyDocument(input)) {
    // A questionnaire: compiled into ordinary steps first (see survey.ts), then checked like any flow.
    const survey = parseSurvey(input);
    if (!survey.ok) return survey;
    return compileFlow(surveyToFlowDef(survey.file, survey.survey));
  }
  const parsed = FlowFileSchema.safeParse(input);
  if (!parsed.success) {
    return {
      ok: false,
      problems: parsed.error.issues.map((i) => ({ path: i.path.map(String).join('.'), message: i.message })),
    };
  }
  const built = buildFlow(parsed.data);
  const problems = [...built.problems, ...lintFlow(built.flow)];
  return problems.length > 0 ? { ok: false, problems } : { ok: true, flow: built.flow };
}

function buildFlow(def: FlowDef): { flow: CompiledFlow; problems: Problem[] } {
  const problems: Problem[] = [];
  const fieldNames = new Set(Object.keys(def.fields));
  const steps = new Map<string, StepDef>();
  const implicitNext = new Map<string, string>();
  const owners = new Map<string, string>();
  const conditions = new Map<string, Expr[]>();
  const patterns = new Map<string, RegExp>();
  const summaryFields = new Map<string, string[]>();

  def.steps.forEach((step, i) => {
    if (steps.has(step.id)) problems.push({ path: `steps.${i}.id`, message: `步骤 id「${step.id}」重复` });
    else steps.set(step.id, step);
    const following = def.steps[i + 1];
    if (following !== undefined) implicitNext.set(step.id, following.id);
  });

  const unknownField = (path: string, field: string): void => {
    if (!fieldNames.has(field)) problems.push({ path, message: `字段「${field}」没有在 fields 中声明` });
  };
  for (const step of def.steps) {
    const at = `steps.${step.id}`;
    if (isInputStep(step) || (step.type === 'confirm' && step.field !== undefined)) {
      const field = step.field ?? '';
      unknownField(`${at}.field`, field);
      if (!owners.has(field)) owners.set(field, step.id);
    }
    if (step.type === 'ask' && step.pattern !== undefined) {
      try {
        patterns.set(step.id, new RegExp(`^(?:${step.pattern})$`, 'u'));
      } catch {
        problems.push({ path: `${at}.pattern`, message: `正则表达式无效：${step.pattern}` });
      }
    }
    if (step.type === 'action')
      for (const f of Object.keys(step.saveAs ?? {})) unknownField(`${at}.saveAs.${f}`, f);
    if (step.type === 'choice' && step.freeText !== undefined) {
      unknownField(`${at}.freeText.field`, step.freeText.field);
      const fallback = step.freeText.fallback;
      if (!step.options.some((o) => o.value === fallback))
        problems.push({ path: `${at}.freeText.fallback`, message: `「${fallback}」不是这一步的选项值` });
    }
    if (step.type === 'branch') {
      const parsedCases: Expr[] = [];
      step.cases.forEach((c, i) => {
        const r = parseExpr(c.when);
        if (!r.ok)
          return problems.push({ path: `${at}.cases.${i}.when`, message: `条件无法解析：${r.error}` });
        for (const m of checkExpr(r.expr, fieldNames))
          problems.push({ path: `${at}.cases.${i}.when`, message: m });
        parsedCases.push(r.expr);
      });
      conditions.set(step.id, parsedCases);
    }
  }
  for (const step of def.steps) {
    if (step.type !== 'summary') continue;
    const listed =
      step.fields ??
      [...owners.entries()].filter(([, s]) => steps.get(s)?.type !== 'confirm').map(([f]) => f);
    listed.forEach((f, i) => unknownField(`steps.${step.id}.fields.${i}`, f));
    summaryFields.set(step.id, listed);
  }
  for (const [name, field] of Object.entries(def.fields)) {
    (field.dependsOn ?? []).forEach((d, i) => unknownField(`fields.${name}.dependsOn.${i}`, d));
  }

  const flow: CompiledFlow = {
    id: def.id,
    version: def.version,
    hash: hashFlowDef(def),
    def,
    steps,
    implicitNext,
    owners,
    dependents: computeDependents(def, steps, implicitNext, conditions),
    conditions,
    patterns,
    summaryFields,
    commands: resolveCommands(def),
  };
  return { flow, problems };
}

/**
 * Which fields to clear when a field changes: those declaring `dependsOn` it, plus, for each branch reading it,
 * the fields asked on some but not all of the branch's paths (up to a summary). Transitive.
 */
function computeDependents(
  def: FlowDef,
  steps: ReadonlyMap<string, StepDef>,
  implicitNext: ReadonlyMap<string, string>,
  conditions: ReadonlyMap<string, readonly Expr[]>,
): Map<string, string[]> {
  const direct = new Map<string, Set<string>>();
  const add = (from: string, to: string): void => {
    if (from === to) return;
    const set = direct.get(from) ?? new Set<string>();
    set.add(to);
    direct.set(from, set);
  };
  for (const [name, field] of Object.entries(def.fields)) for (const d of field.dependsOn ?? []) add(d, name);

  const fieldsOnPath = (from: string, branchId: string): Set<string> => {
    const ids = reachable(from, steps, implicitNext, (s) => s.type !== 'summary' && s.id !== branchId);
    const out = new Set<string>();
    for (const id of ids) {
      const s = steps.get(id);
      if (s !== undefined) for (const e of stepEdges(s, implicitNext)) for (const f of e.sets) out.add(f);
    }
    return out;
  };
  for (const step of def.steps) {
    if (step.type !== 'branch') continue;
    const reads = new Set((conditions.get(step.id) ?? []).flatMap((e) => exprRefs(e)));
    const paths = [...step.cases.map((c) => c.goto), step.else].map((t) => fieldsOnPath(t, step.id));
    const union = new Set(paths.flatMap((p) => [...p]));
    for (const f of union) {
      if (paths.every((p) => p.has(f))) continue;
      for (const r of reads) add(r, f);
    }
  }

  const closure = new Map<string, string[]>();
  for (const name of Object.keys(def.fields)) {
    const seen = new Set<string>();
    const queue = [...(direct.get(name) ?? [])];
    while (queue.length > 0) {
      const f = queue.shift();
      if (f === undefined || seen.has(f) || f === name) continue;
      seen.add(f);
      queue.push(...(direct.get(f) ?? []));
    }
    closure.set(name, [...seen]);
  }
  return closure;
}

/** JSON with object keys sorted, so equal definitions hash equally whatever the key order in the file. */
export function canonicalJson(value: unknown): string {
  if (Array.isArray(value)) return `[${value.map(canonicalJson).join(',')}]`;
  if (value !== null && typeof value === 'object') {
    const entries = Object.entries(value)
      .filter(([, v]) => v !== undefined)
      .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
    return `{${entries.map(([k, v]) => `${JSON.stringify(k)}:${canonicalJson(v)}`).join(',')}}`;
  }
  return JSON.stringify(value) ?? 'null';
}

/**
 * The content hash of a flow definition: `fnv1a64:<16 hex>` of its canonical JSON. Takes the definition unparsed so
 * the app can look a stored definition up before compiling it; for a definition that compiles it equals the
 * compiled flow's `hash`, because the schema has no defaults or transforms and the canonical JSON ignores key order.
 *
 * FNV-1a 64-bit over the UTF-16 code units. Not sha256: flows/ stays pure (no node:crypto, and WebCrypto is async).
 * The hash only has to notice a changed file, not resist an attacker.
 */
export function hashFlowDef(def: unknown): string {
  const text = canonicalJson(def);
  const prime = 0x100000001b3n;
  const mask = 0xffffffffffffffffn;
  let h = 0xcbf29ce484222325n;
  for (let i = 0; i < text.length; i++) {
    h ^= BigInt(text.charCodeAt(i));
    h = (h * prime) & mask;
  }
  return `fnv1a64:${h.toString(16).padStart(16, '0')}`;
}
