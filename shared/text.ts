/** Vietnamese text helpers used for matching and search (not for display). */

/** Lowercase, NFC, no diacritics, đ→d, single spaces. */
export function foldVietnamese(input: string): string {
  return input
    .normalize('NFC')
    .toLowerCase()
    .replace(/đ/g, 'd')
    .normalize('NFD')
    .replace(/[\u0300-\u036f]/g, '')
    .replace(/\s+/g, ' ')
    .trim();
}
