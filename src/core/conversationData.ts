import { z } from 'zod';
import { FlowStateSchema, type FlowState } from '../flows/index.js';
import { assertNever } from '../shared/errors.js';

/**
 * What a member's conversation row holds. `flow`: inside a flow, pinned to the definition it started on.
 * `pickDraft`: choosing among saved drafts before drafting starts.
 */
export type ConversationData =
  | {
      mode: 'flow';
      state: FlowState;
      def: unknown;
      draftId: string | null;
      /** Facts the app started the flow with (e.g. the notice a 请假 reason is for); effects read them. */
      context: Record<string, string>;
    }
  | {
      mode: 'pickDraft';
      flowId: string;
      draftIds: string[];
      /** 放弃 asked 「确定放弃草稿…吗？」 about this draft; the next answer confirms or keeps it. */
      abandoning?: string;
    }
  /** 「您是想：1. … 2. …？」 was asked; a number picks the intent, anything else is read afresh. */
  | { mode: 'pickIntent'; intentIds: string[] };

/** The data a draft row holds: the flow state to resume and the definition it is pinned to. */
export interface DraftData {
  state: FlowState;
  def: unknown;
}

/**
 * Rows are stored with the version of their shape in `v`, so a release that changes the shape can still read what
 * an earlier one saved (conversations and drafts outlive deployments: a draft may be resumed weeks later).
 * Version 1 is the shape saved before rows were versioned: the same fields, without `v`.
 * To change the shape: add a schema for the new version, make it the one written, and migrate the older ones.
 */
export const STORED_VERSION = 2;

const FlowConversationV2 = z.object({
  v: z.literal(2),
  mode: z.literal('flow'),
  state: FlowStateSchema,
  def: z.unknown(),
  draftId: z.string().nullable(),
  context: z.record(z.string(), z.string()),
});
const PickDraftV2 = z.object({
  v: z.literal(2),
  mode: z.literal('pickDraft'),
  flowId: z.string(),
  draftIds: z.array(z.string()),
  abandoning: z.string().optional(),
});
const PickIntentV2 = z.object({
  v: z.literal(2),
  mode: z.literal('pickIntent'),
  intentIds: z.array(z.string()),
});
const ConversationV2 = z.discriminatedUnion('mode', [FlowConversationV2, PickDraftV2, PickIntentV2]);
const DraftV2 = z.object({ v: z.literal(2), state: FlowStateSchema, def: z.unknown() });

/**
 * Version 1 was read leniently (a missing draftId meant none, a missing context was empty: rows from before those
 * fields existed); the fallbacks keep that. `v` must be absent, so a broken version-2 row is not read as version 1
 * (nor a row of a later version, after a rollback, misread as this one).
 */
const Unversioned = { v: z.never().optional() };
const ConversationV1 = z.discriminatedUnion('mode', [
  z.object({
    ...Unversioned,
    mode: z.literal('flow'),
    state: FlowStateSchema,
    def: z.unknown().optional(),
    draftId: z.string().nullable().catch(null),
    context: z.record(z.string(), z.string()).catch({}),
  }),
  z.object({
    ...Unversioned,
    mode: z.literal('pickDraft'),
    flowId: z.string(),
    draftIds: z.array(z.string()),
  }),
]);
const DraftV1 = z.object({ ...Unversioned, state: FlowStateSchema, def: z.unknown().optional() });

/** The stored conversation, or null when the row is missing or unreadable (the member then starts afresh). */
export function readConversation(data: unknown): ConversationData | null {
  const current = ConversationV2.safeParse(data);
  if (current.success) return toConversation(current.data);
  const v1 = ConversationV1.safeParse(data);
  return v1.success ? toConversation(v1.data) : null;
}

/** The stored draft, or null when it is unreadable (the member then starts the flow afresh). */
export function readDraft(data: unknown): DraftData | null {
  const parsed = DraftV2.safeParse(data);
  const row = parsed.success ? parsed.data : DraftV1.safeParse(data).data;
  return row ? { state: row.state, def: row.def } : null;
}

/** The row to save for a conversation, in the current version. */
export function writeConversation(data: ConversationData): ConversationData & { v: typeof STORED_VERSION } {
  return { ...data, v: STORED_VERSION };
}

/** The row to save for a draft, in the current version. */
export function writeDraft(data: DraftData): DraftData & { v: typeof STORED_VERSION } {
  return { ...data, v: STORED_VERSION };
}

/** The in-memory form: every version parses to the same fields, and `v` belongs to the row only. */
function toConversation(
  row: z.infer<typeof ConversationV2> | z.infer<typeof ConversationV1>,
): ConversationData {
  switch (row.mode) {
    case 'flow':
      return { mode: 'flow', state: row.state, def: row.def, draftId: row.draftId, context: row.context };
    case 'pickDraft':
      return {
        mode: 'pickDraft',
        flowId: row.flowId,
        draftIds: row.draftIds,
        ...('abandoning' in row && row.abandoning !== undefined ? { abandoning: row.abandoning } : {}),
      };
    case 'pickIntent':
      return { mode: 'pickIntent', intentIds: row.intentIds };
    default:
      return assertNever(row);
  }
}
