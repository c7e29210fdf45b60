import { randomUUID } from 'node:crypto';
import type { Logger } from 'pino';
import {
  initialState,
  isExpired,
  matchTrigger,
  renderOptions,
  normalizeText,
  parseConfirm,
  reconcileState,
  step,
  type CompiledFlow,
  type FlowInput,
  type FlowState,
  type StepResult,
  type TriggerRole,
} from '../flows/index.js';
import { TEXT_MAX_BYTES } from '../wecom/limits.js';
import type { ChoiceMenu } from '../wecom/outbound.js';
import {
  readConversation,
  readDraft,
  writeConversation,
  writeDraft,
  type ConversationData,
} from './conversationData.js';
import type { FlowRegistry } from './flowRegistry.js';
import { actorKey, roleOf, type Actor } from './actor.js';
import type { Change, Database } from './ports.js';
import type { EffectRunner } from './runEffect.js';
import { conversationTexts as texts } from './texts.js';
import { helpAnswer, type DraftSeedLookup, type PendingLookup } from './helpAnswer.js';
import type { DraftSeed } from './feature.js';
import { findTrigger } from '../nlu/index.js';
import { matchCommand } from '../flows/commands.js';

export interface ConverseDeps {
  db: Database;
  flows: FlowRegistry;
  runEffect: EffectRunner;
  logger: Logger;
  /** Idle conversations expire after this long, their draft kept (default 30 min). */
  idleMs: number;
  /** Flows whose unfinished conversations are kept as drafts the member can come back to. */
  draftFlows: readonly string[];
  /** What is waiting for the person (listed when a message is not understood); none by default. */
  pending?: PendingLookup;
  /** Drafts offered before they are stored (a proposal returned for revision); none by default. */
  draftSeeds?: DraftSeedLookup;
}

/** Effects a flow may chain before it must stop and wait for the member (guards against a loop in a flow file). */
const MAX_EFFECTS_PER_TURN = 12;

/**
 * One member's turn: loads the conversation, runs the flow engine on the input, performs the effects it asks for,
 * and returns every change — new state, drafts, domain writes, replies — to commit with the inbox item.
 */
export async function converse(
  deps: ConverseDeps,
  turn: {
    actor: Actor;
    input: FlowInput;
    inboxId: number;
    now: Date;
    /** The app starts this flow instead of reading the input (e.g. the 请假 reason flow after a card tap). */
    start?: { flowId: string; context: Record<string, string> };
  },
): Promise<Change[]> {
  const { actor, input, now } = turn;
  const key = actorKey(actor);
  const changes: Change[] = [];
  const replies: string[] = [];
  const record = await deps.db.conversations.get(key);
  let data = readConversation(record?.data ?? null);

  const keptDrafts: NonNullable<TurnCtx['keptDrafts']> = [];
  if (
    data?.mode === 'flow' &&
    data.state.status === 'active' &&
    isExpired(data.state, now, idleMsOf(deps, data))
  ) {
    const kept = keepDraft(deps, changes, key, data, now);
    if (kept && resumesAfterExpiry(deps, turn, actor)) {
      // The member answers the question left open: the draft is kept (in case), and the answer is not lost.
      replies.push(texts.expiredResumed);
      data = { ...data, draftId: kept.id };
    } else {
      if (kept) keptDrafts.push(kept);
      replies.push(texts.expired(kept !== null));
      data = null;
    }
  }

  let next: ConversationData | null;
  const started = turn.start ? deps.flows.get(turn.start.flowId) : null;
  if (turn.start && started) {
    // Whatever the member was doing is kept as a draft (if it is one) and the app's flow begins.
    if (data?.mode === 'flow' && data.state.status === 'active') keepDraft(deps, changes, key, data, now);
    next = await runFlow(
      deps,
      { input, actor, now, changes, replies },
      { flow: started, state: null, input: { type: 'start' }, draftId: null, context: turn.start.context },
    );
  } else if (turn.start) {
    deps.logger.error({ flowId: turn.start.flowId }, 'the app asked for a flow that is not loaded');
    next = data;
  } else if (data?.mode === 'pickDraft') {
    next = await pickDraft(deps, { data, input, actor, now, changes, replies });
  } else if (data?.mode === 'flow' && data.state.status === 'active') {
    next = await continueFlow(deps, { data, input, actor, now, changes, replies });
  } else {
    next = await startFromTrigger(deps, { input, actor, now, changes, replies, keptDrafts });
  }

  changes.push(
    next
      ? { type: 'conversation.save', userId: key, data: writeConversation(next), at: now }
      : { type: 'conversation.delete', userId: key },
  );
  const packed = packReplies(replies);
  const menu = next?.mode === 'flow' ? choiceMenu(deps, next, packed[packed.length - 1]) : null;
  packed.forEach((content, i) =>
    changes.push({
      type: 'outbox.add',
      at: now,
      message: {
        dedupKey: `reply:${turn.inboxId}:${i}`,
        toUser: actor.id,
        channel: actor.channel,
        message: {
          msgtype: 'text',
          text: { content },
          ...(menu && i === packed.length - 1 ? { menu } : {}),
        },
      },
    }),
  );
  return changes;
}

/**
 * The open single-choice question at the end of the turn's last text, as a menu a channel may show instead of the
 * numbered lines (微信客服 msgmenu, ≤ 10 items, ids ≤ 128 bytes); null when there is none or it cannot be one.
 */
function choiceMenu(
  deps: ConverseDeps,
  data: Extract<ConversationData, { mode: 'flow' }>,
  last: string | undefined,
): ChoiceMenu | null {
  if (last === undefined || data.state.waiting !== null) return null;
  const flow = deps.flows.pinned(data.def) ?? deps.flows.get(data.state.flowId);
  const step = flow?.steps.get(data.state.stepId);
  if (step?.type !== 'choice' || step.options.length > 10) return null;
  if (step.options.some((o) => Buffer.byteLength(o.value) > 128)) return null;
  const block = renderOptions(step.options);
  const at = last.lastIndexOf(block);
  if (at < 0) return null;
  return {
    head: last.slice(0, at).trimEnd(),
    options: step.options.map((o) => ({ id: o.value, label: o.label })),
    tail: last.slice(at + block.length).trimStart(),
  };
}

/** After an idle timeout, a plain text (not a request that starts another flow) still answers the open question. */
function resumesAfterExpiry(
  deps: ConverseDeps,
  turn: { input: FlowInput; start?: unknown },
  actor: Actor,
): boolean {
  if (turn.start !== undefined || turn.input.type !== 'text') return false;
  return findTriggeredFlow(deps.flows, turn.input, roleOf(actor)).flow === null;
}

interface TurnCtx {
  /** Drafts kept earlier in this same turn (not committed yet, so not in the store). */
  keptDrafts?: { id: string; flowId: string; title: string | null; updatedAt: Date }[];
  input: FlowInput;
  actor: Actor;
  now: Date;
  changes: Change[];
  replies: string[];
}

async function startFromTrigger(deps: ConverseDeps, ctx: TurnCtx): Promise<ConversationData | null> {
  const { flow, rest } = findTriggeredFlow(deps.flows, ctx.input, roleOf(ctx.actor));
  if (!flow) {
    // Right after an expiry notice, a stray answer needs no second explanation.
    const justExpired = (ctx.keptDrafts?.length ?? 0) > 0;
    if (ctx.input.type === 'text' && !justExpired) {
      const said = ctx.input.text.trim();
      ctx.replies.push(
        /^(取消|退出|结束|算了|返回)$/.test(said)
          ? texts.nothingToCancel
          : helpAnswer(deps.flows.flows, roleOf(ctx.actor), (await deps.pending?.(ctx.actor, ctx.now)) ?? []),
      );
    }
    // A menu item no flow answers (or one for staff only): say so rather than stay silent.
    if (ctx.input.type === 'click') ctx.replies.push(texts.menuUnavailable);
    return null;
  }
  if (deps.draftFlows.includes(flow.id)) {
    const stored = await deps.db.drafts.listForUser(actorKey(ctx.actor));
    const kept = (ctx.keptDrafts ?? []).filter((k) => !stored.some((d) => d.id === k.id));
    const seeds = (await seedsFor(deps, ctx, flow.id)).filter(
      (s) => !stored.some((d) => d.id === s.id) && !kept.some((k) => k.id === s.id),
    );
    const drafts = [...seeds, ...kept, ...stored].filter((d) => d.flowId === flow.id);
    if (drafts.length > 0) {
      ctx.replies.push(texts.draftList(drafts.map(listed)));
      return { mode: 'pickDraft', flowId: flow.id, draftIds: drafts.map((d) => d.id) };
    }
  }
  const started = await runFlow(deps, ctx, { flow, state: null, input: { type: 'start' }, draftId: null });
  // 「查提案 12」: what follows the keyword answers the flow's first question — only a free-text one. A number after
  // 「通知统计」 must never answer a confirmation (and send reminders) or pick an option unseen.
  if (rest && started?.mode === 'flow' && flow.steps.get(started.state.stepId)?.type === 'ask') {
    return runFlow(deps, ctx, {
      flow,
      state: started.state,
      input: { type: 'text', text: rest },
      draftId: started.draftId,
    });
  }
  return started;
}

/** The flow a message starts: a trigger keyword alone, or a keyword followed by a space or colon and an answer. */
function findTriggeredFlow(
  registry: FlowRegistry,
  input: FlowInput,
  role: TriggerRole,
): { flow: CompiledFlow | null; rest: string | null } {
  const found = findTrigger(registry.flows, input, role);
  return found ? { flow: registry.get(found.flowId), rest: found.rest } : { flow: null, rest: null };
}

async function continueFlow(
  deps: ConverseDeps,
  ctx: TurnCtx & { data: Extract<ConversationData, { mode: 'flow' }> },
): Promise<ConversationData | null> {
  const { data } = ctx;
  const pinned = deps.flows.pinned(data.def);
  const current = deps.flows.get(data.state.flowId) ?? pinned;
  if (!current) {
    // The flow file is gone and the pinned copy no longer compiles: end the conversation politely, keep the draft.
    keepDraft(deps, ctx.changes, actorKey(ctx.actor), data, ctx.now);
    ctx.replies.push(texts.flowGone);
    return null;
  }
  const reconciled = reconcileState({
    state: data.state,
    current,
    ...(pinned ? { pinned } : {}),
    now: ctx.now,
  });
  if (reconciled.notice) ctx.replies.push(reconciled.notice);
  const query = interruptingQuery(deps, ctx, reconciled.flow);
  if (query) {
    // 「我的提案」 while drafting: answered, then the open question again. The query's own follow-up (if any) is
    // not kept: the draft's question is the one open.
    await runFlow(deps, ctx, { flow: query, state: null, input: { type: 'start' }, draftId: null });
  }
  return runFlow(deps, ctx, {
    flow: reconciled.flow,
    state: reconciled.state,
    input: query ? { type: 'resume' } : ctx.input,
    draftId: data.draftId,
    context: data.context,
  });
}

/**
 * A flow marked `interrupts` (a query such as 我的提案, 帮助) whose keyword is the whole text, typed inside another
 * flow. Not when the text is a command of the open flow (帮助 there is the question's own help).
 */
function interruptingQuery(deps: ConverseDeps, ctx: TurnCtx, open: CompiledFlow): CompiledFlow | null {
  if (ctx.input.type !== 'text' || matchCommand(ctx.input.text, open.commands)) return null;
  // Someone outside the directory (a citizen answering a survey) never reaches the members' queries.
  if (ctx.actor.member === null) return null;
  const id = matchTrigger(deps.flows.flows, ctx.input, { role: roleOf(ctx.actor) });
  const flow = id ? deps.flows.get(id) : null;
  return flow?.def.interrupts === true && flow.id !== open.id ? flow : null;
}

async function pickDraft(
  deps: ConverseDeps,
  ctx: TurnCtx & { data: Extract<ConversationData, { mode: 'pickDraft' }> },
): Promise<ConversationData | null> {
  const { data } = ctx;
  const flow = deps.flows.get(data.flowId);
  // Normalised like every flow answer: 「继续吧」「继续１」「放弃。」 are 继续 / 继续 1 / 放弃.
  const text = normalizeText(
    ctx.input.type === 'text' ? ctx.input.text : ctx.input.type === 'click' ? ctx.input.key : '',
  );
  if (!flow) return null;
  if (data.abandoning !== undefined) return confirmAbandon(deps, ctx, data.abandoning, text);
  if (/^(新建|重新开始|新的|重新写)$/.test(text)) {
    return runFlow(deps, ctx, { flow, state: null, input: { type: 'start' }, draftId: null });
  }
  if (/^(取消|退出|算了?)$/.test(text)) {
    ctx.replies.push(texts.draftPickCancelled);
    return null;
  }
  // With a single draft, 继续 / 放弃 need no number.
  const only = data.draftIds.length === 1 ? '1' : '';
  const abandon = /^(放弃|删除)(?:草稿)?\s*(\d*)$/.exec(text);
  const pick = text ? /^(继续|继续填写)?\s*(\d*)$/.exec(text) : null;
  const match = abandon ?? pick;
  const chosen = match ? match[2] || only : '';
  const index = chosen ? Number(chosen) - 1 : -1;
  const draftId = data.draftIds[index];
  if (!match) {
    // Another request (e.g. 我的提案) leaves the choice; the drafts stay.
    const other = findTriggeredFlow(deps.flows, ctx.input, roleOf(ctx.actor)).flow;
    if (other && other.id !== data.flowId) return startFromTrigger(deps, ctx);
  }
  if (draftId === undefined) {
    ctx.replies.push(texts.draftList(await offered(deps, ctx, data)));
    return data;
  }
  if (abandon) {
    const draft = await deps.db.drafts.get(draftId);
    ctx.replies.push(texts.confirmAbandon(draft?.title ?? null));
    return { ...data, abandoning: draftId };
  }
  const draft = await deps.db.drafts.get(draftId);
  const kept = draft ? readDraft(draft.data) : null;
  if (!kept) {
    // Not stored: a seed (a proposal returned for revision) opens at the summary with its answers.
    const seed = draft ? undefined : (await seedsFor(deps, ctx, flow.id)).find((s) => s.id === draftId);
    if (seed)
      return runFlow(deps, ctx, {
        flow,
        state: seededState(flow, seed, ctx.now),
        input: { type: 'resume' },
        draftId,
      });
    return runFlow(deps, ctx, { flow, state: null, input: { type: 'start' }, draftId: null });
  }
  const pinned = deps.flows.pinned(kept.def);
  const state: FlowState = { ...kept.state, status: 'active', waiting: null };
  const reconciled = reconcileState({ state, current: flow, ...(pinned ? { pinned } : {}), now: ctx.now });
  if (reconciled.notice) ctx.replies.push(reconciled.notice);
  return runFlow(deps, ctx, {
    flow: reconciled.flow,
    state: reconciled.state,
    input: { type: 'resume' },
    draftId,
  });
}

/** The answer to 「确定放弃草稿《…》吗？」: 确定 deletes it; 取消 / 不 keeps it and shows the drafts again. */
async function confirmAbandon(
  deps: ConverseDeps,
  ctx: TurnCtx & { data: Extract<ConversationData, { mode: 'pickDraft' }> },
  draftId: string,
  text: string,
): Promise<ConversationData | null> {
  const { abandoning: _asked, ...data } = ctx.data;
  const yes = /^(确定|确认|放弃|删除|删掉)$/.test(text) || parseConfirm(text) === true;
  const no = /^(取消|算了|保留|不放弃)$/.test(text) || parseConfirm(text) === false;
  if (yes) {
    ctx.changes.push({ type: 'draft.delete', id: draftId });
    ctx.replies.push(texts.draftAbandoned);
    const rest = data.draftIds.filter((id) => id !== draftId);
    return rest.length > 0 ? { ...data, draftIds: rest } : null;
  }
  const draft = await deps.db.drafts.get(draftId);
  if (!no) {
    ctx.replies.push(texts.confirmAbandon(draft?.title ?? null));
    return ctx.data;
  }
  ctx.replies.push(texts.abandonKept);
  ctx.replies.push(texts.draftList(await offered(deps, ctx, data)));
  return data;
}

async function seedsFor(deps: ConverseDeps, ctx: TurnCtx, flowId: string): Promise<DraftSeed[]> {
  return ((await deps.draftSeeds?.(ctx.actor, ctx.now)) ?? []).filter((s) => s.flowId === flowId);
}

function listed(d: { title: string | null; updatedAt: Date; note?: string }) {
  return { title: d.title, updatedAt: d.updatedAt, ...(d.note === undefined ? {} : { note: d.note }) };
}

/** The drafts a pickDraft conversation offers, stored or seeded, in its order. */
async function offered(
  deps: ConverseDeps,
  ctx: TurnCtx,
  data: Extract<ConversationData, { mode: 'pickDraft' }>,
): Promise<{ title: string | null; updatedAt: Date; note?: string }[]> {
  const stored = await deps.db.drafts.listForUser(actorKey(ctx.actor));
  const seeds = await seedsFor(deps, ctx, data.flowId);
  return data.draftIds.flatMap((id) => {
    const d = stored.find((s) => s.id === id) ?? seeds.find((s) => s.id === id);
    return d ? [listed(d)] : [];
  });
}

/** A seed's conversation: the flow's summary with the seed's answers (or its start when it has no summary). */
function seededState(flow: CompiledFlow, seed: DraftSeed, now: Date): FlowState {
  const summary = [...flow.steps.values()].find((s) => s.type === 'summary');
  return { ...initialState(flow, now), answers: seed.answers, stepId: summary?.id ?? flow.def.start };
}

/** Steps the flow, performing awaited effects and feeding their results back, until it waits for the member. */
async function runFlow(
  deps: ConverseDeps,
  ctx: TurnCtx,
  start: {
    flow: CompiledFlow;
    state: FlowState | null;
    input: FlowInput;
    draftId: string | null;
    context?: Record<string, string>;
  },
): Promise<ConversationData | null> {
  const { flow } = start;
  const context = start.context ?? {};
  let draftId = start.draftId;
  let before = start.state;
  let result: StepResult = step({ flow, state: before, input: start.input, now: ctx.now });
  for (let i = 0; ; i++) {
    // 取消 before any answer: nothing to keep, so no empty 「（未填标题）」 draft and no "saved as a draft" either.
    const keeps = result.effects.some((e) => e.type === 'draft.keep') && deps.draftFlows.includes(flow.id);
    const empty = keeps && (before === null || Object.keys(before.answers).length === 0);
    if (empty) ctx.replies.push(texts.nothingKept(flow.def.triggers?.keywords?.[0]));
    else ctx.replies.push(...result.replies.map((r) => r.text));
    for (const effect of result.effects) {
      if (effect.type === 'draft.keep' && before && !empty && deps.draftFlows.includes(flow.id)) {
        draftId ??= randomUUID();
        ctx.changes.push(draftSave(draftId, actorKey(ctx.actor), flow, before, ctx.now));
      } else if (effect.type === 'flow.error') {
        deps.logger.error(
          { flowId: flow.id, effect: effect.payload },
          'flow engine reported an internal error',
        );
      }
    }
    const awaited = result.effects.find((e) => e.awaitsResult);
    if (!awaited) break;
    if (i >= MAX_EFFECTS_PER_TURN) {
      deps.logger.error({ flowId: flow.id }, 'too many effects in one turn; stopping the flow');
      ctx.replies.push(texts.flowGone);
      return null;
    }
    const outcome = await deps.runEffect(awaited, {
      actor: ctx.actor,
      state: result.state,
      now: ctx.now,
      context,
    });
    ctx.changes.push(...outcome.changes);
    before = result.state;
    result = step({ flow, state: result.state, input: outcome.result, now: ctx.now });
  }
  if (result.status === 'active') {
    return { mode: 'flow', state: result.state, def: flow.def, draftId, context };
  }
  // Finished: a submitted draft is gone; a cancelled one was kept by its draft.keep effect above.
  if (result.status === 'done' && draftId) ctx.changes.push({ type: 'draft.delete', id: draftId });
  return null;
}

function keepDraft(
  deps: ConverseDeps,
  changes: Change[],
  userId: string,
  data: Extract<ConversationData, { mode: 'flow' }>,
  now: Date,
): { id: string; flowId: string; title: string | null; updatedAt: Date } | null {
  const { state } = data;
  if (!deps.draftFlows.includes(state.flowId) || Object.keys(state.answers).length === 0) return null;
  const flow = deps.flows.pinned(data.def) ?? deps.flows.get(state.flowId);
  if (!flow) return null;
  const change = draftSave(data.draftId ?? randomUUID(), userId, flow, state, now);
  changes.push(change);
  return change.type === 'draft.save'
    ? { id: change.draft.id, flowId: flow.id, title: change.draft.title, updatedAt: now }
    : null;
}

function draftSave(id: string, userId: string, flow: CompiledFlow, state: FlowState, now: Date): Change {
  const title = typeof state.answers.title === 'string' ? state.answers.title : null;
  return {
    type: 'draft.save',
    at: now,
    draft: { id, userId, flowId: flow.id, title, data: writeDraft({ state, def: flow.def }) },
  };
}

/** Joins a turn's replies into as few WeCom texts as fit in TEXT_MAX_BYTES (members get ≤ 30 messages a minute). */
export function packReplies(replies: readonly string[]): string[] {
  const out: string[] = [];
  for (const r of replies) {
    if (!r) continue;
    const last = out[out.length - 1];
    if (last !== undefined && Buffer.byteLength(`${last}\n\n${r}`) <= TEXT_MAX_BYTES)
      out[out.length - 1] = `${last}\n\n${r}`;
    else out.push(r);
  }
  return out;
}

/** How long a conversation in this flow may stay silent: the flow's own idleMinutes, else the app's setting. */
export function idleMsOf(deps: Pick<ConverseDeps, 'idleMs'>, data: { def: unknown }): number {
  const minutes: unknown =
    typeof data.def === 'object' && data.def !== null ? Reflect.get(data.def, 'idleMinutes') : undefined;
  return typeof minutes === 'number' && Number.isFinite(minutes) && minutes > 0
    ? minutes * 60_000
    : deps.idleMs;
}
