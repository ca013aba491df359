import { Transform } from 'class-transformer';

/**
 * A query-string integer: only plain decimal digits (with an optional minus) become a number, so
 * `0x10`, `1e3`, ` 5` or `1.0` stay strings and fail `@IsInt()` with a 400 naming the field,
 * where `Number()` would quietly accept them.
 */
export const DecimalInt = (): PropertyDecorator =>
  Transform(({ value }: { value: unknown }) =>
    typeof value === 'string' && /^-?\d{1,16}$/.test(value) ? Number(value) : value,
  );
