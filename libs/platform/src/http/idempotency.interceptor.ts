import { CallHandler, ExecutionContext, Injectable, NestInterceptor } from '@nestjs/common';
import { catchError, from, mergeMap, Observable, of, throwError } from 'rxjs';
import { IDEMPOTENCY_HEADER, IdempotencyStore, idempotencyScope, requestHash } from './idempotency.store';
import { PlatformRequest, PlatformResponse, headerValue } from './platform-request';
import { ProblemException, problem } from './problem';

const VALID_KEY = /^[\x21-\x7e]{1,255}$/;

/**
 * Makes a POST with `Idempotency-Key` safe to repeat: the first request runs and its answer is
 * stored; a repeat with the same body gets that answer and runs nothing; the same key with another
 * body is 422; a repeat while the first still runs is 409. A request that fails releases its key,
 * so only successful answers are replayed and a failed one can be retried.
 */
@Injectable()
export class IdempotencyInterceptor implements NestInterceptor {
  constructor(private readonly store: IdempotencyStore | undefined) {}

  intercept(context: ExecutionContext, next: CallHandler): Observable<unknown> {
    if (context.getType() !== 'http') return next.handle();
    const request = context.switchToHttp().getRequest<PlatformRequest>();
    const key = headerValue(request, IDEMPOTENCY_HEADER);
    if (request.method !== 'POST' || key === undefined) return next.handle();
    if (!VALID_KEY.test(key)) {
      throw new ProblemException(
        problem(400, 'Idempotency-Key must be 1 to 255 visible ASCII characters.', {
          type: 'urn:continuum:problem:validation',
          errors: [{ field: IDEMPOTENCY_HEADER, message: 'must be 1 to 255 visible ASCII characters' }],
        }),
      );
    }
    const store = this.store;
    if (!store) throw new Error('Idempotency-Key received but no PLATFORM_CONNECTION is provided');
    const response = context.switchToHttp().getResponse<PlatformResponse>();
    const id = idempotencyScope(request.platformContext?.actor?.id ?? 'anonymous', key);
    const hash = requestHash(request.method, request.originalUrl, request.body);

    return from(store.begin(id, hash)).pipe(
      mergeMap((begun) => {
        switch (begun.kind) {
          case 'replay':
            response.status(begun.statusCode);
            response.setHeader('Idempotent-Replayed', 'true');
            return of(begun.body);
          case 'mismatch':
            return throwError(
              () =>
                new ProblemException(
                  problem(422, 'This Idempotency-Key was already used with a different request.', { type: 'urn:continuum:problem:idempotency-key-reused' }),
                ),
            );
          case 'in-progress':
            return throwError(
              () =>
                new ProblemException(
                  problem(409, 'A request with this Idempotency-Key is still being processed; retry shortly.', {
                    type: 'urn:continuum:problem:idempotency-key-in-progress',
                  }),
                ),
            );
          case 'started':
            return next.handle().pipe(
              mergeMap(async (body) => {
                await store.complete(id, begun.startedAt, { statusCode: response.statusCode, body });
                return body;
              }),
              catchError((error: unknown) => from(store.release(id, begun.startedAt)).pipe(mergeMap(() => throwError(() => error)))),
            );
        }
      }),
    );
  }
}
