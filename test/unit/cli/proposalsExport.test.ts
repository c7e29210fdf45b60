import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import ExcelJS from 'exceljs';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { exportProposals, REGISTER_HEADERS } from '../../../src/cli/proposalsExport.js';
import type { Database, Member } from '../../../src/core/ports.js';
import { createLifecycleService, DEFAULT_PROPOSALS_SETTINGS } from '../../../src/features/proposals/index.js';
import type { LifecycleCommand } from '../../../src/features/proposals/domain/lifecycle.js';
import type { NewProposal } from '../../../src/features/proposals/ports.js';
import { proposalStore } from '../../../src/features/proposals/proposalStore.js';
import { testSqlite } from '../../support/testDatabase.js';

const person = (userId: string, name: string, role: Member['role'], unit: string | null = null): Member => ({
  userId,
  name,
  role,
  sector: null,
  committee: null,
  mobile: null,
  active: true,
  unit,
});
const T0 = new Date('2026-03-02T02:00:00Z');
const proposal = (seq: number, year: number, title: string): NewProposal => ({
  submitKey: `export-${year}-${seq}`,
  year,
  seq,
  number: `〔${year}〕第${String(seq).padStart(3, '0')}号`,
  ownerId: 'owner',
  title,
  category: '社会建设',
  subcategory: null,
  reason: '情况分析',
  suggestions: '具体建议',
  handlingUnits: ['县教育局'],
  isPublic: true,
  privateReason: null,
});
const service = createLifecycleService({ ...DEFAULT_PROPOSALS_SETTINGS, units: ['县教育局', '县财政局'] });

let dir: string;
let db: Database;
beforeEach(async () => {
  dir = mkdtempSync(join(tmpdir(), 'xieshang-proposals-export-'));
  db = testSqlite(':memory:');
  await db.members.upsertMany([
    person('owner', '王委员', 'member'),
    person('staff1', '李干事', 'staff'),
    person('edu1', '赵联络员', 'unit', '县教育局'),
  ]);
});
afterEach(async () => {
  await db.close();
  rmSync(dir, { recursive: true, force: true });
});

async function submit(p: NewProposal): Promise<number> {
  await db.commit([{ type: 'proposal.submit', proposal: p, cosignerIds: [], at: T0 }]);
  const stored = await proposalStore(db).getBySubmitKey(p.submitKey);
  if (!stored) throw new Error('not submitted');
  return stored.id;
}

describe('proposals export', () => {
  it("writes the year's register (one row per proposal, its state and units) and the statistics sheet", async () => {
    const a = await submit(proposal(1, 2026, '关于城区停车难的建议'));
    await submit(proposal(2, 2026, '关于农村供水的建议'));
    await submit(proposal(1, 2025, '去年的提案'));
    const commands: LifecycleCommand[] = [
      { action: 'register' },
      { action: 'assign', host: '县教育局', co: ['县财政局'] },
    ];
    for (const command of commands) {
      const r = await service.act(db, T0, { proposalId: a, actorId: 'staff1', command });
      expect(r.ok).toBe(true);
    }
    const file = join(dir, 'p.xlsx');
    expect(await exportProposals({ db, year: 2026, out: file, now: T0 })).toEqual({ file, rows: 2 });

    const book = new ExcelJS.Workbook();
    await book.xlsx.readFile(file);
    const sheet = book.getWorksheet('提案登记表');
    const rows = (sheet?.getSheetValues() ?? []).slice(1).map((r) => (Array.isArray(r) ? r.slice(1) : []));
    expect(rows[0]).toEqual([...REGISTER_HEADERS]);
    expect(rows).toHaveLength(3);
    const assigned = rows.find((r) => r[1] === '关于城区停车难的建议') ?? [];
    const col = (h: (typeof REGISTER_HEADERS)[number]) => assigned[REGISTER_HEADERS.indexOf(h)];
    expect(col('编号')).toBe('〔2026〕第001号');
    expect(col('第一提案人')).toBe('王委员');
    expect(col('状态')).toBe('已交办');
    expect(col('主办单位')).toBe('县教育局');
    expect(col('会办单位')).toBe('县财政局');
    expect(rows.some((r) => r[1] === '去年的提案')).toBe(false);

    const stats = book.getWorksheet('统计');
    const values = (stats?.getSheetValues() ?? []).map((r) => (Array.isArray(r) ? r.slice(1) : []));
    expect(values).toContainEqual(['提案总数', 2]);
    // 立案率 counts the proposals decided so far (the one still 待审查 is not in it).
    expect(values).toContainEqual(['立案率', '100.0%']);
    expect(values).toContainEqual(['已提交，待审查', 1]);
    expect(values).toContainEqual(['县财政局', 0, 1, 0, 0, 0, 0]);
  });
});
