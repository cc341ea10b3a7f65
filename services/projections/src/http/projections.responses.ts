import { JsonSchema, anyObj, arrayOf, int, oneOf, openApiNullable, openObj, str } from '@continuum/contracts';

/** OpenAPI schemas of the projections answers (loose where the sections are wide: the fields are in docs/projections.md). */
const nullableStr = () => openApiNullable(str());

export const timelineEntrySchema = (): JsonSchema =>
  openObj({
    at: str(),
    type: str(),
    summary: str(),
    actor: openObj({ kind: oneOf('agent', 'admin', 'service', 'fulfillment-house', 'scheduled-job', 'system'), id: str() }),
    correlationId: str(),
    source: openObj({ service: str(), eventId: str() }),
    orderId: nullableStr(),
  }, ['at', 'type', 'summary', 'actor', 'correlationId', 'source']);

export const historySchema = (): JsonSchema =>
  openObj(
    {
      customerId: str(),
      requestedId: str(),
      mergedInto: nullableStr(),
      asOf: nullableStr(),
      customer: openApiNullable(anyObj()),
      notes: arrayOf(anyObj()),
      orders: arrayOf(anyObj()),
      transactions: arrayOf({ type: 'object', properties: { card: str() } }),
      fulfillments: arrayOf(anyObj()),
      purchases: arrayOf(anyObj()),
      timeline: arrayOf(timelineEntrySchema()),
    },
    ['customerId', 'customer', 'notes', 'orders', 'transactions', 'fulfillments', 'purchases', 'timeline'],
  );

export const orderSummarySchema = (): JsonSchema =>
  openObj(
    { order: anyObj(), transactions: arrayOf(anyObj()), fulfillments: arrayOf(anyObj()), purchases: arrayOf(anyObj()), timeline: arrayOf(timelineEntrySchema()) },
    ['order', 'transactions', 'fulfillments', 'purchases'],
  );

export const searchResultsSchema = (): JsonSchema =>
  arrayOf(openObj({ customerId: str(), name: str(), email: str(), phone: nullableStr(), lastOrderAt: nullableStr() }));

export const rebuildSchema = (): JsonSchema =>
  openObj({
    rebuildId: str(),
    view: str(),
    status: oneOf('RUNNING', 'SWITCHED', 'FAILED'),
    generation: int(),
    eventsReplayed: int(),
    lag: openApiNullable(int()),
    startedAt: str(),
    switchedAt: nullableStr(),
    error: nullableStr(),
  }, ['rebuildId', 'view', 'status', 'generation', 'eventsReplayed', 'lag', 'startedAt']);

export const orderSearchSchema = (): JsonSchema =>
  openObj(
    {
      items: arrayOf(
        openObj(
          { orderId: str(), customerId: str(), customerName: str(), email: str(), status: str(), paymentType: str(), total: int(), currency: str(), createdAt: str() },
          ['orderId', 'customerId', 'customerName', 'email', 'status', 'paymentType', 'total', 'currency', 'createdAt'],
        ),
      ),
      next: str(),
    },
    ['items'],
  );
