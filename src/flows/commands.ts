import type { FlowDef } from './schema.js';
import { normalizeText } from './parseAnswer.js';

export type CommandName = 'cancel' | 'back' | 'help' | 'restart' | 'keep';

export type ResolvedCommands = Readonly<Record<CommandName, readonly string[]>>;

/**
 * Defaults, Chinese first. 取消 is a command, so it is never a "no" to a confirm question.
 * `keep` (沿用) accepts the value already given (after 返回, an edit, or a restart with kept answers).
 */
export const DEFAULT_COMMANDS: ResolvedCommands = {
  cancel: ['取消', '退出', '不填了'],
  back: ['返回', '上一步'],
  help: ['帮助', '怎么填', '?'],
  restart: ['重新开始', '重来'],
  keep: ['沿用', '不变', '保持不变', '同上'],
};

const ORDER: readonly CommandName[] = ['cancel', 'restart', 'back', 'help', 'keep'];

export function resolveCommands(def: FlowDef): ResolvedCommands {
  const own = def.commands ?? {};
  return {
    cancel: own.cancel ?? DEFAULT_COMMANDS.cancel,
    back: own.back ?? DEFAULT_COMMANDS.back,
    help: own.help ?? DEFAULT_COMMANDS.help,
    restart: own.restart ?? DEFAULT_COMMANDS.restart,
    keep: own.keep ?? DEFAULT_COMMANDS.keep,
  };
}

/** The command a message is, if it is exactly one of the synonyms (after normalising width, spaces and 。！). */
export function matchCommand(text: string, commands: ResolvedCommands): CommandName | null {
  const t = normalizeText(text);
  for (const name of ORDER) {
    if (commands[name].some((w) => normalizeText(w) === t)) return name;
  }
  return null;
}

export type SummaryCommand = { type: 'edit'; index: number } | { type: 'editLabel'; label: string };

/** `修改 2` / `改2` / `修改第二项` → by number; `改标题` / `修改 标题` → by field label. */
export function matchSummaryEdit(
  text: string,
  parseIndex: (s: string) => number | null,
): SummaryCommand | null {
  const t = normalizeText(text);
  const m = /^(?:修改|改)\s*(.+)$/.exec(t);
  if (!m || m[1] === undefined) return null;
  const rest = m[1].trim();
  const numbered = /^第?\s*([^\s项条个]+)\s*[项条个]?$/.exec(rest);
  if (numbered?.[1] !== undefined) {
    const n = parseIndex(numbered[1]);
    if (n !== null) return { type: 'edit', index: n };
  }
  return { type: 'editLabel', label: rest };
}
