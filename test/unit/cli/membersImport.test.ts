import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Member, MemberStore } from '../../../src/core/ports.js';
import {
  formatImportReport,
  formatMemberList,
  importMembers,
  maskMobile,
} from '../../../src/cli/membersImport.js';

/** A MemberStore kept in a Map; upsertMany is all or nothing like the real adapters. */
function memoryMemberStore(initial: Member[] = []): MemberStore & { calls: number } {
  const rows = new Map(initial.map((m) => [m.userId, m]));
  const store = {
    calls: 0,
    async get(userId: string) {
      return rows.get(userId) ?? null;
    },
    async upsertMany(members: readonly Member[]) {
      store.calls++;
      let inserted = 0;
      for (const m of members) if (!rows.has(m.userId)) inserted++;
      for (const m of members) rows.set(m.userId, { ...m });
      return { inserted, updated: members.length - inserted };
    },
    async list() {
      return [...rows.values()].sort((a, b) => a.userId.localeCompare(b.userId));
    },
    async count() {
      return rows.size;
    },
  };
  return store;
}

const FIXTURE = join(import.meta.dirname, '../../fixtures/members.csv');

let dir: string;
beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'xieshang-import-'));
});
afterAll(async () => {
  await rm(dir, { recursive: true, force: true });
});

describe('importMembers', () => {
  it('imports the sample roster', async () => {
    const members = memoryMemberStore();
    const result = await importMembers({ file: FIXTURE, members });
    expect(result).toEqual({ ok: true, inserted: 8, updated: 0, ignoredColumns: [] });
    expect(await members.count()).toBe(8);
    expect(await members.get('zhaoliu')).toEqual({
      userId: 'zhaoliu',
      name: '赵六',
      role: 'member',
      sector: '农业界',
      committee: '农业和农村委员会',
      mobile: '13600136003',
      active: true,
    });
    const staff = (await members.list()).filter((m) => m.role === 'staff');
    expect(staff.map((m) => m.name)).toEqual(['吴晓明', '郑芳']);
    expect((await members.get('zhouqiang'))?.active).toBe(false);
  });

  it('counts updates on a second import', async () => {
    const members = memoryMemberStore();
    await importMembers({ file: FIXTURE, members });
    expect(await importMembers({ file: FIXTURE, members })).toMatchObject({
      ok: true,
      inserted: 0,
      updated: 8,
    });
  });

  it('imports nothing when any row is bad, and reports each row', async () => {
    const existing: Member = {
      userId: 'lisi',
      name: '李四',
      role: 'member',
      sector: null,
      committee: null,
      mobile: null,
      active: true,
    };
    const members = memoryMemberStore([existing]);
    const file = join(dir, 'bad.csv');
    await writeFile(
      file,
      '账号,姓名,角色,手机\nzhangsan,张三,委员,13800138000\nlisi,李四改,委员,123\nwangwu,王五,主席,\n',
    );

    const result = await importMembers({ file, members });

    expect(result).toEqual({
      ok: false,
      errors: [
        { row: 3, reason: '手机号「123」不是有效的 11 位手机号' },
        { row: 4, reason: expect.stringContaining('角色「主席」无法识别') },
      ],
    });
    expect(members.calls).toBe(0);
    expect(await members.list()).toEqual([existing]);
  });

  it('lets an unreadable file throw', async () => {
    await expect(
      importMembers({ file: join(dir, 'nope.csv'), members: memoryMemberStore() }),
    ).rejects.toThrow('文件不存在');
  });
});

describe('formatImportReport', () => {
  it('reports success', () => {
    expect(formatImportReport({ ok: true, inserted: 6, updated: 2, ignoredColumns: [] })).toBe(
      '导入成功：新增 6 人，更新 2 人',
    );
  });

  it('warns about ignored columns', () => {
    expect(formatImportReport({ ok: true, inserted: 1, updated: 0, ignoredColumns: ['备注', '电话'] })).toBe(
      '导入成功：新增 1 人，更新 0 人\n提示：以下列未能识别，已忽略：「备注」、「电话」',
    );
  });

  it('lists every error by row', () => {
    const text = formatImportReport({
      ok: false,
      errors: [
        { row: 3, reason: '手机号「123」不是有效的 11 位手机号' },
        { row: 3, reason: '姓名不能为空' },
        { row: 5, reason: '账号「zs」与第 2 行重复' },
      ],
    });
    expect(text.split('\n')).toEqual([
      '导入失败：2 行有问题，共 3 处，未导入任何数据。请修改后重新导入。',
      '第 3 行：手机号「123」不是有效的 11 位手机号',
      '第 3 行：姓名不能为空',
      '第 5 行：账号「zs」与第 2 行重复',
    ]);
  });
});

describe('members list formatting', () => {
  it('masks mobiles', () => {
    expect(maskMobile('13800138000')).toBe('138****8000');
    expect(maskMobile(null)).toBe('');
    expect(maskMobile('12345')).toBe('****2345');
  });

  it('prints an aligned table without full mobiles', async () => {
    const members = memoryMemberStore();
    await importMembers({ file: FIXTURE, members });
    const text = formatMemberList(await members.list());
    expect(text).toContain('138****8000');
    expect(text).not.toContain('13800138000');
    const lines = text.split('\n');
    expect(lines[0]).toMatch(/^账号\s+姓名\s+角色\s+界别\s+专委会\s+手机\s+状态$/);
    expect(lines.at(-1)).toBe('共 8 人（委员 6，工作人员 2；停用 1）');
    // Columns line up on screen, where a Chinese character takes two columns: 姓名 starts at the same one in every row.
    const screenColumn = (line: string, charIndex: number): number =>
      [...line.slice(0, charIndex)].reduce((w, ch) => w + (/[\u4e00-\u9fff]/.test(ch) ? 2 : 1), 0);
    const header = lines[0] ?? '';
    const nameColumn = screenColumn(header, header.indexOf('姓名'));
    for (const line of lines.slice(1, -1))
      expect(screenColumn(line, line.search(/[\u4e00-\u9fff]/))).toBe(nameColumn);
  });

  it('says when there is nobody', () => {
    expect(formatMemberList([])).toContain('暂无成员');
  });
});
