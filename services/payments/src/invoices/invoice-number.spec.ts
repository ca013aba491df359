import { formatInvoiceNumber, parseInvoiceNumber } from './invoice-number';

describe('invoice numbers', () => {
  it('pads the sequence to six digits', () => {
    expect(formatInvoiceNumber(2026, 1)).toBe('INV-2026-000001');
    expect(formatInvoiceNumber(2026, 123456)).toBe('INV-2026-123456');
    expect(formatInvoiceNumber(2027, 1234567)).toBe('INV-2027-1234567');
  });

  it('sorts in issue order within a year', () => {
    const numbers = [3, 10, 2, 1].map((n) => formatInvoiceNumber(2026, n));
    expect([...numbers].sort()).toEqual([
      'INV-2026-000001',
      'INV-2026-000002',
      'INV-2026-000003',
      'INV-2026-000010',
    ]);
  });

  it('refuses what cannot be a number', () => {
    expect(() => formatInvoiceNumber(2026, 0)).toThrow(RangeError);
    expect(() => formatInvoiceNumber(2026, 1.5)).toThrow(RangeError);
    expect(() => formatInvoiceNumber(26, 1)).toThrow(RangeError);
  });

  it('parses its own format back', () => {
    expect(parseInvoiceNumber('INV-2026-000042')).toEqual({ year: 2026, sequence: 42 });
    expect(parseInvoiceNumber('INV-2026-42')).toBeNull();
    expect(parseInvoiceNumber('INV-2026-000000')).toBeNull();
    expect(parseInvoiceNumber('inv-2026-000001')).toBeNull();
  });
});
