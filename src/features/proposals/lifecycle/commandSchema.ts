/** The lifecycle commands as JSON (admin API body, minus `actor`): shape and types; the rules are the service's. */
import { z } from 'zod';
import { MEETING_WAYS, NOT_REGISTERED_GROUNDS, RATINGS, RESULT_CLASSES } from '../domain/lifecycle.js';
import type { LifecycleCommand } from '../domain/lifecycle.js';

const note = z.string().trim().max(500).optional();
const words = (max: number) => z.string().trim().min(1).max(max);
const date = z.string().regex(/^\d{4}-\d{2}-\d{2}$/, '应为日期 YYYY-MM-DD');
const unit = words(100);

/** The union, each variant with the `extra` fields too (the admin API adds `actor`, `onBehalfOf`). */
export function commandSchemaWith<E extends z.ZodRawShape>(extra: E) {
  return z.discriminatedUnion('action', [
    z.strictObject({ ...extra, action: z.literal('accept'), note }),
    z.strictObject({
      ...extra,
      action: z.literal('register'),
      category: words(64).optional(),
      units: z.array(unit).max(10).optional(),
      note,
    }),
    z.strictObject({
      ...extra,
      action: z.literal('reject'),
      ground: z.enum(NOT_REGISTERED_GROUNDS),
      note: words(500),
    }),
    z.strictObject({ ...extra, action: z.literal('convert'), consent: z.literal(true), note }),
    z.strictObject({ ...extra, action: z.literal('merge'), into: z.number().int().positive(), note }),
    z.strictObject({ ...extra, action: z.literal('return'), reason: words(500) }),
    z.strictObject({
      ...extra,
      action: z.literal('resubmit'),
      title: words(255).optional(),
      reason: words(20_000).optional(),
      suggestions: words(20_000).optional(),
      note,
    }),
    z.strictObject({ ...extra, action: z.literal('withdraw'), note }),
    z.strictObject({ ...extra, action: z.literal('flag_key'), key: z.boolean().optional(), note }),
    z.strictObject({ ...extra, action: z.literal('award_excellent'), note }),
    z.strictObject({
      ...extra,
      action: z.literal('assign'),
      host: unit,
      co: z.array(unit).max(10).optional(),
      dueDate: date.optional(),
      note,
    }),
    z.strictObject({ ...extra, action: z.literal('sign') }),
    z.strictObject({ ...extra, action: z.literal('request_return'), reason: words(500) }),
    z.strictObject({
      ...extra,
      action: z.literal('decide_return'),
      approve: z.boolean(),
      host: unit.optional(),
      unit: unit.optional(),
      note,
    }),
    z.strictObject({
      ...extra,
      action: z.literal('record_meeting'),
      date,
      way: z.enum(MEETING_WAYS),
      participants: words(500),
      note,
    }),
    z.strictObject({ ...extra, action: z.literal('progress'), note: words(2000) }),
    z.strictObject({ ...extra, action: z.literal('co_opinion'), text: words(5000) }),
    z.strictObject({
      ...extra,
      action: z.literal('reply'),
      resultClass: z.enum(RESULT_CLASSES),
      text: words(20_000),
    }),
    z.strictObject({ ...extra, action: z.literal('approve_reply'), note }),
    z.strictObject({ ...extra, action: z.literal('reject_reply'), reason: words(500) }),
    z.strictObject({
      ...extra,
      action: z.literal('evaluate'),
      rating: z.enum(RATINGS),
      comment: z.string().trim().max(1000).optional(),
    }),
    z.strictObject({ ...extra, action: z.literal('close'), note }),
    z.strictObject({ ...extra, action: z.literal('confirm_meeting'), held: z.boolean(), note }),
    z.strictObject({ ...extra, action: z.literal('urge'), note }),
    z.strictObject({ ...extra, action: z.literal('follow_up'), note: words(2000) }),
  ]);
}

export const lifecycleCommandSchema = commandSchemaWith({}) satisfies z.ZodType<
  Exclude<LifecycleCommand, { action: 'evaluation_timeout' }>
>;
