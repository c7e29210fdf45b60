import { AppError } from '../../shared/errors.js';
import { calendarCovers } from '../../shared/workdays.js';
import { parseUnitsYaml } from './domain/units.js';

/** The 承办单位 list of the units file; undefined when there is none (the county defaults apply). Throws when invalid. */
export function loadUnits(file: { file: string; text: string } | null): string[] | undefined {
  if (!file) return undefined;
  const parsed = parseUnitsYaml(file.text);
  if (parsed.ok) return parsed.units;
  throw new AppError({
    code: 'flow_invalid',
    message: `units file has problems:\n${parsed.problems.map((p) => `${file.file}: ${p}`).join('\n')}`,
  });
}

/** Years (this one and the next) the holiday data does not cover yet: deadlines there count weekends only. */
export function uncoveredCalendarYears(now: Date): number[] {
  const year = Number(new Date(now.getTime() + 8 * 3_600_000).toISOString().slice(0, 4));
  return [year, year + 1].filter((y) => !calendarCovers(y));
}
