/**
 * What a proposer answers outside flows: a tap on the evaluation card (满意 / 基本满意 / 不满意: the card shows the
 * choice, the proposal_evaluate flow asks for the comment and records both as one evaluation), a tap on the 面商 question
 * card (是 / 否), and the consent to turn a proposal that was not registered into a 社情民意 report (「同意转社情民意」).
 */
import type { InboundRoute, RouteContext, RouteResult } from '../../../core/feature.js';
import type { Change } from '../../../core/ports.js';
import { normalizeWidth } from '../../../flows/normalize.js';
import { parseLifecycleButtonKey, type LifecycleCommand } from '../domain/index.js';
import type { LifecycleService } from '../lifecycle/types.js';
import { proposalStore } from '../proposalStore.js';
import { planChanges } from './planChanges.js';

/** The flow that asks for the comment after an evaluation tap (flows/proposal_evaluate.yaml). */
export const EVALUATE_FLOW = 'proposal_evaluate';

function replyChange(
  ctx: RouteContext,
  content: string,
  card?: { responseCode: string; label: string },
): Change {
  const update =
    card && card.responseCode !== ''
      ? { cardUpdate: { responseCode: card.responseCode, replaceName: card.label } }
      : {};
  return {
    type: 'outbox.add',
    at: ctx.now,
    message: {
      dedupKey: `reply:${ctx.inboxId}:proposal`,
      toUser: ctx.actor.id,
      message: { msgtype: 'text', text: { content } },
      ...update,
    },
  };
}

async function plan(
  service: LifecycleService,
  ctx: RouteContext,
  proposalId: number,
  command: LifecycleCommand,
): Promise<{ ok: true; changes: Change[] } | { ok: false; reason: string }> {
  const r = await service.plan(ctx.db, ctx.now, { proposalId, actorId: ctx.actor.id, command });
  if (!r.ok) return { ok: false, reason: r.reason };
  return { ok: true, changes: planChanges(r, ctx.now) };
}

export function lifecycleCardRoute(service: LifecycleService): InboundRoute {
  return {
    name: 'proposal.cardTap',
    phrases: [],
    async handle(input, ctx): Promise<RouteResult | null> {
      if (input.type !== 'cardTap' || !ctx.actor.member) return null;
      const button = parseLifecycleButtonKey(input.eventKey);
      if (!button) return null;
      const tap = input.responseCode;
      if (button.kind === 'evaluate') {
        // Checked now (a second tap is refused with the reason); recorded once, with the comment that follows.
        const r = await plan(service, ctx, button.proposalId, { action: 'evaluate', rating: button.rating });
        if (!r.ok) return { changes: [replyChange(ctx, r.reason)] };
        return {
          changes: [
            replyChange(ctx, `您选择了：${button.rating}。`, {
              responseCode: tap,
              label: `已选择：${button.rating}`,
            }),
          ],
          startFlow: {
            flowId: EVALUATE_FLOW,
            context: { proposalId: String(button.proposalId), rating: button.rating },
          },
        };
      }
      const r = await plan(service, ctx, button.proposalId, { action: 'confirm_meeting', held: button.held });
      if (!r.ok) return { changes: [replyChange(ctx, r.reason)] };
      const text = button.held
        ? '已记录：承办单位已与您面商。感谢您的反馈。'
        : '已记录：承办单位还没有与您面商。提案委员会将督促承办单位尽快与您联系。';
      return {
        changes: [
          ...r.changes,
          replyChange(ctx, text, { responseCode: tap, label: button.held ? '已面商' : '未面商' }),
        ],
      };
    },
  };
}

const CONSENT =
  /^(?:我)?(?:同意|愿意|可以)(?:把(?:这件|这个)?提案)?(?:转为|转成|转作|转入|转|作为)(?:社情民意信息|社情民意|意见建议|意见和建议|建议)(?:转送|报送|吧|可以)?(?:〔\d{4}〕)?第?0*(\d+)?号?$/;

/**
 * 「同意转社情民意」 (「同意转社情民意 12」 with several; 「同意转意见建议」 means the same): the proposer agrees that a proposal
 * not registered becomes a 社情民意 report; staff are told and convert it (flows/proposal_convert.yaml), which files the
 * report and tells the proposer its number. Also inside a flow: the phrase names what it is about.
 */
export function convertConsentRoute(): InboundRoute {
  return {
    name: 'proposal.convertConsent',
    phrases: ['同意转社情民意'],
    examples: {
      同意转社情民意: [
        '同意转为社情民意',
        '可以转成社情民意信息',
        '那就转社情民意吧',
        '我同意把提案转成社情民意',
        '同意转意见建议',
        '同意作为意见建议转送',
        '转成社情民意可以',
      ],
    },
    interruptsFlow: true,
    async handle(input, ctx): Promise<RouteResult | null> {
      if (input.type !== 'text' || !ctx.actor.member) return null;
      const m = CONSENT.exec(normalizeWidth(input.text).replace(/[\s。！!，,]/g, ''));
      if (!m) return null;
      const own = (await proposalStore(ctx.db).listForMember(ctx.actor.id)).filter(
        (p) => p.ownerId === ctx.actor.id && p.status === 'not_registered',
      );
      const seq = m[1] === undefined ? null : Number(m[1]);
      const target = seq === null ? (own.length === 1 ? own[0] : undefined) : own.find((p) => p.seq === seq);
      if (!target) {
        const text =
          own.length === 0
            ? '您目前没有不予立案、可以转社情民意的提案。'
            : [
                '请说明是哪一件：',
                ...own.map((p) => `· ${p.number}《${p.title}》：回复「同意转社情民意 ${p.seq}」`),
              ].join('\n');
        return { changes: [], replies: [text] };
      }
      // 转社情民意 is the office's act (with the proposer's consent): staff are told, once per proposal, and
      // convert it with 转社情民意.
      const staff = (await ctx.db.members.list()).filter((m) => m.role === 'staff' && m.active);
      const notice = `【转社情民意】${ctx.actor.member.name}同意将不予立案的提案 ${target.number}《${target.title}》转为社情民意信息。请发送「转社情民意」办理。`;
      return {
        changes: staff.map((s): Change => ({
          type: 'outbox.add',
          at: ctx.now,
          message: {
            dedupKey: `proposal:${target.id}:convert-consent:${s.userId}`,
            toUser: s.userId,
            message: { msgtype: 'text', text: { content: notice } },
          },
        })),
        replies: [
          `好的，已告知提案委员会：${target.number}《${target.title}》将转为社情民意信息，转入后会告诉您社情民意编号。`,
        ],
      };
    },
  };
}
