import { Decider, DomainError, FulfillmentEvent, FulfillmentRequest, allowedFrom, assertNever } from '@continuum/contracts';
import {
  AddFulfillmentItems,
  CancelFulfillment,
  CancelIfUnshipped,
  CreateFulfillment,
  DeliverFulfillment,
  ExportFulfillment,
  FulfillmentCommand,
  IssueRma,
  MarkCodPaid,
  MarkCodUndelivered,
  RemoveFulfillmentItems,
  ReportFailure,
  ReturnFulfillment,
  ShipFulfillment,
} from './fulfillment.commands';
import { reshipFulfillmentId } from './fulfillment-ids';
import { Fulfillment, FulfillmentState, SHIPPED_STATUSES, evolveFulfillment, initialFulfillmentState } from './fulfillment.state';
import { FULFILLMENT_TRANSITIONS } from './fulfillment.transitions';

/** Exports a fulfillment gets: the first, and one automatic resend after a failure (RECYCLED). */
export const MAX_EXPORT_ATTEMPTS = 2;

type EventOf<T extends FulfillmentEvent['type']> = Extract<FulfillmentEvent, { type: T }>;
const event = <T extends FulfillmentEvent['type']>(type: T, data: EventOf<T>['data']): EventOf<T> => ({ type, data }) as EventOf<T>;

/**
 * The life of one fulfillment (stream `fulfillment-<fulfillmentId>`; docs/fulfillment.md, "Lifecycle"):
 * HOLD -> PENDING (exported) -> SHIPPED -> DELIVERED; RMA_PENDING -> RETURNED; CANCELLED (never after
 * shipping, except a COD delivery the customer refused); FAILED -> RECYCLED (one automatic resend)
 * -> PENDING, or FAILED for good; a reship (only once the record reached the house) is a new
 * fulfillment with a suffixed reference. Updates the house repeats change nothing.
 * Which status each command is allowed from is `FULFILLMENT_TRANSITIONS` (fulfillment.transitions.ts),
 * checked by `allowedFrom(FULFILLMENT_TRANSITIONS, ...)` after a repeat of what already happened was answered with no events.
 */
export const fulfillmentDecider: Decider<FulfillmentCommand, FulfillmentEvent, FulfillmentState> = {
  initialState: initialFulfillmentState,
  evolve: evolveFulfillment,
  decide: (command, state) => {
    if (command.type === 'CreateFulfillment') return create(command, state);
    const current = existing(state);
    switch (command.type) {
      case 'AddFulfillmentItems':
        return addItems(command, current);
      case 'RemoveFulfillmentItems':
        return removeItems(command, current);
      case 'ExportFulfillment':
        return exportIt(command, current);
      case 'ShipFulfillment':
        return ship(command, current);
      case 'DeliverFulfillment':
        return deliver(command, current);
      case 'IssueRma':
        return issueRma(command, current);
      case 'ReturnFulfillment':
        return returnIt(command, current);
      case 'CancelFulfillment':
        return cancel(command, current);
      case 'CancelIfUnshipped':
        return cancelIfUnshipped(command, current);
      case 'ReportFailure':
        return reportFailure(command, current);
      case 'ReshipFulfillment':
        return reship(current, command.metadata.now);
      case 'MarkCodPaid':
        return markCodPaid(command, current);
      case 'MarkCodUndelivered':
        return markCodUndelivered(command, current);
      default:
        return assertNever(command, 'fulfillment command');
    }
  },
};

function existing(state: FulfillmentState): Fulfillment {
  if (state.status === 'NONE') throw new DomainError('FULFILLMENT_NOT_FOUND', 'No fulfillment with this id or reference', 'not-found');
  return state;
}

const ids = (f: Fulfillment) => ({ fulfillmentId: f.fulfillmentId, orderId: f.orderId });

function create(command: CreateFulfillment, state: FulfillmentState): FulfillmentEvent[] {
  if (state.status !== 'NONE') return []; // the same order event again, or its sibling (OrderApproved + OrderAwaitingCod)
  const d = command.data;
  if (d.items.length === 0) throw new DomainError('NO_ITEMS', `Order ${d.orderId} has nothing to ship`);
  return [event('FulfillmentCreated', { ...d, at: command.metadata.now })];
}

/**
 * An upsell's lines join a fulfillment in HOLD. The reaction chose this fulfillment because the view
 * showed it in HOLD; exported since, the refusal is a conflict, so the event is handled again and the
 * reaction, looking again, ships the upsell on its own.
 */
function addItems(command: AddFulfillmentItems, f: Fulfillment): FulfillmentEvent[] {
  const { orderItemId, items } = command.data;
  if (f.upsells.some((upsell) => upsell.orderItemId === orderItemId)) return [];
  if (items.length === 0) throw new DomainError('NO_ITEMS', `Upsell ${orderItemId} has nothing to ship`, 'rule', { field: 'items' });
  try {
    allowedFrom(FULFILLMENT_TRANSITIONS, 'AddFulfillmentItems', f.status);
  } catch (error) {
    throw error instanceof DomainError ? new DomainError(error.code, error.message, 'conflict', error.details) : error;
  }
  return [event('FulfillmentItemsAdded', { ...ids(f), orderItemId, items, at: command.metadata.now })];
}

/** A declined upsell's lines leave the fulfillment while it is in HOLD; once exported they went with it and nothing changes. */
function removeItems(command: RemoveFulfillmentItems, f: Fulfillment): FulfillmentEvent[] {
  const upsell = f.upsells.find((added) => added.orderItemId === command.data.orderItemId);
  if (upsell === undefined || f.status !== 'HOLD') return [];
  allowedFrom(FULFILLMENT_TRANSITIONS, 'RemoveFulfillmentItems', f.status);
  return [event('FulfillmentItemsRemoved', { ...ids(f), orderItemId: upsell.orderItemId, items: upsell.items, at: command.metadata.now })];
}

function exportIt(command: ExportFulfillment, f: Fulfillment): FulfillmentEvent[] {
  allowedFrom(FULFILLMENT_TRANSITIONS, 'ExportFulfillment', f.status);
  const facts = command.data;
  if (facts.orderInQa) throw new DomainError('ORDER_IN_QA', `Order ${f.orderId} waits in QA: its fulfillment stays HOLD until QA approves it`);
  if (facts.testCardOnLiveGateway) {
    throw new DomainError('TEST_CARD_ON_LIVE_GATEWAY', `Order ${f.orderId} was paid with a test card on a live gateway: its fulfillment never leaves HOLD`);
  }
  const address = f.shippingAddress ?? facts.customerAddress;
  if (address === null || facts.shipToName === null) {
    throw new DomainError('SHIP_TO_UNKNOWN', `The ship-to name or address of order ${f.orderId} is not known yet: it stays HOLD for the next run`);
  }
  const attempt = f.exportAttempts + 1;
  const request: FulfillmentRequest = {
    reference: f.reference,
    orderId: f.orderId,
    customerId: f.customerId,
    items: f.items.map(({ sku, name, quantity }) => ({ sku, name, quantity })),
    shipTo: { name: facts.shipToName, address },
    shippingMethod: f.shippingMethod,
    ...(f.cod ? { cod: { amount: f.cod.amount, currency: f.cod.currency } } : {}),
    attempt,
  };
  return [event('FulfillmentExported', { ...ids(f), reference: f.reference, attempt, request, at: command.metadata.now })];
}

function ship(command: ShipFulfillment, f: Fulfillment): FulfillmentEvent[] {
  const d = command.data;
  // the same report again changes nothing (after delivery, the same tracking whatever the carrier)
  const repeat = f.status === 'SHIPPED' ? d.carrier === null || d.carrier === f.carrier : f.status === 'DELIVERED' || f.status === 'RMA_PENDING' || f.status === 'RETURNED';
  if (repeat && f.trackingNumber === d.trackingNumber) return [];
  allowedFrom(FULFILLMENT_TRANSITIONS, 'ShipFulfillment', f.status);
  // after an early DELIVERED (or a return) a late SHIPPED only adds the tracking; it never replaces one
  if (f.status !== 'PENDING' && f.status !== 'SHIPPED' && f.trackingNumber !== null) {
    throw new DomainError(`ALREADY_${f.status}`, `Cannot change the tracking of fulfillment ${f.reference}: it is already ${f.status}`, 'rule', { status: f.status });
  }
  // on a SHIPPED fulfillment a new tracking number corrects the old one
  return [event('FulfillmentShipped', { ...ids(f), trackingNumber: d.trackingNumber, carrier: d.carrier, shippedAt: d.shippedAt ?? command.metadata.now })];
}

function deliver(command: DeliverFulfillment, f: Fulfillment): FulfillmentEvent[] {
  if (f.status === 'DELIVERED') return [];
  allowedFrom(FULFILLMENT_TRANSITIONS, 'DeliverFulfillment', f.status);
  return [event('FulfillmentDelivered', { ...ids(f), deliveredAt: command.data.deliveredAt ?? command.metadata.now })];
}

function issueRma(command: IssueRma, f: Fulfillment): FulfillmentEvent[] {
  if (f.status === 'RMA_PENDING' && f.rmaNumber === command.data.rmaNumber) return [];
  allowedFrom(FULFILLMENT_TRANSITIONS, 'IssueRma', f.status);
  return [event('FulfillmentRmaIssued', { ...ids(f), rmaNumber: command.data.rmaNumber, at: command.metadata.now })];
}

function returnIt(command: ReturnFulfillment, f: Fulfillment): FulfillmentEvent[] {
  if (f.status === 'RETURNED') return [];
  allowedFrom(FULFILLMENT_TRANSITIONS, 'ReturnFulfillment', f.status);
  return [event('FulfillmentReturned', { ...ids(f), returnedAt: command.data.returnedAt ?? command.metadata.now, reason: command.data.reason })];
}

/** A fulfillment the house holds (exported, not shipped, not rejected): its cancel asks the house to cancel the reference. */
const houseCancel = (f: Fulfillment) => (f.status === 'PENDING' ? { houseCancel: { reference: f.reference } } : {});

function cancel(command: CancelFulfillment, f: Fulfillment): FulfillmentEvent[] {
  if (f.status === 'CANCELLED') return [];
  allowedFrom(FULFILLMENT_TRANSITIONS, 'CancelFulfillment', f.status);
  return [event('FulfillmentCancelled', { ...ids(f), reason: command.data.reason, at: command.metadata.now, ...houseCancel(f) })];
}

function cancelIfUnshipped(command: CancelIfUnshipped, f: Fulfillment): FulfillmentEvent[] {
  // cancelled already, or the package left before the order's cancel arrived: it stays as it is
  if (f.status === 'CANCELLED' || SHIPPED_STATUSES.includes(f.status)) return [];
  allowedFrom(FULFILLMENT_TRANSITIONS, 'CancelIfUnshipped', f.status);
  return [event('FulfillmentCancelled', { ...ids(f), reason: command.data.reason, at: command.metadata.now, ...houseCancel(f) })];
}

function reportFailure(command: ReportFailure, f: Fulfillment): FulfillmentEvent[] {
  // the same failure reported again changes nothing
  if (f.status === 'RECYCLED' || f.status === 'FAILED') return [];
  allowedFrom(FULFILLMENT_TRANSITIONS, 'ReportFailure', f.status);
  const attempt = f.exportAttempts;
  const final = attempt >= MAX_EXPORT_ATTEMPTS;
  const failed = event('FulfillmentFailed', { ...ids(f), reason: command.data.reason, attempt, final, at: command.data.at });
  return final ? [failed] : [failed, event('FulfillmentRecycled', { ...ids(f), at: command.metadata.now })];
}

function reship(f: Fulfillment, now: string): FulfillmentEvent[] {
  allowedFrom(FULFILLMENT_TRANSITIONS, 'ReshipFulfillment', f.status);
  const next = reshipFulfillmentId(f.fulfillmentId, f.reships.length + 1);
  return [event('FulfillmentReshipped', { ...ids(f), reshipFulfillmentId: next, reshipReference: next, at: now })];
}

function codOf(f: Fulfillment) {
  if (!f.cod) throw new DomainError('NOT_COD', `Fulfillment ${f.reference} is not a cash-on-delivery order`);
  return f.cod;
}

/** An agent's date (YYYY-MM-DD or a date-time) as a date-time. */
const asDateTime = (date: string): string => (/^\d{4}-\d{2}-\d{2}$/.test(date) ? `${date}T00:00:00.000Z` : date);

function markCodPaid(command: MarkCodPaid, f: Fulfillment): FulfillmentEvent[] {
  const cod = codOf(f);
  const d = command.data;
  if (cod.status === 'PAID') {
    if (cod.deliveryConfirmation === d.deliveryConfirmation) return [];
    throw new DomainError('COD_ALREADY_PAID', `COD of fulfillment ${f.reference} is already marked paid (${cod.deliveryConfirmation})`);
  }
  allowedFrom(FULFILLMENT_TRANSITIONS, 'MarkCodPaid', f.status);
  const paid = event('CodMarkedPaid', { ...ids(f), deliveryConfirmation: d.deliveryConfirmation, date: d.date });
  return f.status === 'DELIVERED' ? [paid] : [paid, event('FulfillmentDelivered', { ...ids(f), deliveredAt: asDateTime(d.date) })];
}

function markCodUndelivered(command: MarkCodUndelivered, f: Fulfillment): FulfillmentEvent[] {
  const cod = codOf(f);
  if (cod.status === 'PAID') throw new DomainError('COD_ALREADY_PAID', `COD of fulfillment ${f.reference} is already marked paid`);
  allowedFrom(FULFILLMENT_TRANSITIONS, 'MarkCodUndelivered', f.status);
  const status = command.data.status;
  const undelivered = event('CodMarkedUndelivered', { ...ids(f), status });
  if (status !== 'DECLINED') return [undelivered];
  return [undelivered, event('FulfillmentCancelled', { ...ids(f), reason: 'COD delivery declined by the customer', at: command.metadata.now })];
}
