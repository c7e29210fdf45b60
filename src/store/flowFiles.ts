import { readdir, readFile } from 'node:fs/promises';
import { join } from 'node:path';

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
  return name.endsWith('.yaml') && !name.endsWith('.test.yaml') && name !== FAQ_FILE && name !== UNITS_FILE;
}

/** The 承办单位 list's text, or null when the directory has none. */
export async function readUnitsFile(dir: string): Promise<FlowFile | null> {
  const file = join(dir, UNITS_FILE);
  try {
    return { file, text: await readFile(file, 'utf8') };
  } catch (err) {
    if (err instanceof Error && 'code' in err && err.code === 'ENOENT') return null;
    throw err;
  }
}

/** Reads the stored conversation flows: every `*.yaml` in `dir` except transcript tests and the FAQ. */
export async function readFlowFiles(dir: string): Promise<FlowFile[]> {
  const names = (await readdir(dir)).filter(isFlowFileName).sort();
  return Promise.all(
    names.map(async (n) => ({ file: join(dir, n), text: await readFile(join(dir, n), 'utf8') })),
  );
}

/** The FAQ file's text, or null when the directory has none (the FAQ is optional). */
export async function readFaqFile(dir: string): Promise<FlowFile | null> {
  const file = join(dir, FAQ_FILE);
  try {
    return { file, text: await readFile(file, 'utf8') };
  } catch (err) {
    if (err instanceof Error && 'code' in err && err.code === 'ENOENT') return null;
    throw err;
  }
}
