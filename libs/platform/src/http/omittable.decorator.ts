import { ValidateIf, ValidationOptions } from 'class-validator';

/**
 * The field may be left out, but when it is present it must be valid: unlike @IsOptional, `null`
 * is not "absent" and meets the field's other validators (`reason: null` is 400, not accepted).
 */
export const IsOmittable = (options?: ValidationOptions): PropertyDecorator => ValidateIf((_object: object, value: unknown) => value !== undefined, options);
