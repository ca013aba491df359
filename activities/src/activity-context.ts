/**
 * What an activity takes from its Temporal context: the request id to propagate, the time it may
 * spend on a call, its cancellation and its logger. Every accessor also works outside an activity
 * (unit tests, scripts), where there is no context.
 */
import { randomUUID } from 'node:crypto';
import { Context, type Info } from '@temporalio/activity';

/** The running activity's context, or undefined outside one. */
export function currentContext(): Context | undefined {
  try {
    return Context.current();
  } catch {
    return undefined;
  }
}

// The services keep an incoming x-request-id only when it is short and printable (nest-kit).
const REQUEST_ID_CHARS = /[^A-Za-z0-9._:-]/g;
const REQUEST_ID_MAX = 128;

/**
 * The `x-request-id` of a call: the checkout's own request id when the workflow passed one, else
 * `<workflowId>:<activityId>` (stable across the activity's retries), else a fresh UUID.
 */
export function requestIdFor(
  input: { requestId?: string | undefined },
  info?: Pick<Info, 'activityId' | 'workflowExecution'>,
): string {
  if (input.requestId) return sanitiseRequestId(input.requestId);
  if (info?.workflowExecution) {
    return sanitiseRequestId(`${info.workflowExecution.workflowId}:${info.activityId}`);
  }
  return randomUUID();
}

function sanitiseRequestId(value: string): string {
  return value.replace(REQUEST_ID_CHARS, '_').slice(0, REQUEST_ID_MAX);
}

/**
 * How long one HTTP call may take inside an activity: its start-to-close timeout less a margin
 * (1 s, or a tenth of a short timeout), so the call gives up with a clear timeout error before
 * Temporal abandons the attempt. Undefined outside an activity: the client's default applies.
 */
export function callTimeoutMs(info?: Pick<Info, 'startToCloseTimeoutMs'>): number | undefined {
  const budget = info?.startToCloseTimeoutMs;
  if (budget === undefined || !Number.isFinite(budget) || budget <= 0) return undefined;
  return Math.max(1, budget - Math.min(1_000, budget / 10));
}

type LogLevel = 'debug' | 'info' | 'warn' | 'error';

/** Logs through the activity's logger (which adds workflow and activity ids); silent outside one. */
export function activityLog(
  level: LogLevel,
  message: string,
  meta?: Record<string, unknown>,
): void {
  const context = currentContext();
  if (!context) return;
  context.log[level](message, meta);
}
