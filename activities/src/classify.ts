/**
 * The one place a failed service call becomes an activity outcome (DESIGN §4):
 * - a business refusal -> a non-retryable `ApplicationFailure` with a `type` the workflow branches on;
 * - no answer, a timeout, 408, 429, 5xx -> the error is rethrown as it is, and Temporal's retry
 *   policy tries again (the activity itself never loops);
 * - a refusal that means "already done" (a repeat) -> success.
 */
import { ServiceCallError } from '@commerce/service-client';
import { ApplicationFailure } from '@temporalio/common';
import { ActivityFailureType } from './failure-types';

/** What a matching refusal means for the activity. */
export type RuleOutcome =
  /** Nothing to do, or already done: the activity succeeds. `tag` says which case it was. */
  | { success: string }
  /** A business refusal: a non-retryable failure of this type. */
  | { fail: string };

export interface ErrorRule {
  status: number;
  /** The service's error code; any code when absent. */
  code?: string;
  /** A further condition on the error (e.g. the order already is in the wanted status). */
  when?: (error: ServiceCallError) => boolean;
  then: RuleOutcome;
}

export type Decision =
  | { kind: 'success'; tag: string; error: ServiceCallError }
  | { kind: 'fail'; failure: ApplicationFailure }
  | { kind: 'retry'; error: unknown };

/** Decides what a failed call means, given the activity's own rules for its refusals. */
export function decide(error: unknown, rules: readonly ErrorRule[] = []): Decision {
  if (!(error instanceof ServiceCallError)) {
    // Not a service answer (a bug, a cancellation): let Temporal handle it as it is.
    return { kind: 'retry', error };
  }
  if (error.kind === 'http') {
    const rule = rules.find(
      (r) =>
        r.status === error.status &&
        (r.code === undefined || r.code === error.code) &&
        (r.when === undefined || r.when(error)),
    );
    if (rule) {
      const then = rule.then;
      return 'success' in then
        ? { kind: 'success', tag: then.success, error }
        : { kind: 'fail', failure: refusal(then.fail, error) };
    }
  }
  if (error.retryable) return { kind: 'retry', error };
  return { kind: 'fail', failure: refusal(defaultFailureType(error), error) };
}

/**
 * The type of a refusal no rule names: 400 -> BadRequest, 404 -> NotFound, otherwise the service's
 * code in PascalCase (ILLEGAL_TRANSITION -> IllegalTransition), or ServiceRefused without one.
 */
export function defaultFailureType(error: Pick<ServiceCallError, 'status' | 'code'>): string {
  if (error.status === 400) return ActivityFailureType.BAD_REQUEST;
  if (error.status === 404) return ActivityFailureType.NOT_FOUND;
  if (error.code) return pascalCase(error.code);
  return ActivityFailureType.SERVICE_REFUSED;
}

export function pascalCase(code: string): string {
  return code
    .toLowerCase()
    .split(/[^a-z0-9]+/)
    .filter(Boolean)
    .map((word) => word.charAt(0).toUpperCase() + word.slice(1))
    .join('');
}

/** What a refusal carries to the workflow and the Web UI: the call and the service's answer. */
export interface RefusalDetails {
  service: string;
  method: string;
  path: string;
  status: number | undefined;
  code: string | undefined;
  requestId: string | undefined;
  details: unknown;
}

/**
 * A non-retryable failure for a service's refusal. Its message is the service's own sentence (the
 * workflow may show it as the order's failure reason); `details[0]` is a `RefusalDetails`.
 */
export function refusal(type: string, error: ServiceCallError): ApplicationFailure {
  const details: RefusalDetails = {
    service: error.service,
    method: error.method,
    path: error.path,
    status: error.status,
    code: error.code,
    requestId: error.requestId,
    details: error.details ?? null,
  };
  return ApplicationFailure.create({
    type,
    nonRetryable: true,
    message: error.serviceMessage ?? error.message,
    details: [details],
  });
}

/** A non-retryable failure decided from a successful answer (a FAILED payment, a drift). */
export function businessFailure(
  type: string,
  message: string,
  details: Record<string, unknown>,
): ApplicationFailure {
  return ApplicationFailure.create({ type, nonRetryable: true, message, details: [details] });
}
