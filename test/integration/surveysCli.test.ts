/** `npm run cli -- surveys …` against a SQLite file, and `surveys link` against the fake WeCom API on loopback. */
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import ExcelJS from 'exceljs';
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { runCli } from '../../src/cli/index.js';
import { cellText } from '../../src/cli/surveysCommand.js';
import { surveyStore } from '../../src/features/surveys/index.js';
import { startFakeWecomApi, type FakeWecomApi } from '../fakes/fakeWecomApi.js';
import { testSqlite } from '../support/testDatabase.js';

const WECOM = {
  WECOM_CORP_ID: 'wwsurveys',
  WECOM_AGENT_ID: '1000002',
  WECOM_SECRET: 's3cret',
  WECOM_TOKEN: 'tok',
  WECOM_ENCODING_AES_KEY: 'a'.repeat(43),
};

let dir: string;
let api: FakeWecomApi;
beforeAll(async () => {
  api = await startFakeWecomApi({ corpId: WECOM.WECOM_CORP_ID, secret: WECOM.WECOM_SECRET });
});
afterAll(async () => {
  await api.close();
});
beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), 'xieshang-surveys-'));
});
afterEach(() => {
  rmSync(dir, { recursive: true, force: true });
});

async function cli(argv: string[], env: Record<string, string> = {}) {
  const out: string[] = [];
  const err: string[] = [];
  const code = await runCli(
    argv,
    { DATA_DIR: dir, LOG_LEVEL: 'silent', ...env },
    { out: (t) => out.push(t), err: (t) => err.push(t) },
  );
  return { code, out: out.join('\n'), err: err.join('\n') };
}

const at = new Date('2026-12-03T02:00:00Z');
async function seed(): Promise<void> {
  const db = testSqlite(join(dir, 'xieshang.sqlite'));
  await db.commit([
    {
      type: 'survey.respond',
      surveyId: 'minsheng_2027',
      channel: 'wecom-kf',
      respondent: 'wmSecretId',
      answers: {
        projects: ['school', 'roads'],
        rating: 2,
        lowReason: '=HYPERLINK("x")',
        suggestion: '打我电话13812345678',
        town: '青山镇',
        ageGroup: '',
      },
      at,
    },
    {
      type: 'survey.respond',
      surveyId: 'minsheng_2027',
      channel: 'wecom-app',
      respondent: 'wy1',
      answers: { projects: ['school'], rating: 5, suggestion: '', town: '河口镇', ageGroup: '31-45岁' },
      at,
    },
  ]);
  await db.close();
}

describe('npm run cli -- surveys', () => {
  it('lists, prints results with a breakdown, and exports a workbook without who answered', async () => {
    await seed();
    const list = await cli(['surveys', 'list']);
    expect(list).toMatchObject({ code: 0, err: '' });
    expect(list.out).toContain('minsheng_2027  2027年民生实事项目征集  征集中  2 份');
    const r = await cli([
      'surveys',
      'results',
      'minsheng_2027',
      '--by',
      'town',
      '--xlsx',
      join(dir, 'r.xlsx'),
    ]);
    expect(r.err).toBe('');
    expect(r.code).toBe(0);
    expect(r.out).toContain('共 2 份（群众 1，委员 1）');
    expect(r.out).toContain('「打我电话138****5678」');
    expect(r.out).toContain('按「乡镇（街道）」：青山镇（1 份）');
    const wb = new ExcelJS.Workbook();
    await wb.xlsx.readFile(join(dir, 'r.xlsx'));
    const sheet = wb.getWorksheet('答卷');
    const rows = (sheet?.getSheetValues() ?? [])
      .filter(Boolean)
      .map((v) => (Array.isArray(v) ? v.slice(1) : v));
    expect(rows[1]).toEqual(
      [
        'R0001',
        '群众',
        '2026-12-03 10:00',
        '新建改扩建公办幼儿园和中小学、农村公路提档升级和安全设施',
        2,
        `'=HYPERLINK("x")`,
        '打我电话138****5678',
        '青山镇',
        '（未回答）',
      ].map((v) => (typeof v === 'number' ? String(v) : v)),
    );
    expect(JSON.stringify(rows)).not.toContain('wmSecretId');
    expect(wb.getWorksheet('按乡镇（街道）')).toBeDefined();
    expect((await cli(['surveys', 'results', 'nope'])).code).toBe(1);
    expect((await cli(['surveys', 'results', 'minsheng_2027', '--by', 'rating'])).err).toContain(
      '不是这份问卷的单选题',
    );
    expect((await cli(['surveys', 'results', 'minsheng_2027', '--xlsx', 'a.csv'])).code).toBe(2);
  });

  it('opens and closes; a closing time in the past is refused', async () => {
    const env = { ...WECOM, WECOM_API_BASE: api.url };
    expect((await cli(['surveys', 'list'], env)).out).toContain('未开始');
    expect(
      (await cli(['surveys', 'open', 'minsheng_2027', '--closes', '2020-01-01 00:00'], env)).err,
    ).toContain('截止时间应晚于现在');
    const opened = await cli(['surveys', 'open', 'minsheng_2027'], env);
    expect(opened).toMatchObject({ code: 0, out: '已开放 minsheng_2027，截止 2027-01-31 23:59。' });
    expect((await cli(['surveys', 'list'], env)).out).toContain('征集中');
    expect((await cli(['surveys', 'close', 'minsheng_2027'], env)).code).toBe(0);
    expect((await cli(['surveys', 'list'], env)).out).toContain('已截止');
  });

  it('makes the 客服 link with the survey scene (kf/add_contact_way) once, and a QR code PNG', async () => {
    const env = { ...WECOM, WECOM_API_BASE: api.url, WECOM_KF_OPEN_KFIDS: 'wkCitizens,wkOther' };
    const png = join(dir, 'poster.png');
    const r = await cli(['surveys', 'link', 'minsheng_2027', '--out', png], env);
    expect(r.err).toBe('');
    expect(api.kf.contactWays.at(-1)).toMatchObject({ openKfid: 'wkCitizens', scene: 'minsheng2027' });
    const url = api.kf.contactWays.at(-1)?.url ?? '';
    expect(r.out).toContain(url);
    expect(readFileSync(png).subarray(1, 4).toString('latin1')).toBe('PNG');
    const made = api.kf.contactWays.length;
    await cli(['surveys', 'link', 'minsheng_2027', '--out', png], env);
    expect(api.kf.contactWays.length).toBe(made);
    const db = testSqlite(join(dir, 'xieshang.sqlite'));
    expect((await surveyStore(db).state('minsheng_2027'))?.linkUrl).toBe(url);
    await db.close();
    // An unknown 客服账号 is WeCom's error, said plainly; local mode has no link.
    expect(
      (await cli(['surveys', 'link', 'minsheng_2027', '--kf', 'xxUnknown', '--new', '--out', png], env)).code,
    ).toBe(1);
    expect((await cli(['surveys', 'link', 'minsheng_2027', '--new', '--out', png])).err).toContain(
      '本地模式没有微信客服链接',
    );
  });

  it('keeps formulas out of cells', () => {
    expect(cellText('=1+1')).toBe(`'=1+1`);
    expect(cellText('@cmd')).toBe(`'@cmd`);
    expect(cellText('普通意见')).toBe('普通意见');
  });
});
