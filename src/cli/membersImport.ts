import type { Member, MemberStore } from '../core/ports.js';
import { parseMemberTable } from '../core/members/parseMemberTable.js';
import type { RosterMember, RowError } from '../core/members/parseMemberTable.js';
import { readTable } from './readTable.js';

// Compile-time guard: the domain's roster row and the port's Member must stay the same shape.
type SameShape<A, B> = [A] extends [B] ? ([B] extends [A] ? true : false) : false;
const _rosterMemberIsMember: SameShape<RosterMember, Member> = true;

export type ImportMembersResult =
  | { ok: true; inserted: number; updated: number; ignoredColumns: string[] }
  | { ok: false; errors: RowError[] };

/**
 * Reads a roster file and upserts every member in one transaction, or nothing when any row is bad.
 * A file that cannot be read at all throws AppError('table_unreadable').
 */
export async function importMembers(input: {
  file: string;
  members: MemberStore;
  /** The 承办单位 list (flows/units.yaml); a contact of another unit is reported by row. */
  units?: readonly string[];
}): Promise<ImportMembersResult> {
  const rows = await readTable(input.file);
  const parsed = parseMemberTable(rows, input.units);
  if (!parsed.ok) return parsed;
  const { inserted, updated } = await input.members.upsertMany(parsed.members);
  return { ok: true, inserted, updated, ignoredColumns: parsed.ignoredColumns };
}

/** The Chinese report printed by `members import`. */
export function formatImportReport(result: ImportMembersResult): string {
  if (result.ok) {
    const lines = [`导入成功：新增 ${result.inserted} 人，更新 ${result.updated} 人`];
    if (result.ignoredColumns.length > 0) {
      lines.push(`提示：以下列未能识别，已忽略：${result.ignoredColumns.map((c) => `「${c}」`).join('、')}`);
    }
    return lines.join('\n');
  }
  const rows = new Set(result.errors.map((e) => e.row)).size;
  return [
    `导入失败：${rows} 行有问题，共 ${result.errors.length} 处，未导入任何数据。请修改后重新导入。`,
    ...result.errors.map((e) => `第 ${e.row} 行：${e.reason}`),
  ].join('\n');
}

/** 13800138000 → 138****8000; anything else keeps only its last 4 characters visible. */
export function maskMobile(mobile: string | null): string {
  if (mobile === null || mobile === '') return '';
  if (/^\d{11}$/.test(mobile)) return `${mobile.slice(0, 3)}****${mobile.slice(7)}`;
  return `****${mobile.slice(-4)}`;
}

const ROLE_LABEL: Record<Member['role'], string> = {
  member: '委员',
  staff: '工作人员',
  unit: '承办单位联系人',
  supervisor: '督办领导',
};

/** Terminal columns: CJK and full-width characters take two. */
function displayWidth(s: string): number {
  let width = 0;
  for (const ch of s)
    width +=
      /[\u1100-\u115f\u2e80-\ua4cf\uac00-\ud7a3\uf900-\ufaff\ufe30-\ufe4f\uff00-\uff60\uffe0-\uffe6]/u.test(
        ch,
      )
        ? 2
        : 1;
  return width;
}

function pad(s: string, width: number): string {
  return s + ' '.repeat(Math.max(0, width - displayWidth(s)));
}

/** The table printed by `members list`, mobiles masked (PIPL: a terminal is not the place for full numbers). */
export function formatMemberList(members: readonly Member[]): string {
  if (members.length === 0) return '暂无成员。可用 members import <文件> 导入名册。';
  // The 承办单位 column only when some unit contact is listed.
  const withUnit = members.some((m) => m.unit);
  const header = [
    '账号',
    '姓名',
    '角色',
    '界别',
    '专委会',
    '手机',
    '状态',
    ...(withUnit ? ['承办单位'] : []),
  ];
  const body = members.map((m) => [
    m.userId,
    m.name,
    ROLE_LABEL[m.role],
    m.sector ?? '',
    m.committee ?? '',
    maskMobile(m.mobile),
    m.active ? '在职' : '停用',
    ...(withUnit ? [m.unit ?? ''] : []),
  ]);
  const widths = header.map((h, i) =>
    Math.max(displayWidth(h), ...body.map((r) => displayWidth(r[i] ?? ''))),
  );
  const line = (cells: readonly string[]): string =>
    cells
      .map((c, i) => pad(c, widths[i] ?? 0))
      .join('  ')
      .trimEnd();
  const staff = members.filter((m) => m.role === 'staff').length;
  const units = members.filter((m) => m.role === 'unit').length;
  const supervisors = members.filter((m) => m.role === 'supervisor').length;
  const inactive = members.filter((m) => !m.active).length;
  const extra = [
    ...(units > 0 ? [`承办单位联系人 ${units}`] : []),
    ...(supervisors > 0 ? [`督办领导 ${supervisors}`] : []),
  ];
  return [
    line(header),
    ...body.map(line),
    `共 ${members.length} 人（委员 ${members.length - staff - units - supervisors}，工作人员 ${staff}${extra.map((e) => `，${e}`).join('')}；停用 ${inactive}）`,
  ].join('\n');
}
