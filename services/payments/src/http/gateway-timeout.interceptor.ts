import { CallHandler, ExecutionContext, Injectable, NestInterceptor } from '@nestjs/common';
import { Observable, catchError, throwError } from 'rxjs';
import { ProblemException, problem } from '@continuum/platform';
import { GatewayTimeoutError } from '../gateway';

/**
 * A gateway that did not answer is not a decline: the client gets 504 with the reason and may
 * retry (with the same Idempotency-Key); nothing was recorded as declined.
 */
@Injectable()
export class GatewayTimeoutInterceptor implements NestInterceptor {
  intercept(_context: ExecutionContext, next: CallHandler): Observable<unknown> {
    return next.handle().pipe(
      catchError((error: unknown) =>
        throwError(() =>
          error instanceof GatewayTimeoutError
            ? new ProblemException(problem(504, `${error.message}; nothing was recorded as declined, retry later`, { type: 'urn:continuum:problem:gateway-timeout', code: 'GATEWAY_TIMEOUT' }))
            : error,
        ),
      ),
    );
  }
}
