/** `INV-<year>-<sequence>`, the sequence zero-padded to six digits (it grows past 999999). */
export function formatInvoiceNumber(year: number, sequence: number): string {
  if (!Number.isInteger(year) || year < 1970 || year > 9999) {
    throw new RangeError(`invalid invoice year ${year}`);
  }
  if (!Number.isSafeInteger(sequence) || sequence < 1) {
    throw new RangeError(`invalid invoice sequence ${sequence}`);
  }
  return `INV-${year}-${String(sequence).padStart(6, '0')}`;
}

const NUMBER = /^INV-(\d{4})-(\d{6,})$/;

export function parseInvoiceNumber(text: string): { year: number; sequence: number } | null {
  const match = NUMBER.exec(text);
  if (!match?.[1] || !match[2]) return null;
  const sequence = Number(match[2]);
  return sequence >= 1 ? { year: Number(match[1]), sequence } : null;
}
