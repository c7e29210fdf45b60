/**
 * The contracts between the pipeline (core/) and the capabilities (features/). A feature is one folder that exports
 * one `Feature` from its index.ts; main.ts passes the list of them (src/features/index.ts) to the pipeline, which
 * only iterates it. Adding a capability is a new folder plus one line in that list.
 */
import type { Logger } from 'pino';
import type { z } from 'zod';
import type { AnswerValue, FlowState } from '../flows/index.js';
import type { Clock } from '../shared/clock.js';
import type { ChangeAppliers } from '../store/changeAppliers.js';
import type { Actor } from './actor.js';
import type { AdminRoute } from './adminRoute.js';
import type { Change, Database, OutboxItem } from './ports.js';

export type { Actor, AdminRoute, Change, ChangeAppliers };

/** What the pipeline hands a feature at run time; features never construct clients themselves. */
export interface FeatureRuntime {
  db: Database;
  clock: Clock;
  logger: Logger;
  /** Something was queued in the outbox outside a conversation turn (admin API, poller): deliver it now. */
  wakeSender(): void;
}

/** Where an effect runs: who the conversation is with, its flow state, and the facts the app started it with. */
export interface EffectContext {
  actor: Actor;
  state: FlowState;
  now: Date;
  /** What the app started the flow with (ConversationData.context), e.g. the notice a 请假 reason is for. */
  context: Record<string, string>;
  db: Database;
  logger: Logger;
}

/**
 * A side effect a flow may ask for by name (`effect: proposal.submit`). `payload` is checked before `run`, `result`
 * after it; `npm run flows:check` refuses a flow naming an effect no feature provides, a payload the schema refuses
 * and a `saveAs` key the result does not have. Reads happen in `run`; writes are returned as changes and committed
 * with the turn, so a crash before the commit redoes the whole turn and nothing is done twice.
 */
export interface EffectDef {
  readonly type: string;
  readonly payload: z.ZodType;
  readonly result: z.ZodObject;
  run(payload: unknown, ctx: EffectContext): Promise<{ data: Record<string, unknown>; changes: Change[] }>;
}

/** What a message is, in the pipeline's terms (the channel decoded it). */
export type InboundInput =
  | { type: 'text'; text: string }
  /** A menu item (WeCom click key). */
  | { type: 'click'; key: string }
  /** A tap on a button of a card the app sent. */
  | { type: 'cardTap'; eventKey: string; responseCode: string }
  /** A picture, voice, video, file, location or link: the flows take text only. */
  | { type: 'media' }
  /**
   * A citizen opened the 微信客服 conversation (enter_session): `scene` is the 客服 link's scene (null without one);
   * `welcomeCode` is present when WeCom lets us greet them (the channel answers through send_msg_on_event).
   */
  | { type: 'sessionStart'; scene: string | null; welcomeCode?: string };

export interface RouteContext {
  actor: Actor;
  now: Date;
  /** The inbox item being processed: replies are keyed by it, so processing it again adds nothing new. */
  inboxId: number;
  db: Database;
  officeContact: string;
}

export interface RouteResult {
  changes: Change[];
  /** Texts to the actor, sent after the changes (keyed by the inbox item). */
  replies?: string[];
  /** Continue in a flow the route chose (e.g. the 请假 reason flow after 请假). */
  startFlow?: { flowId: string; context: Record<string, string> };
}

/**
 * Phrases and events a feature answers outside any flow (参加 / 请假, 同意联名 12, a card tap). A route that does not
 * recognise the input returns null and the next route (finally the conversation flows) gets it.
 */
export interface InboundRoute {
  readonly name: string;
  /** Everyday phrases it answers; flows:check warns when a flow option is one of them. */
  readonly phrases: readonly string[];
  /**
   * Everyday utterances meaning a phrase, by the phrase (参加: 收到，准时参加 / 我参加 …). The matcher learns from them
   * and, when confident, hands the route the phrase itself, so the route keeps recognising exact forms only.
   */
  readonly examples?: Readonly<Record<string, readonly string[]>>;
  /**
   * May it take a text that arrives while the actor is answering a flow question? Default no: the answer is the
   * flow's. Card taps are never ambiguous and always reach the routes.
   */
  readonly interruptsFlow?: boolean;
  /**
   * Who the route answers: members (default: members and staff on the WeCom app), citizens (on 微信客服) or
   * everyone. A member feature's phrases (参加, 同意联名 12) are never tried for a citizen.
   */
  readonly audience?: 'members' | 'citizens' | 'everyone';
  handle(input: InboundInput, ctx: RouteContext): Promise<RouteResult | null>;
}

/** A background job of a feature (reminders, deadlines); started and stopped with the server. */
export interface Poller {
  start(): void;
  stop(): Promise<void>;
}

export interface Feature {
  readonly name: string;
  /** Appliers of the feature's Change variants, per dialect (its tables live in its folder). */
  readonly changes?: ChangeAppliers;
  readonly effects?: readonly EffectDef[];
  readonly routes?: readonly InboundRoute[];
  /** Flows whose unfinished conversations are kept as drafts the member can come back to. */
  readonly draftFlows?: readonly string[];
  adminRoutes?(runtime: FeatureRuntime): AdminRoute[];
  pollers?(runtime: FeatureRuntime): Poller[];
  /**
   * Drafts that exist before anyone saved them (a proposal returned for revision): offered with the stored drafts
   * of their flow (写提案 → 继续) and opened at the flow's summary with these answers.
   */
  draftSeeds?(actor: Actor, db: Database, now: Date): Promise<DraftSeed[]>;
  /**
   * What is waiting for this person now, one line each (an unanswered notice, a co-sign invitation): listed in the
   * help answer when a message was not understood.
   */
  pending?(actor: Actor, db: Database, now: Date): Promise<string[]>;
  /**
   * What a citizen may start with a tap (an open survey): items of the menu the citizens' help carries on 微信客服.
   * `id` comes back as the text of the tap (≤ 128 bytes); the feature's route must take it.
   */
  citizenChoices?(actor: Actor, db: Database, now: Date): Promise<MenuChoice[]>;
  /** Extra changes to commit with a delivered or failed outbox item (e.g. a notice's per-recipient delivery). */
  onDelivery?(report: DeliveryReport): Change[];
}

/** One item of a 微信客服 menu (msgmenu click): `id` is what a tap sends back, `label` what the citizen reads. */
export interface MenuChoice {
  id: string;
  label: string;
}

/**
 * A draft offered without a stored row. `id` is stable while the seed applies (a draft saved from it keeps the id,
 * so it is not offered twice); `note` replaces 「保存于 …」 in the list of drafts.
 */
export interface DraftSeed {
  id: string;
  flowId: string;
  title: string | null;
  note: string;
  answers: Record<string, AnswerValue>;
  updatedAt: Date;
}

/** What the sender reports about one outbox item once its fate is known. */
export interface DeliveryReport {
  item: OutboxItem;
  delivered: string[];
  failed: { userIds: string[]; error: string }[];
  at: Date;
}
