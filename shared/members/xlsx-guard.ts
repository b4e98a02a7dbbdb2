/**
 * An XLSX is a ZIP archive. A few megabytes of deflated zeros can stand for gigabytes of XML (a "zip
 * bomb"): exceljs would spend minutes on it, and cache a bomb of shared strings in memory. Before
 * exceljs sees a workbook, this reads the archive with yauzl: the sizes its directory declares must add
 * up to no more than the limit, and each part is inflated (natively, streamed, nothing kept) so that
 * yauzl can check it is exactly the size it declares — together, nothing inflates past the limit.
 */
import yauzl from 'yauzl';
import { AppError } from '../errors';

/** What the parts of one workbook may add up to once inflated; a member row takes ~480 bytes (about 400,000 rows). */
export const XLSX_MAX_EXPANDED_BYTES = 200 * 1024 * 1024;
const MAX_ENTRIES = 10_000;

const mb = (n: number) => `${Math.round(n / (1024 * 1024))} MB`;

function tooBig(declared: number, limit: number) {
  return new AppError(
    'XLSX_TOO_LARGE',
    400,
    `Tệp Excel khi giải nén quá lớn (hơn ${mb(limit)}); hãy chia nhỏ tệp hoặc lưu thành CSV UTF-8 / ` +
      `the XLSX file expands to more than ${mb(limit)} (at least ${mb(declared)}); split it or save it as CSV`,
  );
}

function unreadable(reason: string) {
  return new AppError('BAD_XLSX', 400, `Không đọc được tệp Excel / cannot read the XLSX file: ${reason}`);
}

/** Resolves when the archive is readable and inflates to at most `limit` bytes; otherwise a 400 AppError. */
export function checkXlsxExpansion(buf: Buffer, limit = XLSX_MAX_EXPANDED_BYTES): Promise<void> {
  return new Promise((resolve, reject) => {
    yauzl.fromBuffer(buf, { lazyEntries: true, validateEntrySizes: true, strictFileNames: false }, (openErr, zip) => {
      if (openErr || !zip) return reject(unreadable(openErr?.message ?? 'not a ZIP archive'));
      let declared = 0;
      let entries = 0;
      let settled = false;
      const fail = (err: AppError) => {
        if (settled) return;
        settled = true;
        zip.close();
        reject(err);
      };
      zip.on('error', (err: Error) => fail(unreadable(err.message)));
      zip.on('end', () => {
        if (settled) return;
        settled = true;
        resolve();
      });
      zip.on('entry', (entry: yauzl.Entry) => {
        entries += 1;
        declared += entry.uncompressedSize;
        if (entries > MAX_ENTRIES) return fail(unreadable(`more than ${MAX_ENTRIES} parts`));
        if (declared > limit) return fail(tooBig(declared, limit));
        if (entry.fileName.endsWith('/')) return zip.readEntry();
        zip.openReadStream(entry, (streamErr, stream) => {
          if (streamErr || !stream) return fail(unreadable(streamErr?.message ?? 'unreadable part'));
          stream.resume(); // inflate and drop: only yauzl's size check matters
          // yauzl errors the stream when a part inflates to other than the size it declared, or is corrupt.
          stream.on('error', (err: Error) => fail(unreadable(err.message)));
          stream.on('end', () => {
            if (!settled) zip.readEntry();
          });
        });
      });
      zip.readEntry();
    });
  });
}
