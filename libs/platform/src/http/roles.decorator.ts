import { applyDecorators, SetMetadata } from '@nestjs/common';
import { ApiExtension } from '@nestjs/swagger';
import { ApiRole } from '../config';

export const ROLES_KEY = 'continuum:roles';

/**
 * Only these roles may call the controller or handler (a handler's list replaces its controller's):
 * `@Roles('agent', 'admin')`. Without it every known role may call. The OpenAPI document lists
 * them as `x-roles` and in the operation's description.
 */
export const Roles = (...roles: ApiRole[]) => applyDecorators(SetMetadata(ROLES_KEY, roles), ApiExtension('x-roles', roles));
