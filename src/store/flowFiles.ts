import { readdir, readFile } from 'node:fs/promises';
import { join } from 'node:path';

export interface FlowFile {
  file: string;
  text: string;
}

/** Reads the stored conversation flows: every `*.yaml` in `dir` except transcript tests (`*.test.yaml`). */
export async function readFlowFiles(dir: string): Promise<FlowFile[]> {
  const names = (await readdir(dir)).filter((n) => n.endsWith('.yaml') && !n.endsWith('.test.yaml')).sort();
  return Promise.all(
    names.map(async (n) => ({ file: join(dir, n), text: await readFile(join(dir, n), 'utf8') })),
  );
}
