import { AppError } from '@commerce/nest-kit';
import {
  type CallHandler,
  type ExecutionContext,
  Injectable,
  type NestInterceptor,
} from '@nestjs/common';
import { type Observable, catchError, throwError } from 'rxjs';

/** The part of Fastify's reply used here. */
interface HeaderWriter {
  header(name: string, value: string): unknown;
}

/** Adds `Retry-After` to 429 answers whose AppError carries `details: [{ retryAfterSeconds }]`. */
@Injectable()
export class RetryAfterInterceptor implements NestInterceptor {
  intercept(context: ExecutionContext, next: CallHandler): Observable<unknown> {
    return next.handle().pipe(
      catchError((error: unknown) => {
        if (error instanceof AppError && error.getStatus() === 429) {
          const seconds = (error.details?.[0] as { retryAfterSeconds?: unknown } | undefined)
            ?.retryAfterSeconds;
          if (typeof seconds === 'number') {
            context
              .switchToHttp()
              .getResponse<HeaderWriter>()
              .header('retry-after', String(seconds));
          }
        }
        return throwError(() => error);
      }),
    );
  }
}
