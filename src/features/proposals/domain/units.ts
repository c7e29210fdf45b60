/**
 * The list of 承办单位 staff may assign: `flows/units.yaml`, edited by staff, checked at start and by flows:check.
 *
 *     units:
 *       - 县教育局
 *       - 县卫生健康局
 */
import { parse } from 'yaml';

export const UNITS_FILE = 'units.yaml';
const NAME_MAX = 100;

export type ParseUnitsResult = { ok: true; units: string[] } | { ok: false; problems: string[] };

export function parseUnitsYaml(text: string): ParseUnitsResult {
  let doc: unknown;
  try {
    doc = parse(text);
  } catch (err) {
    return {
      ok: false,
      problems: [`不是有效的 YAML：${err instanceof Error ? err.message.split('\n')[0] : String(err)}`],
    };
  }
  const list =
    doc !== null && typeof doc === 'object' && 'units' in doc ? (doc as { units: unknown }).units : undefined;
  if (!Array.isArray(list) || list.length === 0)
    return {
      ok: false,
      problems: ['units: 应为承办单位名称的列表（至少一个），例如 units: [县教育局, 县民政局]'],
    };
  const problems: string[] = [];
  const seen = new Set<string>();
  const units: string[] = [];
  list.forEach((raw, i) => {
    const at = `units[${i}]`;
    if (typeof raw !== 'string' || raw.trim() === '') return problems.push(`${at}: 应为单位名称（文字）`);
    const name = raw.trim();
    if ([...name].length > NAME_MAX) return problems.push(`${at}: 「${name}」超过 ${NAME_MAX} 个字`);
    if (/^[=+\-@]/.test(name)) return problems.push(`${at}: 「${name}」不能以 = + - @ 开头`);
    if (seen.has(name)) return problems.push(`${at}: 「${name}」重复`);
    seen.add(name);
    units.push(name);
    return undefined;
  });
  return problems.length > 0 ? { ok: false, problems } : { ok: true, units };
}
