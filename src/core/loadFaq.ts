import { parseFaqYaml, type FaqEntry } from '../nlu/index.js';
import { AppError } from '../shared/errors.js';

/**
 * Validates the FAQ file at start like the flows: a broken file stops start-up with every problem named, rather
 * than a member getting a half-read answer. No file: no FAQ.
 */
export function loadFaq(file: { file: string; text: string } | null): FaqEntry[] {
  if (!file) return [];
  const parsed = parseFaqYaml(file.text);
  if (parsed.ok) return parsed.entries;
  throw new AppError({
    code: 'flow_invalid',
    message: `FAQ file has problems:\n${parsed.problems.map((p) => `${file.file}: ${p}`).join('\n')}`,
  });
}
