import { readdir, readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { HOLIDAYS_FILE } from '../shared/holidays.js';

export interface FlowFile {
  file: string;
  text: string;
}

/** The FAQ knowledge file next to the flows (not a flow). */
export const FAQ_FILE = 'faq.yaml';

/** The list of 承办单位 next to the flows (not a flow). */
export const UNITS_FILE = 'units.yaml';

/** Whether a file name in the flows directory is a conversation flow (not a transcript test, the FAQ or the units). */
export function isFlowFileName(name: string): boolean {
  return (
    name.endsWith('.yaml') &&
    !name.endsWith('.test.yaml') &&
    name !== FAQ_FILE &&
    name !== UNITS_FILE &&
    name !== HOLIDAYS_FILE
  );
}

/** The 承办单位 list's text, or null when the directory has none. */
export async function readUnitsFile(dir: string): Promise<FlowFile | null> {
  return readOptionalFile(dir, UNITS_FILE);
}

/** The 节假日安排 staff entered (flows/holidays.yaml), or null when the directory has none. */
export async function readHolidaysFile(dir: string): Promise<FlowFile | null> {
  return readOptionalFile(dir, HOLIDAYS_FILE);
}

async function readOptionalFile(dir: string, name: string): Promise<FlowFile | null> {
  const file = join(dir, name);
  try {
    return { file, text: await readFile(file, 'utf8') };
  } catch (err) {
    if (err instanceof Error && 'code' in err && err.code === 'ENOENT') return null;
    throw err;
  }
}

/** Staff-editable configuration below the flows directory that is not a flow (履职积分 rules). */
export const CONFIG_DIRS: readonly string[] = ['duties'];

/** Where surveys (flows of kind `survey`) live, below the flows directory. */
export const SURVEYS_DIR = 'surveys';

/**
 * Reads the stored conversation flows: every `*.yaml` in `dir` except transcript tests and the FAQ, then the
 * surveys in `dir/surveys/` (absent: none).
 */
export async function readFlowFiles(dir: string): Promise<FlowFile[]> {
  const names = (await readdir(dir)).filter(isFlowFileName).sort();
  const surveys = (await readDirOrEmpty(join(dir, SURVEYS_DIR))).filter(isFlowFileName).sort();
  return Promise.all(
    [...names.map((n) => join(dir, n)), ...surveys.map((n) => join(dir, SURVEYS_DIR, n))].map(
      async (file) => ({
        file,
        text: await readFile(file, 'utf8'),
      }),
    ),
  );
}

async function readDirOrEmpty(dir: string): Promise<string[]> {
  try {
    return await readdir(dir);
  } catch (err) {
    if (err instanceof Error && 'code' in err && err.code === 'ENOENT') return [];
    throw err;
  }
}

/** The FAQ file's text, or null when the directory has none (the FAQ is optional). */
export async function readFaqFile(dir: string): Promise<FlowFile | null> {
  return readOptionalFile(dir, FAQ_FILE);
}
