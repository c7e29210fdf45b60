import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { parseFlowYaml, parseSurvey, type SurveyDef } from '../../flows/index.js';
import { isFlowFileName, SURVEYS_DIR } from '../../store/flowFiles.js';

/** The surveys this server runs, by id and by 客服 scene. */
export interface SurveyCatalog {
  readonly all: readonly SurveyDef[];
  get(id: string): SurveyDef | null;
  byScene(scene: string): SurveyDef | null;
}

export function createSurveyCatalog(surveys: readonly SurveyDef[]): SurveyCatalog {
  const byId = new Map(surveys.map((s) => [s.id, s]));
  const byScene = new Map(surveys.map((s) => [s.scene, s]));
  return {
    all: [...surveys].sort((a, b) => a.id.localeCompare(b.id)),
    get: (id) => byId.get(id) ?? null,
    byScene: (scene) => byScene.get(scene) ?? null,
  };
}

/**
 * Reads `<flowsDir>/surveys/*.yaml` once at start. A file that does not parse is skipped here: the flow registry
 * reads the same files and stops start-up naming every problem, so a broken survey never reaches anyone.
 */
export function loadSurveyCatalog(flowsDir: string): SurveyCatalog {
  const dir = join(flowsDir, SURVEYS_DIR);
  let names: string[];
  try {
    names = readdirSync(dir).filter(isFlowFileName).sort();
  } catch (err) {
    if (err instanceof Error && 'code' in err && err.code === 'ENOENT') return createSurveyCatalog([]);
    throw err;
  }
  const surveys: SurveyDef[] = [];
  for (const name of names) {
    const yaml = parseFlowYaml(readFileSync(join(dir, name), 'utf8'));
    const parsed = yaml.ok ? parseSurvey(yaml.value) : null;
    if (parsed?.ok) surveys.push(parsed.survey);
  }
  return createSurveyCatalog(surveys);
}
