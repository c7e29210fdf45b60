/**
 * The ownership matrix (§5.6): who may do what with a proposal that member A owns and member B co-signs, through the
 * chat. Checked by ownership.test.ts against a running server, on both backends.
 *
 * Per-proposal commands (the number is typed): `shows` = the answer names the proposal; `as-missing` = the answer is
 * exactly the answer for a number that does not exist, and names nothing of it (a denial never tells that the
 * proposal exists). Role commands: `works` = the function answers; `generic` = the answer is exactly the one for
 * text the bot does not understand (nothing tells that the command exists).
 */

export const ACTORS = {
  A: 'owner (member)',
  B: 'co-signer (member)',
  C: 'other member',
  staff: 'staff',
  unit: 'unit contact',
  citizen: 'not in the directory',
} as const;
export type ActorKey = keyof typeof ACTORS;

/** Per-proposal commands, `{n}` = the proposal's number in its year. */
export const PER_PROPOSAL = {
  查看: '查提案 {n}',
  撤回: '撤回提案 {n}',
  修改: '修改提案 {n}',
} as const;

export const ROLE_COMMANDS = {
  群发: '发通知',
  统计: '提案统计',
  导出: '导出提案',
} as const;

type PerProposal = 'shows' | 'as-missing';
type RoleOutcome = 'works' | 'generic';

export const MATRIX: Record<
  ActorKey,
  Record<keyof typeof PER_PROPOSAL, PerProposal> & Record<keyof typeof ROLE_COMMANDS, RoleOutcome>
> = {
  A: { 查看: 'shows', 撤回: 'shows', 修改: 'as-missing', 群发: 'generic', 统计: 'generic', 导出: 'generic' },
  B: {
    查看: 'shows',
    撤回: 'as-missing',
    修改: 'as-missing',
    群发: 'generic',
    统计: 'generic',
    导出: 'generic',
  },
  C: {
    查看: 'as-missing',
    撤回: 'as-missing',
    修改: 'as-missing',
    群发: 'generic',
    统计: 'generic',
    导出: 'generic',
  },
  staff: {
    查看: 'as-missing',
    撤回: 'as-missing',
    修改: 'as-missing',
    群发: 'works',
    统计: 'works',
    导出: 'generic',
  },
  unit: {
    查看: 'as-missing',
    撤回: 'as-missing',
    修改: 'as-missing',
    群发: 'generic',
    统计: 'generic',
    导出: 'generic',
  },
  citizen: {
    查看: 'as-missing',
    撤回: 'as-missing',
    修改: 'as-missing',
    群发: 'generic',
    统计: 'generic',
    导出: 'generic',
  },
};
