import { JsonSchema } from '../core/registry';
import { id, obj } from '../core/schema-helpers';

/** A postal address as customers, orders and fulfillments carry it. */
export type Address = {
  readonly line1: string;
  readonly line2?: string;
  readonly city: string;
  readonly state: string;
  readonly postalCode: string;
  /** ISO 3166-1 alpha-2, e.g. "US" */
  readonly country: string;
}

export const addressSchema = (): JsonSchema =>
  obj({ line1: id(), line2: id(), city: id(), state: id(), postalCode: id(), country: id() }, [
    'line1',
    'city',
    'state',
    'postalCode',
    'country',
  ]);
