import type { FlowState } from '../flows/index.js';

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
    };

/** The data a draft row holds: the flow state to resume and the definition it is pinned to. */
export interface DraftData {
  state: FlowState;
  def: unknown;
}

function isRecord(v: unknown): v is Record<string, unknown> {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

/** Narrows a flow state read back from storage (we wrote it; this guards against a hand-edited row). */
export function isFlowState(v: unknown): v is FlowState {
  return (
    isRecord(v) &&
    typeof v.flowId === 'string' &&
    typeof v.stepId === 'string' &&
    typeof v.hash === 'string' &&
    isRecord(v.answers) &&
    (v.status === 'active' || v.status === 'done' || v.status === 'cancelled')
  );
}

export function readConversation(data: unknown): ConversationData | null {
  if (!isRecord(data)) return null;
  if (data.mode === 'flow' && isFlowState(data.state)) {
    return {
      mode: 'flow',
      state: data.state,
      def: data.def,
      draftId: typeof data.draftId === 'string' ? data.draftId : null,
      context: readContext(data.context),
    };
  }
  if (data.mode === 'pickDraft' && typeof data.flowId === 'string' && Array.isArray(data.draftIds)) {
    return {
      mode: 'pickDraft',
      flowId: data.flowId,
      draftIds: data.draftIds.filter((x): x is string => typeof x === 'string'),
      ...(typeof data.abandoning === 'string' ? { abandoning: data.abandoning } : {}),
    };
  }
  return null;
}

export function readDraft(data: unknown): DraftData | null {
  if (!isRecord(data) || !isFlowState(data.state)) return null;
  return { state: data.state, def: data.def };
}

function readContext(v: unknown): Record<string, string> {
  if (!isRecord(v)) return {};
  return Object.fromEntries(Object.entries(v).filter((e): e is [string, string] => typeof e[1] === 'string'));
}
