import { createParamDecorator, ExecutionContext, UnauthorizedException } from '@nestjs/common';
import { CommandContext } from '../commands';
import { PlatformRequest, headerValue } from './platform-request';
import { IDEMPOTENCY_HEADER, idempotencyScope } from './idempotency.store';

/**
 * The CommandContext of this request, ready for the CommandRunner:
 * `place(@Body() dto: PlaceOrderDto, @CurrentContext() context: CommandContext)`.
 * An Idempotency-Key arrives scoped by user (`<user>:<key>`), the same id the HTTP replay uses, so
 * two users' equal keys never collide in the event store.
 */
export const CurrentContext = createParamDecorator((_data: unknown, context: ExecutionContext): CommandContext => {
  const request = context.switchToHttp().getRequest<PlatformRequest>();
  const platformContext = request.platformContext;
  if (!platformContext?.actor) throw new UnauthorizedException('An API key is required: Authorization: Bearer <key>.');
  const key = headerValue(request, IDEMPOTENCY_HEADER);
  return {
    correlationId: platformContext.correlationId,
    causationId: null,
    actor: platformContext.actor,
    ...(key !== undefined && key !== '' ? { idempotencyKey: idempotencyScope(platformContext.actor.id, key) } : {}),
  };
});
