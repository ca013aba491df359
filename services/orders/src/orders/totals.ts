/** Money arithmetic in integer minor units; anything that is not a safe integer is refused. */

export interface PricedLine {
  unitPrice: number;
  quantity: number;
}

function assertMinor(value: number, what: string): void {
  if (!Number.isSafeInteger(value) || value < 0) {
    throw new RangeError(`${what} must be a non-negative safe integer, got ${value}`);
  }
}

export function lineTotal(line: PricedLine): number {
  assertMinor(line.unitPrice, 'unitPrice');
  if (!Number.isSafeInteger(line.quantity) || line.quantity < 1) {
    throw new RangeError(`quantity must be a positive integer, got ${line.quantity}`);
  }
  const total = line.unitPrice * line.quantity;
  assertMinor(total, 'line total');
  return total;
}

export function orderTotal(lines: readonly PricedLine[]): number {
  let total = 0;
  for (const line of lines) {
    total += lineTotal(line);
    assertMinor(total, 'total');
  }
  return total;
}
