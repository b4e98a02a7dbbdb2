/**
 * CSV / Excel exports with formula-injection guarding: any cell starting with = + - @ (or a tab/CR)
 * is prefixed with an apostrophe so spreadsheet programs show it as text.
 */
import type { Response } from 'express';
import ExcelJS from 'exceljs';
import { nextTurn } from '../event-loop';

export interface TableSpec {
  sheet: string;
  columns: { header: string; key: string; width?: number }[];
  rows: Record<string, unknown>[];
}

export function guardCell(value: unknown): string | number | null {
  if (value == null) return null;
  if (typeof value === 'number') return value;
  const s = value instanceof Date ? value.toISOString() : String(value);
  return /^[=+\-@\t\r]/.test(s) ? `'${s}` : s;
}

function csvField(v: string | number | null): string {
  if (v == null) return '';
  const s = String(v);
  return /[",\r\n]/.test(s) ? `"${s.replace(/"/g, '""')}"` : s;
}

export function toCsv(spec: TableSpec): string {
  // Headers too: a welfare form's field labels, set by officers, become column headers.
  const lines = [spec.columns.map((c) => csvField(guardCell(c.header))).join(',')];
  for (const row of spec.rows) lines.push(spec.columns.map((c) => csvField(guardCell(row[c.key]))).join(','));
  // BOM so Excel opens UTF-8 Vietnamese correctly.
  return '\uFEFF' + lines.join('\r\n') + '\r\n';
}

export async function toXlsx(spec: TableSpec): Promise<Buffer> {
  const wb = new ExcelJS.Workbook();
  const ws = wb.addWorksheet(spec.sheet.slice(0, 31));
  ws.columns = spec.columns.map((c) => ({ header: c.header, key: c.key, width: c.width ?? 18 }));
  ws.getRow(1).font = { bold: true };
  for (const row of spec.rows) ws.addRow(Object.fromEntries(spec.columns.map((c) => [c.key, guardCell(row[c.key])])));
  return Buffer.from(await wb.xlsx.writeBuffer());
}

export async function sendTable(res: Response, format: 'csv' | 'xlsx', basename: string, spec: TableSpec): Promise<void> {
  // res.attachment encodes a name outside ASCII (filename*=UTF-8''…) instead of an invalid header.
  if (format === 'csv') {
    res.attachment(`${basename}.csv`).set('content-type', 'text/csv; charset=utf-8').send(toCsv(spec));
    return;
  }
  res.attachment(`${basename}.xlsx`).set('content-type', 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet').send(await toXlsx(spec));
}

/** The pages of `source` with each row turned into an export row by `toRow`. */
export async function* mapPages<Row>(source: AsyncIterable<Row[]>, toRow: (row: Row) => Record<string, unknown>): AsyncGenerator<Record<string, unknown>[]> {
  for await (const page of source) yield page.map(toRow);
}

/** Resolves when the response can take more, or is gone; leaves no listener behind. */
function drainedOrClosed(res: Response): Promise<void> {
  return new Promise((resolve) => {
    const done = () => {
      res.off('drain', done);
      res.off('close', done);
      resolve();
    };
    res.on('drain', done);
    res.on('close', done);
  });
}

/**
 * Writes a table of any length to the response as it is read, one page of rows at a time: CSV as text
 * with the response's backpressure, XLSX through exceljs's streaming writer (rows committed as they
 * go). Memory stays at about one page whatever the row count. Resolves with the number of rows
 * written, and stops early when the client goes away.
 */
export async function streamTable(
  res: Response,
  format: 'csv' | 'xlsx',
  basename: string,
  spec: Omit<TableSpec, 'rows'>,
  pages: AsyncIterable<Record<string, unknown>[]>,
): Promise<number> {
  let written = 0;
  const gone = () => res.destroyed || res.writableEnded;
  if (format === 'csv') {
    res.attachment(`${basename}.csv`).set('content-type', 'text/csv; charset=utf-8');
    res.write('\uFEFF' + spec.columns.map((c) => csvField(guardCell(c.header))).join(',') + '\r\n');
    for await (const page of pages) {
      if (gone()) break;
      const chunk = page.map((row) => spec.columns.map((c) => csvField(guardCell(row[c.key]))).join(',') + '\r\n').join('');
      written += page.length;
      if (!res.write(chunk)) await drainedOrClosed(res);
      else await nextTurn();
    }
    res.end();
    return written;
  }
  res.attachment(`${basename}.xlsx`).set('content-type', 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet');
  const wb = new ExcelJS.stream.xlsx.WorkbookWriter({ stream: res, useStyles: true, useSharedStrings: false });
  const ws = wb.addWorksheet(spec.sheet.slice(0, 31));
  ws.columns = spec.columns.map((c) => ({ header: c.header, key: c.key, width: c.width ?? 18 }));
  ws.getRow(1).font = { bold: true };
  ws.getRow(1).commit();
  for await (const page of pages) {
    if (gone()) break;
    for (const row of page) ws.addRow(Object.fromEntries(spec.columns.map((c) => [c.key, guardCell(row[c.key])]))).commit();
    written += page.length;
    if (res.writableNeedDrain) await drainedOrClosed(res);
    else await nextTurn();
  }
  ws.commit();
  await wb.commit();
  return written;
}
