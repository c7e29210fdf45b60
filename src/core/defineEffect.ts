import type { z } from 'zod';
import type { Change } from './ports.js';
import type { EffectContext, EffectDef } from './feature.js';

/**
 * Declares an effect with its payload and result schemas; `run` gets the parsed payload, and what it returns is
 * checked against the result schema before the flow sees it (a wrong result is a bug of ours, not the member's).
 */
export function defineEffect<P extends z.ZodType, R extends z.ZodObject>(def: {
  type: string;
  payload: P;
  result: R;
  run(payload: z.output<P>, ctx: EffectContext): Promise<{ data: z.input<R>; changes?: Change[] }>;
}): EffectDef {
  return {
    type: def.type,
    payload: def.payload,
    result: def.result,
    async run(raw, ctx) {
      const payload = def.payload.parse(raw);
      const out = await def.run(payload, ctx);
      return { data: def.result.parse(out.data), changes: out.changes ?? [] };
    },
  };
}
