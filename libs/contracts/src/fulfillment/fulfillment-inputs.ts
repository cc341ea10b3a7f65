import { dateTime, idRef, INPUT_LIMITS, text } from '../core/input-schemas';
import { JsonSchema } from '../core/registry';

/**
 * What a fulfillment house (or an agent) sends about a fulfillment, bounded once for every path:
 * the FulfillmentUpdate message on `fulfillment.updates.v1`, `POST /fulfillment-updates` and the
 * `POST /fulfillments/:id/...` actions all take their fields from these schemas (the DTOs through
 * SchemaField, the message through the registry), and the AsyncAPI and OpenAPI documents print them.
 * Events keep their looser schemas: they must keep accepting what was stored before.
 */
export const FULFILLMENT_INPUT_LIMITS = {
  /** tracking numbers, RMA numbers and delivery confirmations: letters, digits and `._:-` */
  codeLength: INPUT_LIMITS.idLength,
  carrierLength: 50,
  reasonLength: INPUT_LIMITS.reasonLength,
  /** a date or date-time, as dateTime() bounds it */
  dateTimeLength: dateTime()['maxLength'] as number,
} as const;

/** Letters, digits and `._:-`, 1..FULFILLMENT_INPUT_LIMITS.codeLength: no spaces, controls or bidi marks. */
export const CODE_PATTERN = '^[A-Za-z0-9._:-]+$';

const code = (description: string): JsonSchema => ({
  type: 'string',
  minLength: 1,
  maxLength: FULFILLMENT_INPUT_LIMITS.codeLength,
  pattern: CODE_PATTERN,
  description,
});

/** The reference the house knows a fulfillment by (the fulfillment id): an id of ours. */
export const fulfillmentReferenceInput = (): JsonSchema => idRef();

/** The carrier's tracking number: `1Z999AA10123456784`. */
export const trackingNumberInput = (): JsonSchema => code('the carrier\'s tracking number: 1..128 of letters, digits and ._:-');

/** A return authorisation number: `RMA-1001`. */
export const rmaNumberInput = (): JsonSchema => code('the return authorisation number: 1..128 of letters, digits and ._:-');

/** The house's delivery confirmation number of a COD delivery: `DC-20260305-17`. */
export const deliveryConfirmationInput = (): JsonSchema => code('the delivery confirmation number: 1..128 of letters, digits and ._:-');

/** The carrier's name: printable text, 1..50 characters (`UPS`). */
export const carrierInput = (): JsonSchema => text(FULFILLMENT_INPUT_LIMITS.carrierLength);

/** Why a fulfillment failed, came back or is cancelled: printable text, 1..500 characters, not blank. */
export const fulfillmentReasonInput = (): JsonSchema => text(FULFILLMENT_INPUT_LIMITS.reasonLength);

/** When it happened: an ISO-8601 date-time with a time zone, at most 40 characters. */
export const eventTimeInput = (): JsonSchema => dateTime();

/**
 * The day an agent collected a COD payment: an ISO-8601 date (`2026-03-05`) or date-time
 * (`2026-03-05T14:00:00Z`), at most 40 characters.
 */
export const collectionDateInput = (): JsonSchema => ({
  type: 'string',
  minLength: 10,
  maxLength: FULFILLMENT_INPUT_LIMITS.dateTimeLength,
  pattern: '^[0-9]{4}-[0-9]{2}-[0-9]{2}(T[0-9]{2}:[0-9]{2}(:[0-9]{2}([.][0-9]{1,9})?)?(Z|[+-][0-9]{2}:?[0-9]{2})?)?$',
});
