/** Vietnamese phone numbers → E.164 (+84…). Returns null when the input is not a plausible VN number. */
export function normalizeVietnamesePhone(input: string | null | undefined): string | null {
  if (input == null) return null;
  let digits = String(input).replace(/[\s.\-()]/g, '');
  if (digits === '') return null;
  if (digits.startsWith('+')) digits = digits.slice(1);
  else if (digits.startsWith('0084')) digits = digits.slice(2);
  if (!/^\d+$/.test(digits)) return null;
  if (digits.startsWith('84')) digits = digits.slice(2);
  else if (digits.startsWith('0')) digits = digits.slice(1);
  // Mobile numbers are 9 digits after the country code (3x, 5x, 7x, 8x, 9x); landlines 9-10 (2x).
  if (/^[35789]\d{8}$/.test(digits) || /^2\d{8,9}$/.test(digits)) return `+84${digits}`;
  return null;
}
