/** Reads a CSV (UTF-8, with or without BOM) or XLSX member file into header + string rows. */
import fs from 'node:fs';
import { Readable } from 'node:stream';
import path from 'node:path';
import { parse } from 'csv-parse';
import ExcelJS from 'exceljs';
import { AppError } from '../errors';
import { checkXlsxExpansion } from './xlsx-guard';
import { nextTurn } from '../event-loop';

export interface RawTable {
  headers: string[];
  /** rows[i] is spreadsheet row i + 2 (row 1 is the header). */
  rows: string[][];
}

const isZip = (b: Buffer) => b.length > 4 && b[0] === 0x50 && b[1] === 0x4b && b[2] === 0x03 && b[3] === 0x04;

export async function readMemberFile(file: string): Promise<RawTable> {
  if (!fs.existsSync(file)) throw new AppError('FILE_NOT_FOUND', 400, `Không tìm thấy tệp / file not found: ${file}`);
  const buf = fs.readFileSync(file);
  return parseMemberBuffer(buf, path.basename(file));
}

export async function parseMemberBuffer(buf: Buffer, filename: string): Promise<RawTable> {
  const ext = path.extname(filename).toLowerCase();
  if (ext === '.xlsx' || (isZip(buf) && ext !== '.csv')) {
    if (!isZip(buf)) throw notSupported(filename);
    return readXlsx(buf);
  }
  if (ext === '.csv' || ext === '.txt' || ext === '') return readCsv(buf, filename);
  throw notSupported(filename);
}

function notSupported(filename: string) {
  return new AppError(
    'UNSUPPORTED_FILE',
    400,
    `Tệp "${filename}" không phải CSV hoặc Excel (.xlsx) / "${filename}" is not a CSV or XLSX file`,
  );
}

/** Bytes of CSV parsed between two yields to the event loop (~10 ms of work here). */
const CSV_SLICE_BYTES = 128 * 1024;

/**
 * csv-parse fed the file a slice at a time, yielding between slices: a 20 MB upload took ~1.5 s of
 * one uninterrupted parse, long enough for Zalo's webhooks to time out meanwhile.
 */
async function parseCsvInSlices(buf: Buffer, delimiter: string): Promise<string[][]> {
  const records: string[][] = [];
  const parser = parse({ bom: true, delimiter, relax_column_count: true, skip_empty_lines: true, trim: true });
  let failure: Error | undefined;
  parser.on('data', (r: string[]) => records.push(r));
  parser.on('error', (err: Error) => (failure ??= err));
  const ended = new Promise<void>((resolve) => parser.on('end', resolve).on('error', () => resolve()));
  for (let i = 0; i < buf.length && !failure; i += CSV_SLICE_BYTES) {
    parser.write(buf.subarray(i, i + CSV_SLICE_BYTES));
    await nextTurn();
  }
  if (!failure) parser.end();
  await ended;
  if (failure) throw failure;
  return records;
}

async function readCsv(buf: Buffer, filename: string): Promise<RawTable> {
  if (buf.includes(0)) throw notSupported(filename);
  const text = buf.toString('utf8');
  if (text.includes('\uFFFD')) {
    throw new AppError(
      'BAD_ENCODING',
      400,
      'Tệp CSV không phải mã UTF-8 (hãy lưu lại với "CSV UTF-8") / the CSV file is not UTF-8 encoded',
    );
  }
  const firstLine = text.replace(/^\uFEFF/, '').split(/\r?\n/, 1)[0] ?? '';
  const delimiter = [',', ';', '\t'].sort((a, b) => firstLine.split(b).length - firstLine.split(a).length)[0];
  let records: string[][];
  try {
    records = await parseCsvInSlices(buf, delimiter);
  } catch (err) {
    throw new AppError('BAD_CSV', 400, `Tệp CSV bị lỗi định dạng / malformed CSV: ${(err as Error).message}`);
  }
  if (records.length === 0) throw new AppError('EMPTY_FILE', 400, 'Tệp không có dữ liệu / the file is empty');
  return { headers: records[0], rows: records.slice(1) };
}

/** Columns read from a sheet: the header row's, at most this many (the member file has about ten). */
const XLSX_MAX_COLUMNS = 256;
const EMPTY_ROW = Object.freeze([]) as unknown as string[];

/**
 * The first sheet, read with exceljs's streaming reader: rows arrive as the archive inflates, so a big
 * workbook neither sits in memory as a whole model (~6 kB a row) nor holds the process for seconds
 * (the in-memory reader: 100,000 rows took 4.7 s with a 1.5 s stall and ~580 MB of heap).
 */
async function readXlsx(buf: Buffer): Promise<RawTable> {
  await checkXlsxExpansion(buf);
  let headers: string[] | null = null;
  let width = 0;
  const rows: string[][] = [];
  try {
    const reader = new ExcelJS.stream.xlsx.WorkbookReader(Readable.from([buf]), { sharedStrings: 'cache', styles: 'cache', hyperlinks: 'ignore', worksheets: 'emit', entries: 'emit' });
    for await (const sheet of reader) {
      for await (const row of sheet as AsyncIterable<ExcelJS.Row>) {
        if (headers === null) {
          if (row.number === 1) {
            // The header's columns only: a stray value at XFD1048576 does not widen the table.
            width = Math.min(row.cellCount, XLSX_MAX_COLUMNS);
            headers = rowValues(row, width);
            continue;
          }
          headers = []; // row 1 is empty: no header (the importer says which columns are missing)
        }
        const values = rowValues(row, width);
        if (values.every((v) => v === '')) continue;
        while (rows.length < row.number - 2) rows.push(EMPTY_ROW);
        rows.push(values);
      }
      break; // the first sheet only
    }
  } catch (err) {
    if (err instanceof AppError) throw err;
    throw new AppError('BAD_XLSX', 400, `Không đọc được tệp Excel / cannot read the XLSX file: ${(err as Error).message}`);
  }
  if (!headers) throw new AppError('EMPTY_FILE', 400, 'Tệp không có dữ liệu / the file is empty');
  return { headers, rows };
}

function rowValues(row: ExcelJS.Row, width: number): string[] {
  const out: string[] = [];
  for (let c = 1; c <= width; c++) out.push(cellText(row.getCell(c).value));
  return out;
}

function cellText(v: ExcelJS.CellValue): string {
  if (v == null) return '';
  if (v instanceof Date) return v.toISOString().slice(0, 10);
  if (typeof v === 'object') {
    if ('richText' in v) return v.richText.map((t) => t.text).join('').trim();
    if ('text' in v) return String(v.text).trim();
    if ('result' in v) return cellText(v.result as ExcelJS.CellValue);
    if ('error' in v) return '';
  }
  return String(v).trim();
}
