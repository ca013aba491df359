import { z } from 'zod';

/**
 * Schema helpers for environment variables, which always arrive as strings. Their messages read
 * well after the variable name: `PORT: expected a number between 1 and 65535, got "abc"`.
 */

export interface EnvIntOptions {
  readonly min?: number;
  readonly max?: number;
}

/** A whole number given as decimal digits; rejects `1e3`, `0x10`, `12abc` that Number() accepts. */
export function envInt({ min, max }: EnvIntOptions = {}) {
  const expectation =
    min !== undefined && max !== undefined
      ? `expected a number between ${min} and ${max}`
      : min !== undefined
        ? `expected a number of at least ${min}`
        : max !== undefined
          ? `expected a number of at most ${max}`
          : 'expected a whole number';
  return z
    .string()
    .trim()
    .transform((raw, ctx) => {
      const value = /^-?\d+$/.test(raw) ? Number(raw) : Number.NaN;
      if (
        !Number.isSafeInteger(value) ||
        (min !== undefined && value < min) ||
        (max !== undefined && value > max)
      ) {
        ctx.addIssue({ code: 'custom', message: expectation });
        return z.NEVER;
      }
      return value;
    });
}

/** A TCP port to listen on or connect to. */
export function envPort() {
  return envInt({ min: 1, max: 65535 });
}

/** An absolute URL whose scheme is one of `protocols` (e.g. `['redis:', 'rediss:']`). */
export function envUrl(protocols: readonly string[]) {
  const names = protocols.map((p) => `${p}//`).join(' or ');
  return z.string().refine(
    (raw) => {
      try {
        return protocols.includes(new URL(raw).protocol);
      } catch {
        return false;
      }
    },
    { message: `expected a ${names} URL` },
  );
}

/** `true/false`, `1/0`, `yes/no`, `on/off` (case-insensitive). */
export function envBool() {
  return z
    .string()
    .trim()
    .toLowerCase()
    .transform((raw, ctx) => {
      if (['true', '1', 'yes', 'on'].includes(raw)) return true;
      if (['false', '0', 'no', 'off'].includes(raw)) return false;
      ctx.addIssue({ code: 'custom', message: 'expected true or false' });
      return z.NEVER;
    });
}

/**
 * A BullMQ key prefix (QUEUE_PREFIX): producers and the workers process must share it. In braces
 * (`{commerce}`, the default) it is a Redis Cluster hash tag: every key of every queue lands in one
 * hash slot, as BullMQ requires on a cluster; a bare name (`commerce`) suits one Redis server only.
 */
export function envQueuePrefix() {
  return z
    .string()
    .regex(
      /^(\{[A-Za-z0-9_-]{1,62}\}|[A-Za-z0-9_-]{1,64})$/,
      'expected 1 to 64 letters, digits, "_" or "-", optionally in braces such as {commerce}',
    );
}

/**
 * TEMPORAL_TASK_QUEUE_PREFIX: put before every task queue name, the same on the orders service
 * (which starts checkouts) and on every worker of one deployment. Empty by default.
 */
export function envTaskQueuePrefix() {
  return z
    .string()
    .regex(/^[A-Za-z0-9._-]{0,64}$/, 'expected up to 64 letters, digits, ".", "_" or "-"')
    .default('');
}
