import { z } from 'zod';
import type { AnswerValue, FlowState, MemberRef, PendingEffect } from './types.js';

/**
 * The shape of a persisted `FlowState`, for the app to check what it reads back from storage before handing it to
 * `step`: a row edited by hand (or written by a buggy release) must end that conversation, not crash the engine.
 * The annotations tie each schema to its type, so a field added to `FlowState` fails `tsc` here until the schema
 * knows it too.
 */
const MemberRefSchema: z.ZodType<MemberRef> = z.object({
  userId: z.string(),
  name: z.string(),
  dept: z.string().optional(),
});

const AnswerValueSchema: z.ZodType<AnswerValue> = z.union([
  z.string(),
  z.number(),
  z.boolean(),
  z.array(z.string()),
  MemberRefSchema,
]);

const PendingEffectSchema: z.ZodType<PendingEffect> = z.object({
  effectId: z.string(),
  stepId: z.string(),
  kind: z.enum(['action', 'memberSearch']),
  query: z.string().optional(),
});

const Answers = z.record(z.string(), AnswerValueSchema);

export const FlowStateSchema: z.ZodType<FlowState> = z.object({
  flowId: z.string(),
  version: z.number().int(),
  hash: z.string(),
  stepId: z.string(),
  status: z.enum(['active', 'done', 'cancelled']),
  answers: Answers,
  defaults: Answers,
  retries: z.record(z.string(), z.number().int()),
  history: z.array(z.string()),
  returnTo: z.string().nullable(),
  waiting: PendingEffectSchema.nullable(),
  candidates: z.array(MemberRefSchema).nullable(),
  seq: z.number().int(),
  startedAt: z.number(),
  updatedAt: z.number(),
});
