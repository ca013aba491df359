import { type ExecutionContext, createParamDecorator } from '@nestjs/common';

/**
 * The request id the kit assigned (also in `x-request-id` and the logs), so calls to other services
 * carry it on.
 */
export const RequestId = createParamDecorator((_data: unknown, context: ExecutionContext) => {
  const request = context.switchToHttp().getRequest<{ id?: unknown }>();
  return typeof request.id === 'string' ? request.id : undefined;
});
