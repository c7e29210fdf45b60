import type ExcelJS from 'exceljs';
import { spreadsheetText } from '../shared/text.js';

/**
 * Every text cell of every sheet made safe to open (spreadsheetText: no formula, no bidi trick), then the file
 * written. Each export writes through here, so a new column cannot forget it. Numbers and dates are left alone.
 */
export async function writeSafeWorkbook(workbook: ExcelJS.Workbook, file: string): Promise<void> {
  workbook.eachSheet((sheet) => {
    sheet.eachRow((row) => {
      row.eachCell((cell) => {
        if (typeof cell.value === 'string') cell.value = spreadsheetText(cell.value);
      });
    });
  });
  await workbook.xlsx.writeFile(file);
}
