import { z } from 'zod';
import { defineEffect } from '../../core/defineEffect.js';
import type { EffectContext, EffectDef } from '../../core/feature.js';
import { parseIndex } from '../../flows/index.js';
import type { NoticeAnswer } from './domain/index.js';
import { openNoticesFor, parseIds, type OpenNotice } from './openNotices.js';
import { decideAnswer } from './respondToNotice.js';
import { noticesNamed, parseTextAnswer } from './textAnswer.js';
import { noticeTexts } from './texts.js';

/** Effects have no office contact in their context; the refusals name the staff instead. */
const CONTACT = '工作人员';

/** The pending choice of notice_pick: what the member answered and among which notices (the flow's context). */
async function pending(
  ctx: EffectContext,
): Promise<{ answer: NoticeAnswer; candidates: OpenNotice[] } | null> {
  const member = ctx.actor.member;
  const answer = ctx.context['answer'];
  if (!member || (answer !== 'attend' && answer !== 'leave')) return null;
  const ids = parseIds(ctx.context['noticeIds']);
  // Re-read: a notice may have closed since the question was asked.
  const open = await openNoticesFor(ctx.db, member.userId, ctx.now);
  const candidates = ids.flatMap((id) => open.filter((o) => o.notice.id === id));
  return { answer, candidates };
}

/**
 * notice.pickList / notice.pick, the effects of flows/notice_pick.yaml: a typed 参加 / 请假 with several notices
 * open lists them, and the member's next reply (序号, a date, a title word, or 「请假 2」) picks one.
 */
export const pickEffects: EffectDef[] = [
  defineEffect({
    type: 'notice.pickList',
    payload: z.strictObject({}),
    result: z.object({ ok: z.boolean(), text: z.string() }),
    async run(_payload, ctx) {
      const p = await pending(ctx);
      if (!p || p.candidates.length === 0)
        return { data: { ok: false, text: '这些通知的回执都已截止或已撤回，没有记录回执。' } };
      return { data: { ok: true, text: noticeTexts.whichNotice(p.answer, p.candidates) } };
    },
  }),
  defineEffect({
    type: 'notice.pick',
    payload: z.strictObject({ which: z.string() }),
    result: z.object({ ok: z.boolean(), text: z.string(), askReason: z.boolean(), noticeId: z.string() }),
    async run(payload, ctx) {
      const p = await pending(ctx);
      const member = ctx.actor.member;
      const none = (text: string) => ({ data: { ok: false, text, askReason: false, noticeId: '' } });
      if (!p || !member) return none('没有找到这份通知，回执未记录。');
      // 「请假 2」 at the question changes the answer as well as picking.
      const typed = parseTextAnswer(payload.which);
      const answer = typed?.kind === 'answer' ? typed.answer : p.answer;
      const which = typed?.kind === 'answer' ? typed.rest : payload.which.trim();
      const chosen = pick(p.candidates, which);
      if (!chosen) return none(noticeTexts.whichNotFound(p.candidates.length));
      const reason = answer === 'leave' ? (ctx.context['reason'] ?? '') : '';
      const d = await decideAnswer(ctx.db, {
        member,
        notice: chosen.notice,
        answer,
        reason: reason === '' ? null : reason,
        now: ctx.now,
        officeContact: CONTACT,
      });
      return {
        data: { ok: true, text: d.text, askReason: d.askReason, noticeId: String(chosen.notice.id) },
        changes: d.changes,
      };
    },
  }),
];

/** By position in the list (1, ２, 二, 第二个) or by what names it (11月5日, 5号, a title word). */
function pick(candidates: readonly OpenNotice[], which: string): OpenNotice | null {
  // 5号 / 5日 is a day of the month, not the fifth line.
  const index = /[号日月]$/.test(which) ? null : parseIndex(which);
  if (index !== null) return candidates[index - 1] ?? null;
  if (which === '') return null;
  const named = noticesNamed(
    candidates.map((o) => o.notice),
    which,
  );
  const [only] = named;
  return only && named.length === 1 ? (candidates.find((o) => o.notice === only) ?? null) : null;
}
