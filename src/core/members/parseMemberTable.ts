/**
 * One roster row, validated. The same shape as `Member` in app/ports.ts; declared here because domain/ may not import
 * app/ (it declares what it needs). cli/membersImport.ts holds a compile-time guard that the two stay identical.
 */
export interface RosterMember {
  userId: string;
  name: string;
  role: 'member' | 'staff' | 'unit' | 'supervisor';
  sector: string | null;
  committee: string | null;
  mobile: string | null;
  active: boolean;
  /** The 承办单位 a unit contact acts for (role unit only). */
  unit?: string | null;
}

/** A problem in one spreadsheet row; `row` counts like Excel does (header = 1, first data row = 2). */
export interface RowError {
  row: number;
  reason: string;
}

export type ParseMemberTableResult =
  { ok: true; members: RosterMember[]; ignoredColumns: string[] } | { ok: false; errors: RowError[] };

type Field = 'userId' | 'name' | 'role' | 'sector' | 'committee' | 'mobile' | 'active' | 'unit';

/** Header aliases, already normalised (see normaliseHeader). The first entry is the name used in messages. */
const HEADERS: Record<Field, readonly string[]> = {
  userId: ['账号', '帐号', '企业微信账号', '企业微信帐号', 'userid', 'user_id'],
  name: ['姓名', 'name'],
  role: ['角色', 'role'],
  sector: ['界别', 'sector'],
  committee: ['专委会', '专门委员会', 'committee'],
  mobile: ['手机', '手机号', '手机号码', 'mobile'],
  active: ['状态', '是否在职', 'active'],
  unit: ['承办单位', '所属单位', '单位', 'unit'],
};
const REQUIRED: readonly Field[] = ['userId', 'name', 'role'];
const FIELDS: readonly Field[] = [
  'userId',
  'name',
  'role',
  'sector',
  'committee',
  'mobile',
  'active',
  'unit',
];

const ROLES: ReadonlyMap<string, RosterMember['role']> = new Map([
  ['委员', 'member'],
  ['政协委员', 'member'],
  ['member', 'member'],
  ['工作人员', 'staff'],
  ['机关工作人员', 'staff'],
  ['staff', 'staff'],
  ['承办单位', 'unit'],
  ['承办单位联系人', 'unit'],
  ['单位联系人', 'unit'],
  ['unit', 'unit'],
  ['督办领导', 'supervisor'],
  ['督办', 'supervisor'],
  ['supervisor', 'supervisor'],
]);
const ROLE_WORDS = '委员、政协委员、工作人员、机关工作人员、承办单位联系人、督办领导';
const ACTIVE_VALUES: ReadonlyMap<string, boolean> = new Map([
  ['在职', true],
  ['启用', true],
  ['是', true],
  ['true', true],
  ['yes', true],
  ['y', true],
  ['1', true],
  ['停用', false],
  ['禁用', false],
  ['否', false],
  ['false', false],
  ['no', false],
  ['n', false],
  ['0', false],
]);

// WeCom userid: 1–64 bytes of letters, digits and _-@. ; the first character must be a letter or digit
// (WeCom 通讯录 doc "创建成员"). The first-character rule also keeps spreadsheet formulas (= + - @) out.
const USERID = /^[A-Za-z0-9][A-Za-z0-9_.@-]{0,63}$/;
const MOBILE = /^1[3-9]\d{9}$/;
// Cells that a spreadsheet would run as a formula when the data is exported again (CSV injection).
const FORMULA_START = /^[=+\-@]/;
const NAME_MAX = 32;
const TEXT_MAX = 64;

/** Strips BOM, ordinary and full-width spaces at both ends. */
function cleanCell(value: string | undefined): string {
  return (value ?? '').replace(/^[\s\uFEFF\u3000]+|[\s\uFEFF\u3000]+$/g, '');
}

/** "  账号（必填）*" → "账号"; "UserID" → "userid". */
function normaliseHeader(value: string): string {
  return value
    .replace(/[\s\uFEFF\u3000]/g, '')
    .replace(/\*/g, '')
    .replace(/[（(][^）)]*[）)]$/, '')
    .toLowerCase();
}

function fieldOfHeader(header: string): Field | null {
  const key = normaliseHeader(header);
  return FIELDS.find((f) => HEADERS[f].includes(key)) ?? null;
}

function label(field: Field): string {
  return HEADERS[field][0] ?? field;
}

function length(s: string): number {
  return [...s].length;
}

/** Rosters pad two-character names to align them (e.g. 张, a full-width space, 三); spaces between CJK characters carry no meaning. */
function cleanName(value: string): string {
  return value.replace(/[\s\u3000]+/g, ' ').replace(/(?<=\p{Script=Han}) (?=\p{Script=Han})/gu, '');
}

function normaliseMobile(value: string): string {
  return value.replace(/[\s\u3000-]/g, '').replace(/^(?:\+86|0086|86)(?=\d{11}$)/, '');
}

function isBlankRow(row: readonly string[]): boolean {
  return row.every((c) => cleanCell(c) === '');
}

interface Columns {
  index: Partial<Record<Field, number>>;
  ignored: string[];
}

function readHeader(header: readonly string[], rowNo: number): Columns | RowError[] {
  const index: Partial<Record<Field, number>> = {};
  const ignored: string[] = [];
  const errors: RowError[] = [];
  header.forEach((cell, i) => {
    const text = cleanCell(cell);
    if (text === '') return;
    const field = fieldOfHeader(text);
    if (field === null) {
      ignored.push(text);
      return;
    }
    if (index[field] !== undefined) {
      errors.push({ row: rowNo, reason: `表头中「${label(field)}」列出现了不止一次` });
      return;
    }
    index[field] = i;
  });
  const missing = REQUIRED.filter((f) => index[f] === undefined);
  if (missing.length > 0) {
    errors.unshift({
      row: rowNo,
      reason: `表头缺少必需的列：${missing.map(label).join('、')}（可用中文表头 账号、姓名、角色、界别、专委会、手机、状态、承办单位，或英文 userid、name、role、sector、committee、mobile、active、unit）`,
    });
  }
  return errors.length > 0 ? errors : { index, ignored };
}

function parseRow(
  row: readonly string[],
  cols: Columns,
  rowNo: number,
  units: readonly string[] | undefined,
): { member: RosterMember | null; errors: RowError[] } {
  const errors: RowError[] = [];
  const fail = (reason: string): void => {
    errors.push({ row: rowNo, reason });
  };
  const cell = (f: Field): string => {
    const i = cols.index[f];
    return i === undefined ? '' : cleanCell(row[i]);
  };

  const userId = cell('userId');
  if (userId === '') fail('账号不能为空');
  else if (!USERID.test(userId)) {
    fail(`账号「${userId}」无效：应为 1–64 位字母、数字或 _ . @ -，且以字母或数字开头（即企业微信成员账号）`);
  }

  const name = cleanName(cell('name'));
  if (name === '') fail('姓名不能为空');
  else if (length(name) > NAME_MAX) fail(`姓名「${name}」超过 ${NAME_MAX} 个字`);
  else if (FORMULA_START.test(name)) fail(`姓名「${name}」不能以 = + - @ 开头`);

  const roleText = cell('role');
  const role = ROLES.get(roleText.toLowerCase());
  if (roleText === '') fail(`角色不能为空（可填：${ROLE_WORDS}）`);
  else if (role === undefined)
    fail(`角色「${roleText}」无法识别，可填：${ROLE_WORDS}（或 member、staff、unit、supervisor）`);

  const unitText = cell('unit');
  const unit = unitText === '' ? null : unitText;
  if (role === 'unit' && unit === null) fail('承办单位联系人必须填写「承办单位」列（其所代表的单位）');
  else if (unit !== null && role !== undefined && role !== 'unit')
    fail(`只有承办单位联系人填写承办单位，「${roleText}」不用填写（现为「${unit}」）`);
  else if (unit !== null && units !== undefined && !units.includes(unit))
    fail(`承办单位「${unit}」不在承办单位名单中（flows/units.yaml），请核对名称或先把它加入名单`);

  const optionalText = (f: 'sector' | 'committee'): string | null => {
    const v = cell(f);
    if (v === '') return null;
    if (length(v) > TEXT_MAX) fail(`${label(f)}「${v}」超过 ${TEXT_MAX} 个字`);
    else if (FORMULA_START.test(v)) fail(`${label(f)}「${v}」不能以 = + - @ 开头`);
    return v;
  };
  const sector = optionalText('sector');
  const committee = optionalText('committee');

  const mobileText = cell('mobile');
  const mobile = mobileText === '' ? null : normaliseMobile(mobileText);
  if (mobile !== null && !MOBILE.test(mobile)) fail(`手机号「${mobileText}」不是有效的 11 位手机号`);

  const activeText = cell('active');
  const active = activeText === '' ? true : ACTIVE_VALUES.get(activeText.toLowerCase());
  if (active === undefined)
    fail(`状态「${activeText}」无法识别，可填：在职/停用、是/否、true/false、1/0（不填视为在职）`);

  if (errors.length > 0 || role === undefined || active === undefined) return { member: null, errors };
  return {
    member: { userId, name, role, sector, committee, mobile, active, ...(unit !== null ? { unit } : {}) },
    errors,
  };
}

/**
 * Validates a member roster (rows[0] is the header row; leading empty rows are skipped) and returns every member,
 * or every problem with its spreadsheet row number: one bad row means nothing is imported.
 * Unknown columns are ignored and listed in `ignoredColumns` so the caller can warn about a misspelled header.
 */
export function parseMemberTable(
  rows: readonly (readonly string[])[],
  /** The known 承办单位 (flows/units.yaml): a unit contact's unit must be one of them. Unchecked when absent. */
  units?: readonly string[],
): ParseMemberTableResult {
  const headerIndex = rows.findIndex((r) => !isBlankRow(r));
  const header = rows[headerIndex];
  if (headerIndex < 0 || header === undefined) {
    return { ok: false, errors: [{ row: 1, reason: '文件是空的：第一行应为表头（账号、姓名、角色……）' }] };
  }
  const cols = readHeader(header, headerIndex + 1);
  if (Array.isArray(cols)) return { ok: false, errors: cols };

  const members: RosterMember[] = [];
  const errors: RowError[] = [];
  const firstRowOf = new Map<string, number>();
  for (let i = headerIndex + 1; i < rows.length; i++) {
    const row = rows[i];
    if (row === undefined || isBlankRow(row)) continue;
    const rowNo = i + 1;
    const parsed = parseRow(row, cols, rowNo, units);
    errors.push(...parsed.errors);
    // WeCom compares userids case-insensitively, so "ZhangSan" and "zhangsan" are the same person.
    const userId = cleanCell(row[cols.index.userId ?? -1]);
    const key = userId.toLowerCase();
    const earlier = firstRowOf.get(key);
    if (userId !== '' && earlier !== undefined) {
      errors.push({ row: rowNo, reason: `账号「${userId}」与第 ${earlier} 行重复` });
    } else if (userId !== '') {
      firstRowOf.set(key, rowNo);
    }
    if (parsed.member !== null) members.push(parsed.member);
  }

  if (errors.length > 0) return { ok: false, errors };
  if (members.length === 0) {
    return { ok: false, errors: [{ row: headerIndex + 1, reason: '表格只有表头，没有任何成员数据' }] };
  }
  return { ok: true, members, ignoredColumns: cols.ignored };
}
