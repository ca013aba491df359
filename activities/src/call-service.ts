import type { ServiceCaller, ServiceRequest, ServiceResponse } from '@commerce/service-client';
import { activityLog, callTimeoutMs, currentContext, requestIdFor } from './activity-context';
import { type ErrorRule, decide } from './classify';

export interface ServiceCall {
  /** The activity's name, for logs. */
  activity: string;
  client: ServiceCaller;
  input: { orderId: string; requestId?: string | undefined };
  method: ServiceRequest['method'];
  path: string;
  body?: unknown;
  idempotencyKey?: string;
  /** How this call's refusals are answered (see classify.ts); others follow the defaults. */
  rules?: readonly ErrorRule[];
}

export type CallResult<T> =
  | { handled: false; response: ServiceResponse<T> }
  /** A refusal that one of the rules answered as success (e.g. nothing to release). */
  | { handled: true; tag: string };

/**
 * One service call on behalf of an activity: request id, idempotency key, timeout and cancellation
 * from the activity's context; the outcome classified in one place (`decide`). Throws a
 * non-retryable `ApplicationFailure` for a business refusal, and rethrows what Temporal should retry.
 */
export async function callService<T>(call: ServiceCall): Promise<CallResult<T>> {
  const context = currentContext();
  const requestId = requestIdFor(call.input, context?.info);
  const timeoutMs = callTimeoutMs(context?.info);
  const meta = { orderId: call.input.orderId, requestId, service: call.client.service };
  const stopHeartbeat = heartbeatWhileWaiting(context);
  try {
    const response = await call.client.request<T>({
      method: call.method,
      path: call.path,
      requestId,
      ...(call.body === undefined ? {} : { body: call.body }),
      ...(call.idempotencyKey === undefined ? {} : { idempotencyKey: call.idempotencyKey }),
      ...(timeoutMs === undefined ? {} : { timeoutMs }),
      ...(context ? { signal: context.cancellationSignal } : {}),
    });
    return { handled: false, response };
  } catch (error) {
    const decision = decide(error, call.rules);
    switch (decision.kind) {
      case 'success':
        activityLog('info', `${call.activity}: ${decision.tag}`, {
          ...meta,
          status: decision.error.status,
          code: decision.error.code,
        });
        return { handled: true, tag: decision.tag };
      case 'fail':
        activityLog('warn', `${call.activity} refused: ${decision.failure.message}`, {
          ...meta,
          type: decision.failure.type,
        });
        throw decision.failure;
      case 'retry':
        activityLog(
          'warn',
          `${call.activity} did not complete; its retry policy decides what next`,
          {
            ...meta,
            error: error instanceof Error ? error.message : String(error),
          },
        );
        throw decision.error;
    }
  } finally {
    stopHeartbeat();
  }
}

/**
 * While a slow call is in flight (a payment provider can take seconds), heartbeat at a third of the
 * activity's heartbeat timeout. The server then notices a worker that died mid-call within that
 * timeout and retries on another worker, instead of waiting out the whole start-to-close timeout.
 */
function heartbeatWhileWaiting(context: ReturnType<typeof currentContext>): () => void {
  const timeout = context?.info.heartbeatTimeoutMs;
  if (!context || !timeout) return () => undefined;
  const timer = setInterval(() => context.heartbeat(), Math.max(100, Math.floor(timeout / 3)));
  return () => clearInterval(timer);
}

/** A path segment from a value (order ids are UUIDs, but never trust that in a URL). */
export function segment(value: string): string {
  return encodeURIComponent(value);
}
