import { Controller, ExecutionContext, ForbiddenException, Get, UnauthorizedException } from '@nestjs/common';
import { Reflector } from '@nestjs/core';
import { ApiKeyGuard, bearerToken } from './api-key.guard';
import { PlatformRequest } from './platform-request';
import { Public } from './public.decorator';
import { Roles } from './roles.decorator';

@Roles('admin')
@Controller()
class SampleController {
  @Get()
  adminsOnly(): void {}

  @Roles('agent', 'fulfillment-house')
  @Get()
  agentsAndHouses(): void {}

  @Public()
  @Get()
  open(): void {}
}

@Controller()
class UnrestrictedController {
  @Get()
  anyone(): void {}
}

function contextFor(handler: (...args: never[]) => unknown, cls: object, request: Partial<PlatformRequest>): ExecutionContext {
  return {
    getType: () => 'http',
    getHandler: () => handler,
    getClass: () => cls,
    switchToHttp: () => ({ getRequest: () => request }),
  } as unknown as ExecutionContext;
}

describe('bearerToken', () => {
  it('extracts the key of a Bearer header only', () => {
    expect(bearerToken('Bearer dev-agent')).toBe('dev-agent');
    expect(bearerToken('bearer   dev-agent ')).toBe('dev-agent');
    expect(bearerToken('Basic abc')).toBeUndefined();
    expect(bearerToken('Bearer')).toBeUndefined();
    expect(bearerToken(undefined)).toBeUndefined();
  });
});

describe('ApiKeyGuard', () => {
  const guard = new ApiKeyGuard(new Reflector(), [
    { user: 'alice', role: 'agent', key: 'k-agent' },
    { user: 'ops', role: 'admin', key: 'k-admin' },
  ]);
  const proto = SampleController.prototype;
  const request = (key?: string): Partial<PlatformRequest> => ({
    headers: key ? { authorization: `Bearer ${key}` } : {},
    platformContext: { correlationId: 'c-1', causationId: null },
  });

  it('401 without a key and with an unknown key', () => {
    expect(() => guard.canActivate(contextFor(proto.adminsOnly, SampleController, request()))).toThrow(UnauthorizedException);
    expect(() => guard.canActivate(contextFor(proto.adminsOnly, SampleController, request('nope')))).toThrow(UnauthorizedException);
  });

  it('403 for a known key whose role is not allowed', () => {
    expect(() => guard.canActivate(contextFor(proto.adminsOnly, SampleController, request('k-agent')))).toThrow(ForbiddenException);
  });

  it('lets an allowed role in and sets the actor on the request context', () => {
    const req = request('k-admin');
    expect(guard.canActivate(contextFor(proto.adminsOnly, SampleController, req))).toBe(true);
    expect(req.platformContext?.actor).toEqual({ kind: 'admin', id: 'ops' });
  });

  it("a handler's roles replace its controller's", () => {
    expect(guard.canActivate(contextFor(proto.agentsAndHouses, SampleController, request('k-agent')))).toBe(true);
    expect(() => guard.canActivate(contextFor(proto.agentsAndHouses, SampleController, request('k-admin')))).toThrow(ForbiddenException);
  });

  it('lets every known role call a route without @Roles', () => {
    expect(guard.canActivate(contextFor(UnrestrictedController.prototype.anyone, UnrestrictedController, request('k-agent')))).toBe(true);
    expect(guard.canActivate(contextFor(UnrestrictedController.prototype.anyone, UnrestrictedController, request('k-admin')))).toBe(true);
  });

  it('lets anyone call a @Public route', () => {
    expect(guard.canActivate(contextFor(proto.open, SampleController, request()))).toBe(true);
  });
});
