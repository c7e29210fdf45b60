import { describe, expect, it } from 'vitest';
import { parseMemberTable } from '../../../src/core/members/parseMemberTable.js';

const HEADER = ['账号', '姓名', '角色', '界别', '专委会', '手机'];

function errorsOf(rows: string[][]): { row: number; reason: string }[] {
  const result = parseMemberTable(rows);
  if (result.ok) throw new Error(`expected errors, got ${JSON.stringify(result.members)}`);
  return result.errors;
}

function membersOf(rows: string[][]) {
  const result = parseMemberTable(rows);
  if (!result.ok) throw new Error(`expected members, got ${JSON.stringify(result.errors)}`);
  return result.members;
}

/** One data row under the standard Chinese header, fields overridden by name. */
function oneRow(
  over: Partial<Record<'userid' | 'name' | 'role' | 'sector' | 'committee' | 'mobile', string>>,
): string[][] {
  const r = {
    userid: 'zhangsan',
    name: '张三',
    role: '委员',
    sector: '',
    committee: '',
    mobile: '',
    ...over,
  };
  return [HEADER, [r.userid, r.name, r.role, r.sector, r.committee, r.mobile]];
}

describe('parseMemberTable: headers', () => {
  it('reads Chinese headers into members', () => {
    const members = membersOf([
      HEADER,
      ['zhangsan', '张三', '委员', '中共', '提案委员会', '13800138000'],
      ['wangfang', '王芳', '工作人员', '', '', ''],
    ]);
    expect(members).toEqual([
      {
        userId: 'zhangsan',
        name: '张三',
        role: 'member',
        sector: '中共',
        committee: '提案委员会',
        mobile: '13800138000',
        active: true,
      },
      {
        userId: 'wangfang',
        name: '王芳',
        role: 'staff',
        sector: null,
        committee: null,
        mobile: null,
        active: true,
      },
    ]);
  });

  it('reads English headers in any case and column order', () => {
    const members = membersOf([
      ['Mobile', 'NAME', 'Role', 'UserID', 'committee', 'sector', 'Active'],
      ['13800138000', 'Li Si', 'staff', 'lisi', '经济委员会', '经济界', 'false'],
    ]);
    expect(members).toEqual([
      {
        userId: 'lisi',
        name: 'Li Si',
        role: 'staff',
        sector: '经济界',
        committee: '经济委员会',
        mobile: '13800138000',
        active: false,
      },
    ]);
  });

  it('tolerates a BOM, full-width spaces and required markers in headers', () => {
    const members = membersOf([
      ['\uFEFF账号', '\u3000姓 名 ', '角色*', '手机（选填）'],
      ['zhangsan', '张三', '委员', ''],
    ]);
    expect(members[0]?.userId).toBe('zhangsan');
  });

  it('ignores unknown columns and names them', () => {
    const result = parseMemberTable([
      ['账号', '姓名', '角色', '备注', '性别'],
      ['zhangsan', '张三', '委员', '任何内容', '男'],
    ]);
    expect(result).toMatchObject({ ok: true, ignoredColumns: ['备注', '性别'] });
  });

  it('reports all missing required headers as one error on row 1', () => {
    expect(
      errorsOf([
        ['姓名', '手机'],
        ['张三', '13800138000'],
      ]),
    ).toEqual([{ row: 1, reason: expect.stringContaining('表头缺少必需的列：账号、角色') }]);
  });

  it('rejects a header named twice', () => {
    expect(
      errorsOf([
        ['账号', 'userid', '姓名', '角色'],
        ['a', 'b', '张三', '委员'],
      ]),
    ).toEqual([{ row: 1, reason: '表头中「账号」列出现了不止一次' }]);
  });

  it('rejects an empty table and a table with only a header', () => {
    expect(errorsOf([])).toEqual([{ row: 1, reason: expect.stringContaining('文件是空的') }]);
    expect(errorsOf([HEADER, ['', '', '']])).toEqual([{ row: 1, reason: '表格只有表头，没有任何成员数据' }]);
  });
});

describe('parseMemberTable: row numbers', () => {
  it('numbers rows like a spreadsheet and counts skipped empty rows', () => {
    const errors = errorsOf([
      HEADER,
      ['zhangsan', '张三', '委员'],
      ['', '', '', '', '', ''],
      ['\u3000', ' '],
      ['lisi', '', '委员'],
    ]);
    expect(errors).toEqual([{ row: 5, reason: '姓名不能为空' }]);
  });

  it('takes the first non-empty row as the header and keeps counting from the top', () => {
    expect(errorsOf([[], ['', ''], HEADER, ['bad id', '张三', '委员']])).toEqual([
      { row: 4, reason: expect.stringContaining('账号「bad id」无效') },
    ]);
  });

  it('reports every problem of every row, row by row', () => {
    const errors = errorsOf([
      HEADER,
      ['', '', '主席', '', '', '123'],
      ['ok', '李四', '委员'],
      ['x', '王五', '', '', '', ''],
    ]);
    expect(errors).toEqual([
      { row: 2, reason: '账号不能为空' },
      { row: 2, reason: '姓名不能为空' },
      { row: 2, reason: expect.stringContaining('角色「主席」无法识别') },
      { row: 2, reason: '手机号「123」不是有效的 11 位手机号' },
      { row: 4, reason: expect.stringContaining('角色不能为空') },
    ]);
  });

  it('is all or nothing: one bad row among good ones yields no members', () => {
    const result = parseMemberTable([
      HEADER,
      ['a1', '张三', '委员'],
      ['a2', '李四', '委员'],
      ['a3', '王五', '嘉宾'],
    ]);
    expect(result.ok).toBe(false);
    expect(result).not.toHaveProperty('members');
  });
});

describe('parseMemberTable: userid', () => {
  it.each(['zhangsan', 'Zhang.San', 'zs_01', 'z-s@corp', '13800138000', 'a'.repeat(64)])(
    'accepts %s',
    (userid) => {
      expect(membersOf(oneRow({ userid }))[0]?.userId).toBe(userid);
    },
  );

  it.each([['a'.repeat(65)], ['张三'], ['zhang san'], ['-zs'], ['@zs'], ['=cmd'], ['zs#1']])(
    'rejects %s',
    (userid) => {
      expect(errorsOf(oneRow({ userid }))).toEqual([
        { row: 2, reason: expect.stringContaining(`账号「${userid}」无效`) },
      ]);
    },
  );

  it('trims surrounding spaces', () => {
    expect(membersOf(oneRow({ userid: '  zhangsan\u3000' }))[0]?.userId).toBe('zhangsan');
  });

  it('flags a duplicate on the later row, naming the earlier one, case-insensitively as WeCom does', () => {
    const errors = errorsOf([
      HEADER,
      ['zhangsan', '张三', '委员'],
      ['lisi', '李四', '委员'],
      ['ZhangSan', '张三', '委员'],
    ]);
    expect(errors).toEqual([{ row: 4, reason: '账号「ZhangSan」与第 2 行重复' }]);
  });

  it('names the first occurrence when a userid appears three times', () => {
    const errors = errorsOf([HEADER, ['a', '甲', '委员'], ['a', '乙', '委员'], ['a', '丙', '委员']]);
    expect(errors.map((e) => e.reason)).toEqual(['账号「a」与第 2 行重复', '账号「a」与第 2 行重复']);
  });
});

describe('parseMemberTable: name', () => {
  it('accepts 32 characters and rejects 33', () => {
    expect(membersOf(oneRow({ name: '张'.repeat(32) }))[0]?.name).toHaveLength(32);
    expect(errorsOf(oneRow({ name: '张'.repeat(33) }))).toEqual([
      { row: 2, reason: expect.stringContaining('超过 32 个字') },
    ]);
  });

  it('removes alignment padding between Chinese characters but keeps spaces in Latin names', () => {
    expect(membersOf(oneRow({ name: '张\u3000三' }))[0]?.name).toBe('张三');
    expect(membersOf(oneRow({ name: '欧阳  小 明' }))[0]?.name).toBe('欧阳小明');
    expect(membersOf(oneRow({ name: 'Anna  Li' }))[0]?.name).toBe('Anna Li');
    expect(membersOf(oneRow({ name: '阿依古丽·买买提' }))[0]?.name).toBe('阿依古丽·买买提');
  });

  it.each(['=HYPERLINK("x")', '+1', '-1', '@SUM(A1)'])('rejects the formula-looking name %s', (name) => {
    expect(errorsOf(oneRow({ name }))).toEqual([
      { row: 2, reason: expect.stringContaining('不能以 = + - @ 开头') },
    ]);
  });
});

describe('parseMemberTable: role', () => {
  it.each([
    ['委员', 'member'],
    ['政协委员', 'member'],
    ['Member', 'member'],
    ['工作人员', 'staff'],
    ['机关工作人员', 'staff'],
    ['STAFF', 'staff'],
  ])('maps %s to %s', (role, expected) => {
    expect(membersOf(oneRow({ role }))[0]?.role).toBe(expected);
  });

  it('lists the allowed values when the role is unknown', () => {
    expect(errorsOf(oneRow({ role: '常委会委员' }))).toEqual([
      {
        row: 2,
        reason:
          '角色「常委会委员」无法识别，可填：委员、政协委员、工作人员、机关工作人员、承办单位联系人、督办领导（或 member、staff、unit、supervisor）',
      },
    ]);
  });
});

describe('parseMemberTable: 承办单位 contacts and 督办领导', () => {
  const UNITS = ['县教育局', '县民政局'];
  const table = (...rows: string[][]) => [['账号', '姓名', '角色', '承办单位'], ...rows];

  it('reads a unit contact with its unit, several per unit, and a 督办领导', () => {
    const r = parseMemberTable(
      table(
        ['edu1', '王一', '承办单位联系人', '县教育局'],
        ['edu2', '王二', '单位联系人', '县教育局'],
        ['lead', '李主席', '督办领导', ''],
        ['m1', '张三', '委员', ''],
      ),
      UNITS,
    );
    expect(r.ok).toBe(true);
    if (!r.ok) return;
    expect(r.members.map((m) => [m.userId, m.role, m.unit ?? null])).toEqual([
      ['edu1', 'unit', '县教育局'],
      ['edu2', 'unit', '县教育局'],
      ['lead', 'supervisor', null],
      ['m1', 'member', null],
    ]);
  });

  it('reports unknown units, a contact without a unit and a unit on a member, by row', () => {
    const r = parseMemberTable(
      table(
        ['edu1', '王一', '承办单位联系人', '县外星局'],
        ['edu2', '王二', '承办单位联系人', ''],
        ['m1', '张三', '委员', '县教育局'],
      ),
      UNITS,
    );
    expect(r.ok).toBe(false);
    if (r.ok) return;
    expect(r.errors.map((e) => e.row)).toEqual([2, 3, 4]);
    expect(r.errors[0]?.reason).toContain('「县外星局」不在承办单位名单中');
    expect(r.errors[1]?.reason).toContain('必须填写「承办单位」');
    expect(r.errors[2]?.reason).toContain('只有承办单位联系人填写承办单位');
  });
});

describe('parseMemberTable: mobile', () => {
  it.each([
    ['13800138000', '13800138000'],
    ['138 0013 8000', '13800138000'],
    ['138-0013-8000', '13800138000'],
    ['+86 138 0013 8000', '13800138000'],
    ['+8613800138000', '13800138000'],
    ['19912345678', '19912345678'],
  ])('normalises %s', (mobile, expected) => {
    expect(membersOf(oneRow({ mobile }))[0]?.mobile).toBe(expected);
  });

  it.each(['123', '12800138000', '1380013800', '138001380001', '0571-88888888', '1380013800O'])(
    'rejects %s',
    (mobile) => {
      expect(errorsOf(oneRow({ mobile }))).toEqual([
        { row: 2, reason: `手机号「${mobile}」不是有效的 11 位手机号` },
      ]);
    },
  );

  it('is optional', () => {
    expect(membersOf(oneRow({ mobile: '  ' }))[0]?.mobile).toBeNull();
  });
});

describe('parseMemberTable: sector and committee', () => {
  it('trims and turns empty into null', () => {
    const m = membersOf(oneRow({ sector: ' 民革 ', committee: '' }))[0];
    expect(m?.sector).toBe('民革');
    expect(m?.committee).toBeNull();
  });

  it('accepts 64 characters and rejects 65', () => {
    expect(membersOf(oneRow({ committee: '委'.repeat(64) }))[0]?.committee).toHaveLength(64);
    expect(errorsOf(oneRow({ sector: '界'.repeat(65) }))).toEqual([
      { row: 2, reason: expect.stringContaining('界别') },
    ]);
    expect(errorsOf(oneRow({ committee: '委'.repeat(65) }))).toEqual([
      { row: 2, reason: expect.stringContaining('超过 64 个字') },
    ]);
  });

  it('rejects formula-looking values', () => {
    expect(errorsOf(oneRow({ sector: '=1+1' }))).toEqual([
      { row: 2, reason: '界别「=1+1」不能以 = + - @ 开头' },
    ]);
  });
});

describe('parseMemberTable: active', () => {
  it.each([
    ['', true],
    ['在职', true],
    ['是', true],
    ['TRUE', true],
    ['1', true],
    ['停用', false],
    ['否', false],
    ['false', false],
    ['0', false],
  ])('reads 状态 %s as %s', (value, expected) => {
    expect(
      membersOf([
        ['账号', '姓名', '角色', '状态'],
        ['zs', '张三', '委员', value],
      ])[0]?.active,
    ).toBe(expected);
  });

  it('defaults to active without the column', () => {
    expect(membersOf(oneRow({}))[0]?.active).toBe(true);
  });

  it('rejects an unknown value', () => {
    expect(
      errorsOf([
        ['账号', '姓名', '角色', 'active'],
        ['zs', '张三', '委员', '退休'],
      ]),
    ).toEqual([{ row: 2, reason: expect.stringContaining('状态「退休」无法识别') }]);
  });
});

describe('parseMemberTable: ragged rows', () => {
  it('treats missing trailing cells as empty and ignores extra cells', () => {
    expect(
      membersOf([HEADER, ['zs', '张三', '委员'], ['ls', '李四', '委员', '', '', '', '多余']]),
    ).toHaveLength(2);
  });
});
