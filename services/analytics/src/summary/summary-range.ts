import { AppError, ErrorCode } from '@commerce/nest-kit';

const DAY_MS = 24 * 3600 * 1000;
export const DEFAULT_RANGE_DAYS = 30;

/** Midnight UTC of a `YYYY-MM-DD` day, or undefined when there is no such day (2026-02-30). */
export function parseDay(value: string): number | undefined {
  const match = /^(\d{4})-(\d{2})-(\d{2})$/.exec(value);
  if (!match) return undefined;
  const time = Date.UTC(Number(match[1]), Number(match[2]) - 1, Number(match[3]));
  return new Date(time).toISOString().slice(0, 10) === value ? time : undefined;
}

const formatDay = (time: number) => new Date(time).toISOString().slice(0, 10);

function invalid(field: string, message: string): AppError {
  return new AppError({
    status: 400,
    code: ErrorCode.VALIDATION_FAILED,
    message: `Validation failed: ${message}`,
    details: [{ field, constraints: [message] }],
  });
}

/**
 * The summary's days from the query: `to` defaults to today (UTC), `from` to 29 days before `to`
 * (30 days in all). Refuses days that do not exist, `from` after `to` and ranges over `maxDays`.
 */
export function resolveRange(
  query: { from?: string; to?: string },
  maxDays: number,
  now: Date = new Date(),
): { from: string; to: string } {
  const to = query.to === undefined ? Date.parse(formatDay(now.getTime())) : parseDay(query.to);
  if (to === undefined) throw invalid('to', `to must be an existing day, got ${query.to}`);
  const from =
    query.from === undefined ? to - (DEFAULT_RANGE_DAYS - 1) * DAY_MS : parseDay(query.from);
  if (from === undefined) throw invalid('from', `from must be an existing day, got ${query.from}`);
  if (from > to) {
    throw invalid('from', `from (${formatDay(from)}) must not be after to (${formatDay(to)})`);
  }
  const days = Math.round((to - from) / DAY_MS) + 1;
  if (days > maxDays) {
    throw invalid('to', `the range covers ${days} days; at most ${maxDays} are allowed`);
  }
  return { from: formatDay(from), to: formatDay(to) };
}
