import { readFile } from 'node:fs/promises';
import { extname } from 'node:path';
import ExcelJS from 'exceljs';
import type { CellValue } from 'exceljs';
import { AppError } from '../shared/errors.js';

function unreadable(message: string, cause?: unknown): AppError {
  return new AppError({ code: 'table_unreadable', message, userMessage: message, cause });
}

/**
 * Reads a .csv or .xlsx file into rows of strings. Row i of the result is spreadsheet row i + 1 (empty rows are kept),
 * so callers can report the row numbers a user sees in Excel. Throws AppError('table_unreadable') with a Chinese message.
 */
export async function readTable(file: string): Promise<string[][]> {
  const ext = extname(file).toLowerCase();
  if (ext !== '.csv' && ext !== '.xlsx') {
    if (ext === '.xls')
      throw unreadable(`不支持旧版 Excel 格式（.xls）：请在 Excel 中“另存为” .xlsx 或 CSV 后再导入`);
    throw unreadable(`不支持的文件类型「${ext || '无扩展名'}」：请使用 .csv 或 .xlsx 文件`);
  }
  let bytes: Buffer;
  try {
    bytes = await readFile(file);
  } catch (err) {
    throw unreadable(`无法读取文件「${file}」：${describeFsError(err)}`, err);
  }
  return ext === '.csv' ? parseCsv(decodeText(bytes)) : readXlsx(bytes, file);
}

function describeFsError(err: unknown): string {
  const code = err instanceof Error && 'code' in err ? err.code : undefined;
  if (code === 'ENOENT') return '文件不存在';
  if (code === 'EACCES' || code === 'EPERM') return '没有读取权限';
  if (code === 'EISDIR') return '这是一个目录';
  return err instanceof Error ? err.message : String(err);
}

/**
 * UTF-8 (with or without BOM) first; bytes that are not valid UTF-8 are decoded as GBK, because Excel on a Chinese
 * Windows saves "CSV (逗号分隔)" in the ANSI code page, which is GBK (code page 936).
 */
export function decodeText(bytes: Uint8Array): string {
  try {
    return new TextDecoder('utf-8', { fatal: true, ignoreBOM: false }).decode(bytes);
  } catch {
    return new TextDecoder('gbk').decode(bytes);
  }
}

/**
 * RFC 4180 CSV: comma separator, fields optionally in double quotes, "" inside quotes for one quote, CRLF / LF / CR
 * line ends, line breaks allowed inside quotes. A final line end does not start another row. Lenient where Excel is:
 * a quote inside an unquoted field is kept as text. An unclosed quote is an error (the rest of the file would vanish).
 */
export function parseCsv(text: string): string[][] {
  const rows: string[][] = [];
  let row: string[] = [];
  let field = '';
  let inQuotes = false;
  let quoteStartRow = 0;
  let i = text.charCodeAt(0) === 0xfeff ? 1 : 0;
  const endRow = (): void => {
    row.push(field);
    rows.push(row);
    row = [];
    field = '';
  };
  while (i < text.length) {
    const ch = text[i];
    if (inQuotes) {
      if (ch === '"' && text[i + 1] === '"') {
        field += '"';
        i += 2;
        continue;
      }
      if (ch === '"') inQuotes = false;
      else field += ch;
      i++;
      continue;
    }
    if (ch === '"' && field === '') {
      inQuotes = true;
      quoteStartRow = rows.length + 1;
    } else if (ch === ',') {
      row.push(field);
      field = '';
    } else if (ch === '\r' || ch === '\n') {
      endRow();
      if (ch === '\r' && text[i + 1] === '\n') i++;
    } else {
      field += ch;
    }
    i++;
  }
  if (inQuotes) throw unreadable(`CSV 第 ${quoteStartRow} 行有未闭合的双引号`);
  if (field !== '' || row.length > 0) endRow();
  return rows;
}

async function readXlsx(bytes: Buffer, file: string): Promise<string[][]> {
  const workbook = new ExcelJS.Workbook();
  try {
    // exceljs types its input as an ArrayBuffer; copying into a fresh Uint8Array gives one that is not shared.
    await workbook.xlsx.load(new Uint8Array(bytes).buffer);
  } catch (err) {
    throw unreadable(`无法读取 Excel 文件「${file}」：文件已损坏或不是 .xlsx 格式`, err);
  }
  const sheet = workbook.worksheets[0];
  if (sheet === undefined) throw unreadable(`Excel 文件「${file}」中没有工作表`);
  const rows: string[][] = [];
  for (let r = 1; r <= sheet.rowCount; r++) {
    const row = sheet.getRow(r);
    const cells: string[] = [];
    for (let c = 1; c <= row.cellCount; c++) cells.push(cellToString(row.getCell(c).value));
    rows.push(cells);
  }
  return rows;
}

/** Excel stores typed values; the roster wants what the user sees, e.g. a mobile typed as a number stays 11 digits. */
export function cellToString(value: CellValue): string {
  if (value === null || value === undefined) return '';
  if (typeof value === 'string') return value;
  if (typeof value === 'number') return numberToString(value);
  if (typeof value === 'boolean') return value ? 'true' : 'false';
  if (value instanceof Date) return dateToString(value);
  if ('richText' in value) return value.richText.map((part) => part.text).join('');
  if ('hyperlink' in value) return typeof value.text === 'string' ? value.text : cellToString(value.text);
  if ('error' in value) return value.error;
  if ('result' in value) return cellToString(value.result);
  return '';
}

function numberToString(n: number): string {
  if (!Number.isFinite(n)) return String(n);
  // String(1e21) is "1e+21"; BigInt prints every digit of an integer.
  if (Number.isInteger(n)) return BigInt(n).toString();
  return String(n);
}

/** exceljs reads dates as UTC instants; a date without a time of day prints as YYYY-MM-DD. */
function dateToString(d: Date): string {
  if (Number.isNaN(d.getTime())) return '';
  const iso = d.toISOString();
  return iso.endsWith('T00:00:00.000Z') ? iso.slice(0, 10) : iso;
}
