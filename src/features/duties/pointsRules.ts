import { readFile } from 'node:fs/promises';
import { parse } from 'yaml';
import { errorMessage } from '../../shared/errors.js';
import { PointsRulesSchema, type PointsRules } from './domain/index.js';

export type LoadedRules = { ok: true; rules: PointsRules } | { ok: false; problem: string };

/**
 * Reads the points rules from their file each time they are needed (a small file): an edit applies at once, and
 * every figure is recomputed from the recorded duties under the new rules. A broken file is named with its problem.
 */
export async function loadPointsRules(file: string): Promise<LoadedRules> {
  let text: string;
  try {
    text = await readFile(file, 'utf8');
  } catch (err) {
    return { ok: false, problem: `无法读取积分规则文件 ${file}：${errorMessage(err)}` };
  }
  let raw: unknown;
  try {
    raw = parse(text);
  } catch (err) {
    return { ok: false, problem: `积分规则文件 ${file} 不是有效的 YAML：${errorMessage(err)}` };
  }
  const parsed = PointsRulesSchema.safeParse(raw);
  if (!parsed.success)
    return {
      ok: false,
      problem: `积分规则文件 ${file} 有误：${parsed.error.issues.map((i) => `${i.path.join('.')} ${i.message}`).join('；')}`,
    };
  return { ok: true, rules: parsed.data };
}
