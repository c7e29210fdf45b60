import { z } from 'zod';
import type { NoticeInput, NoticeProblem } from './domain/index.js';

const names = z.array(z.string()).nullish();

/** The admin API's notice body: its shape and types. The rules (lengths, times, kinds) are the domain's. */
const noticeBodyShape = z.strictObject({
  title: z.string(),
  kind: z.string(),
  /** Beijing time, `YYYY-MM-DD HH:mm`. */
  startsAt: z.string(),
  place: z.string(),
  content: z.string(),
  audience: z.strictObject({
    all: z.boolean().optional(),
    sectors: names,
    committees: names,
    userids: names,
    /** Accepted as a spelling of `userids`. */
    userIds: names,
  }),
  /** Beijing time; a date alone means the end of that day. */
  replyBy: z.string(),
  leaveNeedsReason: z.boolean().nullish(),
  /** A staff member's userid; `admin` when absent. */
  createdBy: z.string().optional(),
});

export type NoticeBody = z.output<typeof noticeBodyShape>;

/**
 * The notice body with the domain's field rules folded in, so one 400 lists every problem: zod's for shape and
 * types, the domain's (Chinese, as staff know them) for the rest. The rules run even when the shape is wrong,
 * except on a field zod already flagged (one problem per field) or a body that is not an object at all.
 * `checkFields` is the domain check at the caller's clock (`NoticeAdmin.checkFields`).
 */
export function noticeBodySchema(
  checkFields: (input: NoticeInput) => NoticeProblem[],
): z.ZodType<NoticeBody> {
  return noticeBodyShape.superRefine(
    (body, ctx) => {
      const typeIssues = ctx.issues.filter((i) => i.code !== 'unrecognized_keys');
      // Issues of the body itself still have no path here (zod prefixes paths on the way out).
      if (typeIssues.some((i) => (i.path ?? []).length === 0)) return;
      const flagged = typeIssues.map((i) => (i.path ?? []).map(String).join('.'));
      for (const p of checkFields(body)) {
        if (flagged.some((f) => f === p.field || f.startsWith(`${p.field}.`))) continue;
        ctx.addIssue({ code: 'custom', path: p.field.split('.'), message: p.message });
      }
    },
    { when: () => true },
  );
}
