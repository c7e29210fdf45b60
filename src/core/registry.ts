import { mergeChangeAppliers, type ChangeAppliers } from '../store/changeAppliers.js';
import type { EffectDef, Feature, InboundRoute } from './feature.js';
import { membersSearchEffect } from './membersSearch.js';

/** Everything the pipeline needs from the features, looked up once at start. */
export interface Registry {
  readonly features: readonly Feature[];
  readonly effects: ReadonlyMap<string, EffectDef>;
  /** In registry order: the first route that recognises an input takes it. */
  readonly routes: readonly InboundRoute[];
  readonly changes: ChangeAppliers;
  readonly draftFlows: readonly string[];
}

/** Effects the pipeline itself provides (the flow engine emits members.search for member steps). */
const CORE_EFFECTS: readonly EffectDef[] = [membersSearchEffect];

/**
 * Builds the registry from the features main.ts passes. Two owners of one effect, change type or feature name is a
 * programming error: start-up fails with the name, rather than one silently shadowing the other.
 */
export function createRegistry(features: readonly Feature[]): Registry {
  const names = new Set<string>();
  const effects = new Map<string, EffectDef>();
  for (const e of CORE_EFFECTS) effects.set(e.type, e);
  for (const f of features) {
    if (names.has(f.name)) throw new Error(`two features are named ${f.name}`);
    names.add(f.name);
    for (const e of f.effects ?? []) {
      if (effects.has(e.type)) throw new Error(`effect ${e.type} is provided twice (feature ${f.name})`);
      effects.set(e.type, e);
    }
  }
  return {
    features,
    effects,
    routes: features.flatMap((f) => f.routes ?? []),
    changes: mergeChangeAppliers(features.flatMap((f) => (f.changes ? [f.changes] : []))),
    draftFlows: features.flatMap((f) => f.draftFlows ?? []),
  };
}
