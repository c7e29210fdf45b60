import type { Logger } from 'pino';
import type { Effect, FlowInput, FlowState } from '../flows/index.js';
import { errorMessage } from '../shared/errors.js';
import type { Actor } from './actor.js';
import type { EffectDef } from './feature.js';
import type { Change, Database } from './ports.js';

export type EffectRunner = (
  effect: Effect,
  ctx: { actor: Actor; state: FlowState; now: Date; context: Record<string, string> },
) => Promise<{ result: FlowInput; changes: Change[] }>;

/**
 * Performs the effects flows ask for: a lookup in the features' registry, never a switch. A payload the effect's
 * schema refuses, or an effect no feature provides, is a flow-file bug (`flows:check` catches both): the flow gets
 * a failed result and takes its `onError` path. Store failures propagate, so the inbox item is retried rather than
 * answered with a wrong result.
 */
export function createEffectRunner(deps: {
  effects: ReadonlyMap<string, EffectDef>;
  db: Database;
  logger: Logger;
}): EffectRunner {
  return async (effect, ctx) => {
    const fail = (error: string) => ({
      result: { type: 'effectResult' as const, effectId: effect.id, ok: false as const, error },
      changes: [],
    });
    const def = deps.effects.get(effect.type);
    if (!def) {
      deps.logger.error({ effect: effect.type }, 'a flow asked for an effect no feature provides');
      return fail(`unknown effect ${effect.type}`);
    }
    const payload = def.payload.safeParse(effect.payload);
    if (!payload.success) {
      deps.logger.error({ effect: effect.type, issues: payload.error.issues }, 'effect payload refused');
      return fail(`bad payload for ${effect.type}`);
    }
    try {
      const out = await def.run(payload.data, { ...ctx, db: deps.db, logger: deps.logger });
      return {
        result: { type: 'effectResult', effectId: effect.id, ok: true, data: out.data },
        changes: out.changes,
      };
    } catch (err) {
      throw new Error(`effect ${effect.type} failed: ${errorMessage(err)}`, { cause: err });
    }
  };
}
