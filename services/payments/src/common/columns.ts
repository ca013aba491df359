import type { ValueTransformer } from 'typeorm';

/**
 * PostgreSQL `bigint` arrives as a string (it may exceed 2^53); money here is always a safe
 * integer of minor units, so it is read as a number and refused otherwise.
 */
export const minorUnits: ValueTransformer = {
  to: (value: number | null | undefined) => value,
  from: (value: string | null) => {
    if (value === null) return null;
    const n = Number(value);
    if (!Number.isSafeInteger(n)) throw new RangeError(`not a safe integer amount: ${value}`);
    return n;
  },
};
