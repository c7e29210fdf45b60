import { z } from 'zod';
import { actorKey, WECOM_APP } from '../../core/actor.js';
import { defineEffect } from '../../core/defineEffect.js';
import type { EffectContext, EffectDef } from '../../core/feature.js';
import type { Change, Member } from '../../core/ports.js';
import type { AnswerValue } from '../../flows/index.js';
import { shanghaiParts } from '../../shared/chinaTime.js';
import {
  ADOPTION_LEVELS,
  ADOPTION_MODES,
  checkReport,
  formatReportNumber,
  formatStats,
  sentimentStats,
  type ReviewRequest,
} from './domain/index.js';
import type { NewReport, Report } from './ports.js';
import { citizenPseudonym, pickReport, reportDetailText } from './reportDetail.js';
import { reportLine, reviewReport } from './review.js';
import { sentimentStore } from './sentimentStore.js';
import { yearStats } from './stats.js';

/** The member drafting flow (flows/sentiment.yaml): its unfinished conversations are kept as drafts. */
export const SENTIMENT_FLOW_ID = 'sentiment';
export const STAFF_ONLY = '此功能仅限工作人员使用。';

const yearOf = (d: Date): number => shanghaiParts(d).year;

function staffOf(ctx: EffectContext): Member | null {
  const m = ctx.actor.member;
  return m && m.role === 'staff' ? m : null;
}

const problem = z.object({ field: z.string(), message: z.string() });

/**
 * Is this a citizen (no directory entry)? The member and citizen flows send the other kind elsewhere. A citizen who
 * writes to us opens their reply window again: their earlier reports may be answered at once from now on.
 */
const beginEffect = defineEffect({
  type: 'sentiment.begin',
  payload: z.strictObject({}),
  result: z.object({ citizen: z.boolean() }),
  async run(_p, ctx) {
    const citizen = ctx.actor.member === null;
    const seen: Change[] =
      citizen && ctx.actor.channel !== WECOM_APP
        ? [
            {
              type: 'sentiment.seen',
              reporterId: citizenPseudonym(ctx.actor.channel, ctx.actor.id),
              at: ctx.now,
            },
          ]
        : [];
    return { data: { citizen }, changes: seen };
  },
});

const checkEffect = defineEffect({
  type: 'sentiment.check',
  payload: z.strictObject({
    title: z.string(),
    situation: z.string(),
    analysis: z.string(),
    suggestions: z.string(),
  }),
  result: z.object({
    errors: z.array(problem),
    warnings: z.array(problem),
    text: z.string(),
    hasErrors: z.boolean(),
    errorField: z.string(),
    hasWarnings: z.boolean(),
  }),
  async run(payload, ctx) {
    const earlier = ctx.actor.member
      ? (await sentimentStore(ctx.db).listForReporter(ctx.actor.member.userId)).filter(
          (r) => r.reporterId === ctx.actor.member?.userId && r.state !== 'returned',
        )
      : [];
    const r = checkReport(
      payload,
      earlier.map((x) => x.title),
    );
    return {
      data: {
        errors: r.errors,
        warnings: r.warnings,
        text: [...r.errors, ...r.warnings].map((m) => m.message).join('\n'),
        hasErrors: r.errors.length > 0,
        errorField: r.errors[0]?.field ?? '',
        hasWarnings: r.warnings.length > 0,
      },
    };
  },
});

/** Builds the report's number and the submit change; a repeated submission with the same key finds the first. */
async function submitChanges(
  ctx: EffectContext,
  build: (year: number, seq: number) => NewReport,
  submitKey: string,
  actorId: string,
): Promise<{ report: NewReport | Report; duplicate: boolean; changes: Change[] }> {
  const store = sentimentStore(ctx.db);
  const existing = await store.getBySubmitKey(submitKey);
  if (existing) return { report: existing, duplicate: true, changes: [] };
  const year = yearOf(ctx.now);
  const report = build(year, (await store.maxSeq(year)) + 1);
  const staff = (await ctx.db.members.list()).filter((m) => m.role === 'staff' && m.active);
  const source = report.source === 'citizen' ? '群众留言（民意线索）' : '社情民意';
  const changes: Change[] = [
    { type: 'sentiment.submit', report, actorId, at: ctx.now },
    ...staff.map((s): Change => ({
      type: 'outbox.add',
      at: ctx.now,
      message: {
        dedupKey: `sentiment:${submitKey}:staff:${s.userId}`,
        toUser: s.userId,
        message: {
          msgtype: 'text',
          text: {
            content: `【新${source}】${report.number}《${report.title}》待审核。发送「社情民意审核」处理。`,
          },
        },
      },
    })),
  ];
  return { report, duplicate: false, changes };
}

const submitEffect = defineEffect({
  type: 'sentiment.submit',
  payload: z.strictObject({ answers: z.record(z.string(), z.unknown()) }),
  result: z.object({ number: z.string(), duplicate: z.boolean() }),
  async run(_payload, ctx) {
    const member = ctx.actor.member;
    if (!member) throw new Error('sentiment.submit needs a registered member');
    const a = ctx.state.answers;
    const submitKey = `${member.userId}:${ctx.state.flowId}:${ctx.state.startedAt}`;
    const joint = jointIds(a).filter((id) => id !== member.userId);
    const out = await submitChanges(
      ctx,
      (year, seq) => ({
        submitKey,
        year,
        seq,
        number: formatReportNumber(year, seq),
        source: 'member',
        reporterId: member.userId,
        jointIds: joint,
        replyTo: null,
        replyChannel: null,
        title: text(a.title),
        category: text(a.category) || null,
        situation: text(a.situation),
        analysis: text(a.analysis),
        suggestions: text(a.suggestions),
        town: null,
        contact: null,
        proposalId: null,
      }),
      submitKey,
      member.userId,
    );
    return { data: { number: out.report.number, duplicate: out.duplicate }, changes: out.changes };
  },
});

/** A citizen's 留言反映问题 (flows/sentiment_clue.yaml): a 民意线索 in the review queue, data minimised. */
const clueEffect = defineEffect({
  type: 'sentiment.clue',
  payload: z.strictObject({ answers: z.record(z.string(), z.unknown()) }),
  result: z.object({ number: z.string(), duplicate: z.boolean() }),
  async run(_payload, ctx) {
    if (ctx.actor.member) throw new Error('sentiment.clue is for citizens');
    const a = ctx.state.answers;
    const pseudonym = citizenPseudonym(ctx.actor.channel, ctx.actor.id);
    const submitKey = `${pseudonym}:${ctx.state.flowId}:${ctx.state.startedAt}`;
    const message = text(a.message);
    const out = await submitChanges(
      ctx,
      (year, seq) => ({
        submitKey,
        year,
        seq,
        number: formatReportNumber(year, seq),
        source: 'citizen',
        reporterId: pseudonym,
        jointIds: [],
        // The raw id only while an outcome may still be told (review.ts clears it).
        replyTo: ctx.actor.channel === WECOM_APP ? null : ctx.actor.id,
        replyChannel: ctx.actor.channel === WECOM_APP ? null : ctx.actor.channel,
        title: clueTitle(message),
        category: null,
        situation: message,
        analysis: '',
        suggestions: '',
        town: a.giveTown === true ? text(a.town) || null : null,
        contact: a.giveContact === true ? text(a.contact) || null : null,
        proposalId: null,
      }),
      submitKey,
      pseudonym,
    );
    return { data: { number: out.report.number, duplicate: out.duplicate }, changes: out.changes };
  },
});

/** The first sentence of a citizen's message, as the title staff see in the queue. */
export function clueTitle(message: string): string {
  const first = message.trim().split(/[。！？!?\n]/u)[0] ?? '';
  const chars = [...first];
  return chars.length > 30 ? `${chars.slice(0, 30).join('')}…` : first || '群众留言';
}

const mineEffect = defineEffect({
  type: 'sentiment.mine',
  payload: z.strictObject({}),
  result: z.object({ count: z.number(), text: z.string() }),
  async run(_p, ctx) {
    const userId = ctx.actor.member?.userId ?? '';
    const list = userId ? await sentimentStore(ctx.db).listForReporter(userId) : [];
    const drafts = (await ctx.db.drafts.listForUser(actorKey(ctx.actor))).filter(
      (d) => d.flowId === SENTIMENT_FLOW_ID,
    );
    const draftLine =
      drafts.length === 0 ? [] : [`另有 ${drafts.length} 份未提交的草稿，发送「反映社情民意」可以继续填写。`];
    const lines = list.map((r, i) => `${i + 1}. ${reportLine(r)}`);
    const text =
      list.length > 0
        ? [...lines, ...draftLine].join('\n')
        : drafts.length > 0
          ? `您还没有报送过社情民意，但有 ${drafts.length} 份未完成的草稿，发送「反映社情民意」可以继续填写。`
          : '您还没有报送过社情民意。发送「反映社情民意」可以报送一篇。';
    return { data: { count: list.length, text } };
  },
});

const findEffect = defineEffect({
  type: 'sentiment.find',
  payload: z.strictObject({ query: z.string() }),
  result: z.object({ found: z.boolean(), text: z.string() }),
  async run(payload, ctx) {
    const store = sentimentStore(ctx.db);
    const list = ctx.actor.member ? await store.listForReporter(ctx.actor.member.userId) : [];
    const found = pickReport(list, payload.query);
    if (!found)
      return {
        data: { found: false, text: '没有找到这篇社情民意。请回复列表中的序号（如「1」）或标题中的词语。' },
      };
    return {
      data: { found: true, text: await reportDetailText(ctx.db, found, await store.events(found.id)) },
    };
  },
});

/** What staff still have to work on: pending first, then adopted / reported / forwarded. */
async function workList(ctx: EffectContext): Promise<Report[]> {
  const all = await sentimentStore(ctx.db).list({});
  const order = ['pending', 'forwarded', 'adopted', 'reported'] as const;
  return order.flatMap((s) => all.filter((r) => r.state === s));
}

const queueEffect = defineEffect({
  type: 'sentiment.queue',
  payload: z.strictObject({}),
  result: z.object({ count: z.number(), text: z.string() }),
  async run(_p, ctx) {
    if (!staffOf(ctx)) return { data: { count: 0, text: STAFF_ONLY } };
    const list = await workList(ctx);
    if (list.length === 0) return { data: { count: 0, text: '目前没有待审核或待办理的社情民意。' } };
    const shown = list.slice(0, 20);
    const text = [
      `待处理的社情民意（共 ${list.length} 篇${list.length > shown.length ? `，列出前 ${shown.length} 篇` : ''}）：`,
      ...shown.map((r, i) => `${i + 1}. ${reportLine(r)}${r.source === 'citizen' ? '〔群众〕' : ''}`),
    ].join('\n');
    return { data: { count: list.length, text } };
  },
});

const showEffect = defineEffect({
  type: 'sentiment.show',
  payload: z.strictObject({ which: z.string() }),
  result: z.object({ found: z.boolean(), text: z.string(), reportId: z.string() }),
  async run(payload, ctx) {
    if (!staffOf(ctx)) return { data: { found: false, text: STAFF_ONLY, reportId: '' } };
    const store = sentimentStore(ctx.db);
    const list = await workList(ctx);
    const found =
      pickReport(list, payload.which) ??
      (/号/u.test(payload.which)
        ? pickReport(await store.list({ year: yearOf(ctx.now) }), payload.which)
        : null);
    if (!found)
      return {
        data: {
          found: false,
          text: `没有找到「${payload.which}」对应的社情民意，请回复列表中的序号。`,
          reportId: '',
        },
      };
    return {
      data: {
        found: true,
        text: await reportDetailText(ctx.db, found, await store.events(found.id)),
        reportId: String(found.id),
      },
    };
  },
});

/** The staff flow's choice values (sentiment_review.yaml), which its confirmation shows. */
const ACTION_BY_LABEL: Readonly<Record<string, ReviewRequest['action']>> = {
  采用: 'adopt',
  留存: 'keep',
  退回修改: 'return',
  领导批示: 'instruct',
  报送: 'report_up',
  转办: 'forward',
  办理结果: 'forward_result',
};

const actEffect = defineEffect({
  type: 'sentiment.act',
  payload: z.strictObject({
    reportId: z.string(),
    action: z.string(),
    answers: z.record(z.string(), z.unknown()),
  }),
  result: z.object({ ok: z.boolean(), text: z.string() }),
  async run(p, ctx) {
    const staff = staffOf(ctx);
    if (!staff) return { data: { ok: false, text: STAFF_ONLY } };
    const a = ctx.state.answers;
    const request = requestOf({
      action: p.action,
      level: text(a.level),
      mode: text(a.mode),
      reason: text(a.reason),
      by: text(a.by),
      text: text(a.note),
      unit: text(a.unit),
      dueDate: text(a.dueDate),
    });
    if (!request) return { data: { ok: false, text: '操作内容不完整，请重新选择。' } };
    const out = await reviewReport(ctx.db, {
      reportId: Number(p.reportId),
      request,
      actorId: staff.userId,
      now: ctx.now,
    });
    if (!out.ok) return { data: { ok: false, text: out.reason } };
    const told =
      out.event.tell === 'queued'
        ? '已通知反映人。'
        : out.event.tell === 'waiting'
          ? '反映人（群众）超过 48 小时未留言，将在其下次留言时告知。'
          : '';
    return {
      data: {
        ok: true,
        text: `已登记：${out.report.number}《${out.report.title}》${out.event.summary}。${told}`,
      },
      changes: out.changes,
    };
  },
});

/** The chat's flat payload as a review request; null when a needed part is missing. */
export function requestOf(p: {
  action: string;
  level?: string | undefined;
  mode?: string | undefined;
  reason?: string | undefined;
  by?: string | undefined;
  text?: string | undefined;
  unit?: string | undefined;
  dueDate?: string | undefined;
}): ReviewRequest | null {
  const action = ACTION_BY_LABEL[p.action];
  const level = ADOPTION_LEVELS.find((l) => l === p.level);
  const mode = ADOPTION_MODES.find((m) => m === p.mode);
  const has = (s: string | undefined): s is string => s !== undefined && s.trim() !== '';
  if (action === undefined) return null;
  switch (action) {
    case 'adopt':
      return level && mode ? { action, level, mode } : null;
    case 'keep':
      return { action };
    case 'return':
      return has(p.reason) ? { action, reason: p.reason.trim() } : null;
    case 'instruct':
      return has(p.by) && has(p.text) ? { action, by: p.by.trim(), text: p.text.trim() } : null;
    case 'report_up':
      return level ? { action, level } : null;
    case 'forward':
      return has(p.unit) && has(p.dueDate)
        ? { action, unit: p.unit.trim(), dueDate: p.dueDate.trim() }
        : null;
    case 'forward_result':
      return has(p.text) ? { action, text: p.text.trim() } : null;
  }
}

const statsEffect = defineEffect({
  type: 'sentiment.stats',
  payload: z.strictObject({}),
  result: z.object({ text: z.string() }),
  async run(_p, ctx) {
    if (!staffOf(ctx)) return { data: { text: STAFF_ONLY } };
    const year = yearOf(ctx.now);
    return { data: { text: formatStats(year, sentimentStats(await yearStats(ctx.db, year))) } };
  },
});

function text(v: AnswerValue | undefined): string {
  if (v === undefined) return '';
  if (Array.isArray(v)) return v.join('、');
  if (typeof v === 'object') return v.name;
  return String(v);
}

/** Joint reporters picked anywhere in the answers (member steps), in order, once each. */
function jointIds(answers: Record<string, AnswerValue>): string[] {
  const ids: string[] = [];
  for (const v of Object.values(answers))
    if (typeof v === 'object' && !Array.isArray(v) && !ids.includes(v.userId)) ids.push(v.userId);
  return ids;
}

export const sentimentEffects: EffectDef[] = [
  beginEffect,
  checkEffect,
  submitEffect,
  clueEffect,
  mineEffect,
  findEffect,
  queueEffect,
  showEffect,
  actEffect,
  statsEffect,
];
