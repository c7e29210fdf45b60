import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import ExcelJS from 'exceljs';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { exportDuties } from '../../../src/cli/dutiesExport.js';
import { exportNoticeReceipts } from '../../../src/cli/noticesExport.js';
import { exportProposals } from '../../../src/cli/proposalsExport.js';
import { exportSentimentRegister } from '../../../src/cli/sentimentExport.js';
import type { Database } from '../../../src/core/ports.js';
import { inertText, spreadsheetText } from '../../../src/shared/text.js';
import { MEMBERS } from '../../fixtures/members.js';
import { testSqlite } from '../../support/testDatabase.js';
import { STAFF, T0, sentNotice } from '../notices/helpers.js';

/**
 * §5.6 / B48 / B51: every XLSX export the CLI writes (notices, proposals, sentiment, duties here; surveys in
 * test/integration/surveysCli.test.ts) shows what people typed as text: no cell a spreadsheet would run as a formula,
 * no bidi control acting on its neighbours. Each export is fed formula-ish and bidi text where people can type it.
 */

const FORMULA = '=HYPERLINK("http://x","点我")';
const BIDI = '关于\u202Egnp.exe的建议';

let dir: string;
let db: Database;
beforeEach(async () => {
  dir = mkdtempSync(join(tmpdir(), 'xieshang-export-formulas-'));
  db = testSqlite(':memory:');
  await db.members.upsertMany([...MEMBERS, STAFF]);
});
afterEach(async () => {
  await db.close();
  rmSync(dir, { recursive: true, force: true });
});

/** Every string cell of every sheet. */
async function textCells(file: string): Promise<string[]> {
  const wb = new ExcelJS.Workbook();
  await wb.xlsx.readFile(file);
  const cells: string[] = [];
  wb.eachSheet((sheet) =>
    sheet.eachRow((row) =>
      row.eachCell((cell) => {
        if (typeof cell.value === 'string') cells.push(cell.value);
        expect(cell.formula ?? null).toBeNull();
      }),
    ),
  );
  return cells;
}

function expectInert(cells: string[], typed: string[]): void {
  for (const c of cells) {
    expect(c, c).not.toMatch(/^[=+\-@\t\r]/);
    expect(c, c).not.toMatch(/[\u202A-\u202E\u2066-\u2069]/);
  }
  for (const t of typed) expect(cells).toContain(spreadsheetText(t));
}

const sentiment = (seq: number, title: string) => ({
  type: 'sentiment.submit' as const,
  actorId: 'lisi',
  at: new Date('2026-06-30T04:00:00Z'),
  report: {
    submitKey: `s${seq}`,
    year: 2026,
    seq,
    number: `社情〔2026〕第00${seq}号`,
    source: 'member' as const,
    reporterId: 'lisi',
    jointIds: [],
    replyTo: null,
    replyChannel: null,
    title,
    category: null,
    situation: '情况',
    analysis: '分析',
    suggestions: '建议',
    town: null,
    contact: null,
    proposalId: null,
  },
});

describe('every XLSX export writes typed text inert', () => {
  it('spreadsheetText quotes a leading = + - @ (and tab / CR) and shows bidi controls', () => {
    expect(['=1+1', '+1', '-2', '@SUM(A1)', '\t=1', '\r=1', '普通', "'=x"].map(spreadsheetText)).toEqual([
      "'=1+1",
      "'+1",
      "'-2",
      "'@SUM(A1)",
      "'\t=1",
      "'\r=1",
      '普通',
      "'=x",
    ]);
    expect(inertText(BIDI)).toBe('关于<U+202E>gnp.exe的建议');
    expect(inertText(`Z${'\u0301'.repeat(50)}o`)).toBe(`Z${'\u0301'.repeat(3)}o`);
    // Stacked marks a script needs (Vietnamese ệ written with two) are kept.
    expect(inertText('e\u0323\u0302')).toBe('e\u0323\u0302');
  });

  it('notices: receipts with a formula-ish leave reason and title', async () => {
    const n = await sentNotice(db, 'k', { title: '+专题协商会' });
    await db.commit([
      { type: 'notice.answer', noticeId: n.id, userId: 'lisi', answer: 'leave', reason: FORMULA, at: T0 },
      { type: 'notice.answer', noticeId: n.id, userId: 'zhangsan', answer: 'leave', reason: BIDI, at: T0 },
    ]);
    const file = join(dir, 'n.xlsx');
    expect((await exportNoticeReceipts({ db, noticeId: n.id, out: file })).ok).toBe(true);
    expectInert(await textCells(file), [FORMULA, BIDI, '+专题协商会']);
  });

  it('proposals: the register with formula-ish and bidi titles', async () => {
    await db.commit(
      [FORMULA, BIDI, '-2 关于减负的建议'].map((title, i) => ({
        type: 'proposal.submit' as const,
        proposal: {
          submitKey: `p${i}`,
          year: 2026,
          seq: i + 1,
          number: `〔2026〕第00${i + 1}号`,
          ownerId: 'zhangsan',
          title,
          category: '社会建设',
          subcategory: null,
          reason: '情况分析',
          suggestions: '具体建议',
          handlingUnits: [],
          isPublic: true,
          privateReason: null,
        },
        cosignerIds: [],
        at: new Date('2026-03-02T02:00:00Z'),
      })),
    );
    const file = join(dir, 'p.xlsx');
    await exportProposals({ db, year: 2026, out: file, now: new Date('2026-12-01T00:00:00Z') });
    expectInert(await textCells(file), [FORMULA, BIDI, '-2 关于减负的建议']);
  });

  it('sentiment: the register with formula-ish and bidi titles', async () => {
    await db.commit([sentiment(1, FORMULA), sentiment(2, BIDI), sentiment(3, '@SUM(A1)')]);
    const file = join(dir, 's.xlsx');
    expect((await exportSentimentRegister({ db, year: 2026, out: file })).ok).toBe(true);
    expectInert(await textCells(file), [FORMULA, BIDI, '@SUM(A1)']);
  });

  it('duties: the points and the record of what each member did', async () => {
    await db.commit([sentiment(1, FORMULA), sentiment(2, BIDI)]);
    const file = join(dir, 'd.xlsx');
    const out = await exportDuties({
      db,
      year: 2026,
      out: file,
      pointsFile: 'flows/duties/points.yaml',
      now: new Date('2026-06-30T05:00:00Z'),
    });
    expect(out.ok).toBe(true);
    const cells = await textCells(file);
    expectInert(cells, []);
    // The record names what was done; whatever part of the typed title it shows is quoted and inert.
    expect(cells.some((c) => c.includes('HYPERLINK'))).toBe(true);
  });
});
