import {
  ServiceCallError,
  type ServiceCaller,
  type ServiceRequest,
  type ServiceResponse,
} from '@commerce/service-client';

export type StubAnswer = { status: number; body?: unknown } | ServiceCallError | Error;

/**
 * A ServiceCaller that answers from a queue of canned answers, in order, and records the requests.
 * A call with no answer left fails the test.
 */
export function stubCaller(service: string, ...answers: StubAnswer[]) {
  const requests: ServiceRequest[] = [];
  const caller: ServiceCaller = {
    service,
    request<T>(request: ServiceRequest): Promise<ServiceResponse<T>> {
      requests.push(request);
      const answer = answers.shift();
      if (answer === undefined) {
        return Promise.reject(new Error(`unexpected call: ${request.method} ${request.path}`));
      }
      if (answer instanceof Error) return Promise.reject(answer);
      return Promise.resolve({ status: answer.status, body: answer.body as T });
    },
  };
  return { caller, requests };
}

/** The ServiceCallError a client throws for an error answer of `service`. */
export function refused(
  service: string,
  status: number,
  code?: string,
  message?: string,
  details?: unknown,
): ServiceCallError {
  return new ServiceCallError({
    kind: 'http',
    service,
    method: 'POST',
    path: '/internal/x',
    status,
    ...(code === undefined ? {} : { code }),
    ...(message === undefined ? {} : { serviceMessage: message }),
    ...(details === undefined ? {} : { details }),
    requestId: 'svc-r',
  });
}

/** What an activity threw, for assertions. */
export async function thrown(promise: Promise<unknown>): Promise<unknown> {
  try {
    await promise;
  } catch (error) {
    return error;
  }
  throw new Error('expected the activity to throw');
}
