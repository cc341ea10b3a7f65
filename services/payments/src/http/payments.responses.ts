import { JsonSchema, arrayOf, bool, int, nullable, oneOf, openObj, str } from '@continuum/contracts';

/** Success bodies of the payments API for the OpenAPI document; objects are open (fields may be added). */

export const transactionRowResponse = (): JsonSchema =>
  openObj(
    {
      transactionId: str(),
      orderId: str(),
      type: oneOf('SALE', 'AUTHORIZE', 'CAPTURE', 'VOID', 'REFUND', 'COD', 'EXTERNAL'),
      response: oneOf('SUCCESS', 'SOFT_DECLINE', 'HARD_DECLINE', 'PENDING'),
      amount: int(),
      refundedAmount: int(),
      refundableAmount: int({ description: "on the row that took a charge's money: what a refund may still take (minus refunds, refunds in flight and the chargeback)" }),
      settled: bool(),
      card: str(),
      parentTransactionId: str(),
      createdAt: str(),
    },
    ['transactionId', 'orderId', 'type', 'response', 'amount', 'refundedAmount', 'settled', 'card', 'createdAt'],
  );

export const refundResponse = (): JsonSchema =>
  openObj(
    {
      refundId: str(),
      transactionId: str(),
      amount: int(),
      status: oneOf('PENDING', 'SUCCEEDED', 'QUEUED', 'ABANDONED'),
      attempts: arrayOf(openObj({ at: str(), result: str(), message: str() })),
    },
    ['refundId', 'transactionId', 'amount', 'status', 'attempts'],
  );

/** `{ refundId, status }` of a transaction refund. */
export const refundAnswer = (): JsonSchema => openObj({ refundId: str(), status: oneOf('SUCCEEDED', 'QUEUED'), amount: int() }, ['refundId', 'status']);

/** `{ action, refundId?, status }` of an order refund. */
export const orderRefundAnswer = (): JsonSchema =>
  openObj({ action: oneOf('VOID', 'REFUND'), transactionId: str(), amount: int(), refundId: str(), status: oneOf('VOIDED', 'SUCCEEDED', 'QUEUED'), voidFailed: bool() }, ['action', 'status']);

export const voidAnswer = (): JsonSchema => openObj({ status: oneOf('VOIDED') });

export const settlementAnswer = (): JsonSchema => openObj({ settled: int() });

export const resendAnswer = (): JsonSchema => openObj({ refundId: str(), to: str() });

/** `GET /orders/:orderId/charge-status`: what became of the order's card charge. */
export const chargeStatusAnswer = (): JsonSchema =>
  openObj(
    {
      orderId: str(),
      transactionId: nullable(str()),
      status: oneOf('APPROVED', 'DECLINED', 'NOT_CHARGED', 'NOT_A_CARD_CHARGE'),
      source: oneOf('RECORD', 'GATEWAY'),
      response: oneOf('SUCCESS', 'SOFT_DECLINE', 'HARD_DECLINE'),
      amount: int(),
      currency: str(),
      cardLast4: str(),
      cardBrand: str(),
      gatewayTransactionId: str(),
      message: str(),
      at: str(),
    },
    ['orderId', 'transactionId', 'status', 'source', 'message'],
  );
