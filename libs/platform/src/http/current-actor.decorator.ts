import { createParamDecorator, ExecutionContext, UnauthorizedException } from '@nestjs/common';
import { Actor } from '@continuum/contracts';
import { PlatformRequest } from './platform-request';

/** The caller as recorded on events: `place(@CurrentActor() actor: Actor)`. Not for @Public routes. */
export const CurrentActor = createParamDecorator((_data: unknown, context: ExecutionContext): Actor => {
  const actor = context.switchToHttp().getRequest<PlatformRequest>().platformContext?.actor;
  if (!actor) throw new UnauthorizedException('An API key is required: Authorization: Bearer <key>.');
  return actor;
});
