import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import ExcelJS from 'exceljs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { cellToString, parseCsv, readTable } from '../../../src/cli/readTable.js';
import { AppError } from '../../../src/shared/errors.js';

let dir: string;
beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'xieshang-readtable-'));
});
afterAll(async () => {
  await rm(dir, { recursive: true, force: true });
});

async function writeTemp(name: string, content: string | Uint8Array): Promise<string> {
  const file = join(dir, name);
  await writeFile(file, content);
  return file;
}

describe('parseCsv', () => {
  it('splits plain rows', () => {
    expect(parseCsv('a,b,c\n1,2,3\n')).toEqual([
      ['a', 'b', 'c'],
      ['1', '2', '3'],
    ]);
  });

  it('handles CRLF, LF and CR line ends, with or without a final line end', () => {
    expect(parseCsv('a,b\r\n1,2\r\n')).toEqual([
      ['a', 'b'],
      ['1', '2'],
    ]);
    expect(parseCsv('a,b\r1,2')).toEqual([
      ['a', 'b'],
      ['1', '2'],
    ]);
  });

  it('keeps commas, line breaks and escaped quotes inside quotes', () => {
    expect(parseCsv('名称,说明\r\n"教育、科技,卫生","第一行\r\n第二行 ""引号"""\r\n')).toEqual([
      ['名称', '说明'],
      ['教育、科技,卫生', '第一行\r\n第二行 "引号"'],
    ]);
  });

  it('keeps empty fields and empty lines, so row numbers match the spreadsheet', () => {
    expect(parseCsv('a,,c\n\n,\n')).toEqual([['a', '', 'c'], [''], ['', '']]);
  });

  it('strips a leading BOM', () => {
    expect(parseCsv('\uFEFF账号,姓名\n')).toEqual([['账号', '姓名']]);
  });

  it('keeps a stray quote inside an unquoted field as text', () => {
    expect(parseCsv('a"b,c\n')).toEqual([['a"b', 'c']]);
  });

  it('rejects an unclosed quote, naming its row', () => {
    expect(() => parseCsv('a,b\n1,"oops\n2,3\n')).toThrow('CSV 第 2 行有未闭合的双引号');
  });

  it('returns no rows for an empty text', () => {
    expect(parseCsv('')).toEqual([]);
  });
});

describe('readTable: CSV files', () => {
  it('reads UTF-8 with a BOM (Excel "CSV UTF-8")', async () => {
    const file = await writeTemp(
      'bom.csv',
      Buffer.concat([Buffer.from([0xef, 0xbb, 0xbf]), Buffer.from('账号,姓名\r\nzs,张三\r\n')]),
    );
    expect(await readTable(file)).toEqual([
      ['账号', '姓名'],
      ['zs', '张三'],
    ]);
  });

  it('reads UTF-8 without a BOM', async () => {
    const file = await writeTemp('plain.csv', '账号,姓名\nzs,张三\n');
    expect(await readTable(file)).toEqual([
      ['账号', '姓名'],
      ['zs', '张三'],
    ]);
  });

  it('reads GBK, as Excel on a Chinese Windows saves CSV', async () => {
    // "账号,姓名\r\nzs,张三\r\n" in GBK (code page 936)
    const file = await writeTemp('gbk.CSV', Buffer.from('d5cbbac52cd0d5c3fb0d0a7a732cd5c5c8fd0d0a', 'hex'));
    expect(await readTable(file)).toEqual([
      ['账号', '姓名'],
      ['zs', '张三'],
    ]);
  });

  it('reads the sample roster fixture', async () => {
    const rows = await readTable(join(import.meta.dirname, '../../fixtures/members.csv'));
    expect(rows[0]).toEqual(['账号', '姓名', '角色', '界别', '专委会', '手机', '状态']);
    expect(rows.length).toBeGreaterThanOrEqual(8);
  });
});

describe('readTable: XLSX files', () => {
  it('reads the first worksheet as strings', async () => {
    const workbook = new ExcelJS.Workbook();
    const sheet = workbook.addWorksheet('名册');
    workbook.addWorksheet('其他').addRow(['不应读取']);
    sheet.addRow(['账号', '姓名', '角色', '手机', '入职日期', '在职', '备注']);
    sheet.addRow([
      'zhangsan',
      '张三',
      '委员',
      13800138000,
      new Date(Date.UTC(2024, 0, 15)),
      true,
      { richText: [{ text: '加粗' }, { text: '文字' }] },
    ]);
    sheet.addRow([]);
    sheet.addRow([
      'lisi',
      { text: '李四', hyperlink: 'mailto:lisi@example.com' },
      '委员',
      { formula: '13900139000', result: 13900139000 },
    ]);
    const file = join(dir, 'members.xlsx');
    await workbook.xlsx.writeFile(file);

    const rows = await readTable(file);
    expect(rows[0]).toEqual(['账号', '姓名', '角色', '手机', '入职日期', '在职', '备注']);
    expect(rows[1]).toEqual(['zhangsan', '张三', '委员', '13800138000', '2024-01-15', 'true', '加粗文字']);
    expect(rows[2]?.every((c) => c === '')).toBe(true);
    expect(rows[3]).toEqual(['lisi', '李四', '委员', '13900139000']);
    expect(rows).toHaveLength(4);
  });

  it('rejects a file that is not really XLSX', async () => {
    const file = await writeTemp('fake.xlsx', 'not a zip');
    await expect(readTable(file)).rejects.toThrow('文件已损坏或不是 .xlsx 格式');
  });
});

describe('cellToString', () => {
  it('prints large integers without scientific notation', () => {
    expect(cellToString(13800138000)).toBe('13800138000');
    expect(cellToString(1e21)).toBe('1000000000000000000000');
    expect(cellToString(3.5)).toBe('3.5');
  });

  it('keeps the time of a date that has one', () => {
    expect(cellToString(new Date(Date.UTC(2024, 0, 15, 8, 30)))).toBe('2024-01-15T08:30:00.000Z');
  });

  it('prints formula errors and empty formula results', () => {
    expect(cellToString({ error: '#N/A' })).toBe('#N/A');
    expect(cellToString({ formula: 'A1' })).toBe('');
    expect(cellToString(null)).toBe('');
  });
});

describe('readTable: unsupported input', () => {
  it('names the file type it cannot read', async () => {
    await expect(readTable(join(dir, 'members.txt'))).rejects.toThrow('不支持的文件类型「.txt」');
    await expect(readTable(join(dir, 'members.xls'))).rejects.toThrow('不支持旧版 Excel 格式');
    await expect(readTable(join(dir, 'members'))).rejects.toThrow('无扩展名');
  });

  it('says when the file does not exist', async () => {
    const err: unknown = await readTable(join(dir, 'missing.csv')).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(AppError);
    expect(err).toMatchObject({ code: 'table_unreadable', message: expect.stringContaining('文件不存在') });
  });
});
