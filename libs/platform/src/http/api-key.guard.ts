import { CanActivate, ExecutionContext, ForbiddenException, Injectable, UnauthorizedException } from '@nestjs/common';
import { Reflector } from '@nestjs/core';
import { ApiKey, ApiRole } from '../config';
import { PlatformRequest, headerValue } from './platform-request';
import { PUBLIC_KEY } from './public.decorator';
import { ROLES_KEY } from './roles.decorator';

/** The key from `Authorization: Bearer <key>`, or undefined when the header is missing or another scheme. */
export function bearerToken(authorization: string | undefined): string | undefined {
  const match = /^Bearer\s+(\S+)\s*$/i.exec(authorization ?? '');
  return match ? match[1] : undefined;
}

/**
 * Authenticates every route that is not @Public: an unknown or missing key is 401, a known key whose
 * role is not in the route's @Roles is 403. The caller becomes the actor `{ kind: role, id: user }`
 * of the request context, and so of every event the request causes.
 */
@Injectable()
export class ApiKeyGuard implements CanActivate {
  private readonly byKey: ReadonlyMap<string, ApiKey>;

  constructor(
    private readonly reflector: Reflector,
    apiKeys: readonly ApiKey[],
  ) {
    this.byKey = new Map(apiKeys.map((apiKey) => [apiKey.key, apiKey]));
  }

  canActivate(context: ExecutionContext): boolean {
    if (context.getType() !== 'http') return true;
    const targets = [context.getHandler(), context.getClass()];
    if (this.reflector.getAllAndOverride<boolean>(PUBLIC_KEY, targets)) return true;
    const request = context.switchToHttp().getRequest<PlatformRequest>();
    const token = bearerToken(headerValue(request, 'authorization'));
    const apiKey = token === undefined ? undefined : this.byKey.get(token);
    if (!apiKey) throw new UnauthorizedException(token === undefined ? 'An API key is required: Authorization: Bearer <key>.' : 'Unknown API key.');
    const allowed = this.reflector.getAllAndOverride<ApiRole[] | undefined>(ROLES_KEY, targets);
    if (allowed && !allowed.includes(apiKey.role)) {
      throw new ForbiddenException(`Role ${apiKey.role} may not do this; allowed: ${allowed.join(', ')}.`);
    }
    const actor = { kind: apiKey.role, id: apiKey.user };
    if (request.platformContext) request.platformContext.actor = actor;
    else request.platformContext = { correlationId: 'unknown', causationId: null, actor };
    return true;
  }
}
