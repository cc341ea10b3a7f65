import { JsonSchema, PURCHASE_STATUSES, arrayOf, bool, int, oneOf, openApiNullable, openObj, str } from '@continuum/contracts';

/** Success bodies of the subscriptions API for the OpenAPI document; objects are open (fields may be added). */
const actor = () => openObj({ kind: str(), id: str() });

export const purchaseResponse = (): JsonSchema =>
  openObj(
    {
      purchaseId: str(),
      orderId: str(),
      customerId: str(),
      campaignId: str(),
      orderDate: str(),
      productId: str(),
      sku: str(),
      name: str(),
      quantity: int(),
      unitPrice: int(),
      billingType: str(),
      status: oneOf(...PURCHASE_STATUSES),
      trialType: str(),
      trialDays: int(),
      billingCycle: int(),
      finalBillCycle: openApiNullable(int()),
      merchantId: openApiNullable(str()),
      nextBillDate: openApiNullable(str()),
      billingInterval: openObj({ unit: str(), count: int() }),
      price: int(),
      shippingPrice: int(),
      salesTax: openObj({ mode: oneOf('AUTO', 'CUSTOM'), amount: int() }, ['mode']),
      insureShipment: bool(),
      currency: str(),
      rebillAmount: int(),
      cancellation: openApiNullable(openObj({ when: str(), date: str(), reason: str() }, ['when', 'reason'])),
      billing: openApiNullable(openObj({ billingCycle: int(), orderId: openApiNullable(str()), trigger: str() })),
      recycle: openApiNullable(openObj({ billingCycle: int(), retry: int() })),
      history: arrayOf(openObj({ at: str(), type: str(), actor: actor(), summary: str(), correlationId: str() })),
      transactions: arrayOf(
        openObj(
          { transactionId: str(), parentTransactionId: str(), orderId: str(), billingCycle: int(), type: oneOf('SALE', 'REFUND', 'VOID', 'CHARGEBACK', 'CHARGEBACK_REVERSAL'), response: str(), amount: int(), currency: str(), card: openObj({ brand: str(), last4: str() }, []), message: str(), at: str() },
          ['transactionId', 'orderId', 'billingCycle', 'type', 'response', 'amount', 'currency', 'message', 'at'],
        ),
      ),
      fulfillments: arrayOf(openObj({ fulfillmentId: str(), orderId: str(), status: str(), trackingNumber: str(), updatedAt: str() }, ['fulfillmentId', 'orderId', 'status', 'updatedAt'])),
    },
    ['purchaseId', 'orderId', 'customerId', 'orderDate', 'productId', 'quantity', 'billingType', 'status', 'trialType', 'billingCycle', 'merchantId', 'nextBillDate', 'price', 'shippingPrice', 'salesTax', 'insureShipment', 'history', 'transactions', 'fulfillments'],
  );

export const billingRunResponse = (): JsonSchema => openObj({ asOf: str(), requested: int(), billed: int(), declined: int(), pending: int(), cancelled: int() });

/** `POST /purchases/:id/resolve-rebill`: what was recorded, payments' answer, and the purchase after it. */
export const resolveRebillResponse = (): JsonSchema =>
  openObj(
    {
      purchaseId: str(),
      outcome: oneOf('BILLED', 'DECLINED', 'DUE_AGAIN', 'WAITING', 'ASKED_AGAIN', 'NOTHING'),
      orderId: openApiNullable(str()),
      chargeStatus: openApiNullable(
        openObj(
          { orderId: str(), transactionId: openApiNullable(str()), status: oneOf('APPROVED', 'DECLINED', 'NOT_CHARGED', 'NOT_A_CARD_CHARGE'), source: oneOf('RECORD', 'GATEWAY'), message: str() },
          ['orderId', 'status', 'source', 'message'],
        ),
      ),
      purchase: purchaseResponse(),
    },
    ['purchaseId', 'outcome', 'orderId', 'chargeStatus', 'purchase'],
  );
