import { SetMetadata } from '@nestjs/common';
import { ApiRole } from '../config';

export const ROLES_KEY = 'continuum:roles';

/**
 * Only these roles may call the controller or handler (a handler's list replaces its controller's):
 * `@Roles('agent', 'admin')`. Without it every known role may call.
 */
export const Roles = (...roles: ApiRole[]) => SetMetadata(ROLES_KEY, roles);
