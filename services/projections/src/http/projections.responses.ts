/** OpenAPI schemas of the projections answers (loose where the sections are wide: the fields are in docs/projections.md). */
const string = { type: 'string' };
const nullableString = { type: 'string', nullable: true };
const anyObject = { type: 'object' };
const list = (items: Record<string, unknown>) => ({ type: 'array', items });

export const timelineEntrySchema = () => ({
  type: 'object',
  required: ['at', 'type', 'summary', 'actor', 'correlationId', 'source'],
  properties: {
    at: string,
    type: string,
    summary: string,
    actor: { type: 'object', required: ['kind', 'id'], properties: { kind: { type: 'string', enum: ['agent', 'admin', 'service', 'fulfillment-house', 'scheduled-job', 'system'] }, id: string } },
    correlationId: string,
    source: { type: 'object', required: ['service', 'eventId'], properties: { service: string, eventId: string } },
    orderId: nullableString,
  },
});

export const historySchema = () => ({
  type: 'object',
  required: ['customerId', 'customer', 'notes', 'orders', 'transactions', 'fulfillments', 'purchases', 'timeline'],
  properties: {
    customerId: string,
    requestedId: string,
    mergedInto: nullableString,
    asOf: nullableString,
    customer: { ...anyObject, nullable: true },
    notes: list(anyObject),
    orders: list(anyObject),
    transactions: list({ type: 'object', properties: { card: string } }),
    fulfillments: list(anyObject),
    purchases: list(anyObject),
    timeline: list(timelineEntrySchema()),
  },
});

export const orderSummarySchema = () => ({
  type: 'object',
  required: ['order', 'transactions', 'fulfillments', 'purchases'],
  properties: { order: anyObject, transactions: list(anyObject), fulfillments: list(anyObject), purchases: list(anyObject), timeline: list(timelineEntrySchema()) },
});

export const searchResultsSchema = () =>
  list({
    type: 'object',
    required: ['customerId', 'name', 'email', 'phone', 'lastOrderAt'],
    properties: { customerId: string, name: string, email: string, phone: nullableString, lastOrderAt: nullableString },
  });

export const rebuildSchema = () => ({
  type: 'object',
  required: ['rebuildId', 'view', 'status', 'generation', 'eventsReplayed', 'lag', 'startedAt'],
  properties: {
    rebuildId: string,
    view: string,
    status: { type: 'string', enum: ['RUNNING', 'SWITCHED', 'FAILED'] },
    generation: { type: 'integer' },
    eventsReplayed: { type: 'integer' },
    lag: { type: 'integer', nullable: true },
    startedAt: string,
    switchedAt: nullableString,
    error: nullableString,
  },
});
