/**
 * Transaction ids are made here, derived from their cause, so a redelivered cause reaches the same
 * transaction and the gateway sees the same reference. They are opaque outside payments: events
 * carry the order id, purpose and amount as fields, and nobody parses these.
 */
export const firstChargeId = (orderId: string): string => `${orderId}-charge-1`;
export const externalPaymentId = (orderId: string): string => `${orderId}-external`;
export const codTransactionId = (orderId: string): string => `${orderId}-cod`;
/** one charge per rerun request, named after the request event */
export const rerunChargeId = (orderId: string, requestEventId: string): string => `${orderId}-rerun-${requestEventId}`;
export const upsellChargeId = (orderId: string, orderItemId: string): string => `${orderId}-upsell-${orderItemId}`;
/** one void per charge */
export const voidIdOf = (transactionId: string): string => `${transactionId}-void`;
