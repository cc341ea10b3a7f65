import { JsonSchema } from '@continuum/contracts';

/** Success bodies of the payments API for the OpenAPI document; objects are open (fields may be added). */
const s = (): JsonSchema => ({ type: 'string' });
const i = (): JsonSchema => ({ type: 'integer' });
const object = (properties: Record<string, JsonSchema>, required: string[] = Object.keys(properties)): JsonSchema => ({ type: 'object', properties, required });

export const transactionRowResponse = (): JsonSchema =>
  object(
    {
      transactionId: s(),
      orderId: s(),
      type: { type: 'string', enum: ['SALE', 'AUTHORIZE', 'CAPTURE', 'VOID', 'REFUND', 'COD', 'EXTERNAL'] },
      response: { type: 'string', enum: ['SUCCESS', 'SOFT_DECLINE', 'HARD_DECLINE', 'PENDING'] },
      amount: i(),
      refundedAmount: i(),
      refundableAmount: { ...i(), description: "on the row that took a charge's money: what a refund may still take (minus refunds, refunds in flight and the chargeback)" },
      settled: { type: 'boolean' },
      card: s(),
      parentTransactionId: s(),
      createdAt: s(),
    },
    ['transactionId', 'orderId', 'type', 'response', 'amount', 'refundedAmount', 'settled', 'card', 'createdAt'],
  );

export const refundResponse = (): JsonSchema =>
  object(
    {
      refundId: s(),
      transactionId: s(),
      amount: i(),
      status: { type: 'string', enum: ['PENDING', 'SUCCEEDED', 'QUEUED', 'ABANDONED'] },
      attempts: { type: 'array', items: object({ at: s(), result: s(), message: s() }) },
    },
    ['refundId', 'transactionId', 'amount', 'status', 'attempts'],
  );

/** `{ refundId, status }` of a transaction refund. */
export const refundAnswer = (): JsonSchema => object({ refundId: s(), status: { type: 'string', enum: ['SUCCEEDED', 'QUEUED'] }, amount: i() }, ['refundId', 'status']);

/** `{ action, refundId?, status }` of an order refund. */
export const orderRefundAnswer = (): JsonSchema =>
  object({ action: { type: 'string', enum: ['VOID', 'REFUND'] }, transactionId: s(), amount: i(), refundId: s(), status: { type: 'string', enum: ['VOIDED', 'SUCCEEDED', 'QUEUED'] } }, ['action', 'status']);

export const voidAnswer = (): JsonSchema => object({ status: { type: 'string', enum: ['VOIDED'] } });

export const settlementAnswer = (): JsonSchema => object({ settled: i() });

export const resendAnswer = (): JsonSchema => object({ refundId: s(), to: s() });

export const listOf = (items: JsonSchema): JsonSchema => ({ type: 'array', items });
